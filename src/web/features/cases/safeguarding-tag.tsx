import { Tag } from '../../components/feedback.tsx';

/** The red mark every flagged family carries, wherever its case appears. */
export const SafeguardingTag = () => <Tag colour="red">Safeguarding</Tag>;

export const flagKindLabels = {
  high_risk: 'High risk',
  disclosure: 'Disclosure',
  domestic_abuse: 'Domestic abuse',
  questionnaire_alert: 'Questionnaire alert',
  session_concern: 'Concern from a group session',
} as const;
