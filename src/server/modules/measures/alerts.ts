import type { Timepoint } from '../../../shared/contracts/questionnaires.ts';
import type { InstrumentDefinition } from './instruments/index.ts';
import type { ScoreResult } from './scoring/index.ts';

/*
 * Which questionnaire results raise an alert on the case (issue 4 item 7). Pure, so every rule is tested without a
 * database. Reasons name the instrument and the rule, never an answer: they are shown wherever flags are, to staff
 * who may not need to know what a parent wrote.
 */

/** "CORE-10", "SDQ-P4-17", "BCAP": the id as staff say it, so reasons and lists stay short (titles run to a line). */
export const shortTitle = (instrument: Pick<InstrumentDefinition, 'id'>): string => instrument.id.toUpperCase();

export const timepointOrder: Record<Timepoint, number> = { pre: 0, post: 1, followup: 2 };
const timepointLabels: Record<Timepoint, string> = { pre: 'pre', post: 'post', followup: 'follow-up' };

export type ScoredAdministration = { timepoint: Timepoint; status: 'scored' | 'not_scorable'; scores: Record<string, number | null> };

/** Alerts raised by one administration on its own: a risk item, or a score at or over a risk cut-off. */
export const ownAlerts = (instrument: InstrumentDefinition, result: Pick<ScoreResult, 'flags'>, timepoint: Timepoint): string[] => {
  const reasons: string[] = [];
  const at = `${shortTitle(instrument)} (${timepointLabels[timepoint]})`;
  // BCAP: the abuse-potential score reached the cut-off (or could not fall below it whatever the missing items say).
  if (result.flags.includes('at_risk')) reasons.push(`${at}: the abuse-potential score is at or above the cut-off`);
  // CORE-10 item 6, CORE-OM risk items, PHQ-9 item 9: any answer above "Not at all" needs a clinical review.
  if (result.flags.includes('risk')) reasons.push(`${at}: a risk item was answered above "Not at all"`);
  return reasons;
};

/**
 * A reliable deterioration between two administrations of the same instrument by the same respondent about the same
 * subject: the later score is worse than the earlier one by at least the instrument's reliable-change value, in the
 * direction that is not improvement. Only scored administrations with the scale present are compared.
 */
export const deteriorations = (instrument: InstrumentDefinition, earlier: ScoredAdministration, later: ScoredAdministration): string[] => {
  const reasons: string[] = [];
  for (const rc of instrument.reliableChange) {
    const before = earlier.scores[rc.scale];
    const after = later.scores[rc.scale];
    if (typeof before !== 'number' || typeof after !== 'number') continue;
    const scale = instrument.scales.find((s) => s.key === rc.scale);
    if (!scale) continue;
    const worse = scale.improvement === 'lower' ? after - before : before - after;
    if (worse >= rc.value) {
      reasons.push(
        `${shortTitle(instrument)}: reliable deterioration in ${scale.label.toLowerCase()} from ${timepointLabels[earlier.timepoint]} to ${timepointLabels[later.timepoint]} (a change of ${rc.value} points or more)`,
      );
    }
  }
  return reasons;
};

/**
 * The pairs a newly saved administration forms with the others of its series: the nearest earlier timepoint before
 * it, and itself before the nearest later one (a pre form keyed after the post form is still compared).
 */
export const seriesAlerts = (instrument: InstrumentDefinition, saved: ScoredAdministration, others: readonly ScoredAdministration[]): string[] => {
  const order = timepointOrder[saved.timepoint];
  const scored = others.filter((o) => o.timepoint !== saved.timepoint);
  const earlier = scored.filter((o) => timepointOrder[o.timepoint] < order).sort((a, b) => timepointOrder[b.timepoint] - timepointOrder[a.timepoint])[0];
  const later = scored.filter((o) => timepointOrder[o.timepoint] > order).sort((a, b) => timepointOrder[a.timepoint] - timepointOrder[b.timepoint])[0];
  return [...(earlier ? deteriorations(instrument, earlier, saved) : []), ...(later ? deteriorations(instrument, saved, later) : [])];
};
