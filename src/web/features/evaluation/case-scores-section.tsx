import { isApiError } from '../../api/client.ts';
import type { CaseDetail } from '../../api/endpoints.ts';
import { LoadFailed, Loading } from '../../components/feedback.tsx';
import { formatDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { evaluationApi } from './evaluation-api.ts';

const TIMEPOINTS = { pre: 'Pre', post: 'Post', followup: 'Follow-up' } as const;
const signed = (x: number): string => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(Number(x.toFixed(1)))}`;

/**
 * Each parent's own chart on their case (issue 6): their headline score at every questionnaire, the cut-off and
 * the reliable-change band, drawn by the server from the same chart library as the report. Opening it is a read
 * of their personal data, so the server audits it.
 */
export const CaseScoresSection = ({ item }: { item: CaseDetail }) => {
  const [scores] = useLoad(() => evaluationApi.caseScores(item.id), [item.id]);
  const names = new Map(item.members.map((m) => [m.personId, `${m.givenName} ${m.familyName}`]));
  const people = scores.status === 'done' ? scores.data.people.filter((p) => p.series.length > 0) : [];
  return (
    <section className="tandem-block" aria-labelledby="scores-heading">
      <h2 className="govuk-heading-m" id="scores-heading">
        Scores over time
      </h2>
      {scores.status === 'loading' ? <Loading what="scores" /> : null}
      {scores.status === 'failed' ? <LoadFailed message={isApiError(scores.error) ? scores.error.message : 'The scores could not be loaded.'} /> : null}
      {scores.status === 'done' && people.length === 0 ? <p className="govuk-body">No scored questionnaires yet.</p> : null}
      {people.map((person) =>
        person.series.map((series) => (
          <div key={`${person.personId}-${series.instrument}-${series.instrument_title}`} className="tandem-person-scores">
            <h3 className="govuk-heading-s">{`${names.get(person.personId) ?? 'Parent'}: ${series.instrument_title} ${series.scale_label.toLowerCase()}`}</h3>
            <figure className="tandem-chart" data-chart="person">
              <div className="tandem-chart__image" dangerouslySetInnerHTML={{ __html: series.svg }} />
              <figcaption className="govuk-body-s tandem-secondary-text">
                {[
                  `${series.better === 'lower' ? 'Lower' : 'Higher'} is better.`,
                  series.clinical_rule ? `Clinical range: ${series.clinical_rule}.` : 'No validated clinical cut-off.',
                  series.reliable_change_rule ? `Reliable change: ${series.reliable_change_rule}.` : 'No reliable-change value for this scale.',
                ].join(' ')}
              </figcaption>
            </figure>
            <ul className="govuk-list">
              {series.points.map((p) => (
                <li key={`${p.timepoint}-${p.completed_on}`}>{`${TIMEPOINTS[p.timepoint]}, ${formatDay(p.completed_on)}: ${p.score.toFixed(1).replace(/\.0$/, '')}`}</li>
              ))}
            </ul>
            {series.change ? (
              <p className="govuk-body">{`From first to latest: ${signed(series.change.difference)} points (${series.change.reading}).`}</p>
            ) : null}
          </div>
        )),
      )}
    </section>
  );
};
