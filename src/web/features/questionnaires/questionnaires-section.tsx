import type { SectionProps } from '../cases/case-section.ts';

/** The case's questionnaires: what is due, links sent, paper forms keyed, scores and alerts (issue 4). */
export const QuestionnairesSection = ({ item }: SectionProps) => (
  <div className="tandem-two-thirds">
    <h2 className="govuk-heading-m" id="questionnaires-heading">
      Questionnaires
    </h2>
    <p className="govuk-body">Questionnaires for {item.familyLabel} will be listed here.</p>
  </div>
);
