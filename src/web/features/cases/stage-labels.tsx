import type { CaseStage } from '../../../shared/contracts/journey.ts';
import { Tag } from '../../components/feedback.tsx';

export const stageLabels: Record<CaseStage, string> = {
  referred: 'Referred',
  triaged: 'Triaged',
  assessment_booked: 'Assessment booked',
  assessed: 'Assessed',
  awaiting_group: 'Awaiting group',
  in_service: 'In service',
  completed: 'Completed',
  withdrawn: 'Withdrawn',
  follow_up: 'Follow-up',
  closed: 'Closed',
};

const stageColours: Record<CaseStage, 'green' | 'grey' | 'yellow' | 'red' | 'blue' | undefined> = {
  referred: 'blue',
  triaged: 'blue',
  assessment_booked: 'yellow',
  assessed: 'yellow',
  awaiting_group: 'yellow',
  in_service: 'green',
  completed: 'green',
  withdrawn: 'grey',
  follow_up: 'blue',
  closed: 'grey',
};

export const StageTag = ({ stage }: { stage: CaseStage }) => <Tag colour={stageColours[stage]}>{stageLabels[stage]}</Tag>;
