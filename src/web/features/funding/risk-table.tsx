import type { Risk } from './funding-api.ts';
import { count, pounds } from './funding-api.ts';

/** Money at risk as a GOV.UK summary list: places, value lost, value still fillable, families at risk. */
export const RiskSummary = ({ risk, label }: { risk: Risk; label: string }) => (
  <dl className="govuk-summary-list" aria-label={label}>
    {[
      ['Places bought', `${risk.placesBought} (${pounds(risk.valueBoughtPence)})`],
      ['Places filled', String(risk.placesFilled)],
      ['Places empty', String(risk.placesVacant)],
      ['Freed late', String(risk.placesFreedLate)],
      ['Value that can no longer be filled', pounds(risk.lostPence)],
      ['Empty places that can still be filled', `${risk.placesFillable} (${pounds(risk.fillablePence)})`],
      ['Families at risk of dropping out', `${count(risk.familiesAtRisk)}${risk.atRiskPence === null ? '' : ` (${pounds(risk.atRiskPence)})`}`],
    ].map(([key, value]) => (
      <div className="govuk-summary-list__row" key={key}>
        <dt className="govuk-summary-list__key">{key}</dt>
        <dd className="govuk-summary-list__value">{value}</dd>
      </div>
    ))}
  </dl>
);
