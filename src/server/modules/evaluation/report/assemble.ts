/**
 * Pools the SQL cells into the report (pure: rows in, report out). Every figure is computed by the statistics
 * module from pooled sufficient statistics; nothing here re-defines a statistic.
 */
import type {
  CellFigures,
  MeasureReport,
  PairedFigures,
  ReportFilters,
  TimepointFigures,
} from '../../../../shared/contracts/evaluation.ts';
import { respondentRoles } from '../../../../shared/contracts/evaluation.ts';
import {
  combineMoments,
  describeMoments,
  effectSizeDzFromSummary,
  EMPTY_MOMENTS,
  mcnemar,
  meanConfidenceIntervalOf,
  mustSuppress,
  pairedTTestFromSummary,
  wilcoxonSignedRankFromCounts,
  type Moments,
} from '../stats/index.ts';
import type { MeasureRule } from './measure-rules.ts';
import type { PairRow, SlotPlan, TimepointRow } from './report.queries.ts';

/** Who the report is for: 'aggregate' audiences (commissioners) get small numbers suppressed. */
export type Audience = { readonly kind: 'full' } | { readonly kind: 'aggregate'; readonly minCellSize: number };

/** The key used for administrations recorded without a site. */
export const NO_SITE = '(no site)';
/** The key used for administrations recorded without a group. */
export const NO_GROUP = '(no group)';

type Dimension = 'role' | 'site' | 'group';
type Timepoint = 'pre' | 'post' | 'followup';

type TimepointAcc = { moments: Moments; nClinical: number; nInvalid: number };
type PairBin = { n: number; sumPre: number; sumPost: number; nClinicalPre: number; nClinicalPost: number; b: number; c: number };

const cellKey = (instrument: string, slot: number, dimension: Dimension, value: string): string => `${instrument}\u0000${slot}\u0000${dimension}\u0000${value}`;

const cellsOf = (row: { role: string; site: string; groupLabel: string }, withGroups: boolean): [Dimension, string][] => {
  const cells: [Dimension, string][] = [
    ['role', 'all'],
    ['role', row.role],
    ['site', row.site === '' ? NO_SITE : row.site],
  ];
  if (withGroups) cells.push(['group', row.groupLabel === '' ? NO_GROUP : row.groupLabel]);
  return cells;
};

const numberOf = (value: unknown): number => (typeof value === 'number' ? value : value === null || value === undefined ? 0 : Number(value));

/** The figures shown for one timepoint of one cell. */
const timepointFigures = (acc: TimepointAcc | undefined, rule: MeasureRule, audience: Audience): TimepointFigures => {
  const moments = acc?.moments ?? EMPTY_MOMENTS;
  const d = describeMoments(moments);
  const n = d.n;
  if (audience.kind === 'aggregate' && mustSuppress(n, audience.minCellSize)) {
    return { n: null, mean: null, sd: null, ci_lower: null, ci_upper: null, n_clinical: null, pct_clinical: null, n_invalid_excluded: null, suppressed: true };
  }
  const ci = meanConfidenceIntervalOf(d);
  const nClinical = rule.clinical === null ? null : (acc?.nClinical ?? 0);
  return {
    n,
    mean: d.mean,
    sd: d.sd,
    ci_lower: ci.lower,
    ci_upper: ci.upper,
    n_clinical: nClinical,
    pct_clinical: nClinical === null || n === 0 ? null : (100 * nClinical) / n,
    n_invalid_excluded: acc?.nInvalid ?? 0,
    suppressed: false,
  };
};

const EMPTY_PAIRED_NUMBERS = {
  n: null,
  mean_pre: null,
  mean_post: null,
  mean_change: null,
  sd_change: null,
  effect_size_dz: null,
  dz_ci_lower: null,
  dz_ci_upper: null,
  dz_ci_method: null,
  t: null,
  df: null,
  t_test_p: null,
  wilcoxon_w: null,
  wilcoxon_z: null,
  wilcoxon_p: null,
  wilcoxon_method: null,
  wilcoxon_n_zero: null,
  mcnemar_b: null,
  mcnemar_c: null,
  mcnemar_p: null,
  mcnemar_method: null,
  n_clinical_pre: null,
  n_clinical_post: null,
  n_recovered: null,
  pct_recovered: null,
  n_reliable_improvement: null,
  n_no_reliable_change: null,
  n_reliable_deterioration: null,
  n_reliable_recovery: null,
} as const;

/**
 * Above this many pairs the d_z CI uses the normal approximation: measured against the exact noncentral-t
 * interval for n ≥ 2,000 and |d_z| ≤ 1.9, the limits differ by at most 1e-4 (shown to 2 decimals). The exact
 * interval costs about 0.2 ms at n = 2,000 (Brent's method over a CDF summed by recurrences; it was up to 100 ms),
 * so the threshold now only keeps the published figures unchanged. `dz_ci_method` says which was used.
 */
export const EXACT_DZ_CI_MAX_N = 2000;

/** Change in the good direction: positive is better, whatever the instrument's direction. */
const improvementOf = (d: number, rule: MeasureRule): number => (rule.better === 'lower' ? -d : d);

/** The paired figures of one cell from its histogram of differences. */
export const pairedFigures = (bins: ReadonlyMap<number, PairBin> | undefined, rule: MeasureRule, audience: Audience): PairedFigures => {
  const entries = [...(bins ?? new Map<number, PairBin>())].filter(([, bin]) => bin.n > 0);
  const n = entries.reduce((sum, [, bin]) => sum + bin.n, 0);
  const reasons: Record<string, string> = {};
  if (n === 0) {
    return { ...EMPTY_PAIRED_NUMBERS, n: 0, reasons: { all: 'no_data' }, suppressed: false, suppressed_fields: [] };
  }
  if (audience.kind === 'aggregate' && mustSuppress(n, audience.minCellSize)) {
    return { ...EMPTY_PAIRED_NUMBERS, reasons: {}, suppressed: true, suppressed_fields: [] };
  }
  const sumPre = entries.reduce((sum, [, bin]) => sum + bin.sumPre, 0);
  const sumPost = entries.reduce((sum, [, bin]) => sum + bin.sumPost, 0);
  const meanChange = entries.reduce((sum, [d, bin]) => sum + d * bin.n, 0) / n;
  // Two-pass SD over the histogram: exact, no cancellation.
  const m2 = entries.reduce((sum, [d, bin]) => sum + bin.n * (d - meanChange) ** 2, 0);
  const summary = {
    n,
    mean: meanChange,
    sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : null,
    maxAbsDifference: entries.reduce((max, [d]) => Math.max(max, Math.abs(d)), 0),
  };
  const effect = effectSizeDzFromSummary(summary, { ciMethod: n > EXACT_DZ_CI_MAX_N ? 'normal' : 'noncentral-t' });
  const tTest = pairedTTestFromSummary(summary);
  const wilcoxon = wilcoxonSignedRankFromCounts(entries.map(([difference, bin]) => ({ difference, count: bin.n })));
  if (effect.reason) reasons.effect_size_dz = effect.reason;
  if (tTest.reason) reasons.t_test_p = tTest.reason;
  if (wilcoxon.reason) reasons.wilcoxon_p = wilcoxon.reason;

  const hasCutoff = rule.clinical !== null;
  const nClinicalPre = entries.reduce((sum, [, bin]) => sum + bin.nClinicalPre, 0);
  const nClinicalPost = entries.reduce((sum, [, bin]) => sum + bin.nClinicalPost, 0);
  const b = entries.reduce((sum, [, bin]) => sum + bin.b, 0);
  const c = entries.reduce((sum, [, bin]) => sum + bin.c, 0);
  const test = hasCutoff ? mcnemar({ b, c }, n) : null;
  if (!hasCutoff) {
    for (const field of ['mcnemar_p', 'n_clinical_pre', 'n_recovered', 'pct_recovered', 'n_reliable_recovery']) reasons[field] = 'no_cutoff';
  }
  const rc = rule.reliableChange?.value ?? null;
  if (rc === null) {
    for (const field of ['n_reliable_improvement', 'n_reliable_deterioration', 'n_reliable_recovery']) reasons[field] ??= 'no_reliable_change_value';
  }
  // "Reliable" is a change at least as large as RC (≥), docs/evaluation.md §6.
  const reliablyImproved = (d: number): boolean => rc !== null && improvementOf(d, rule) >= rc;
  const reliablyWorse = (d: number): boolean => rc !== null && -improvementOf(d, rule) >= rc;
  const nImproved = rc === null ? null : entries.reduce((sum, [d, bin]) => sum + (reliablyImproved(d) ? bin.n : 0), 0);
  const nWorse = rc === null ? null : entries.reduce((sum, [d, bin]) => sum + (reliablyWorse(d) ? bin.n : 0), 0);
  const nReliableRecovery = rc === null || !hasCutoff ? null : entries.reduce((sum, [d, bin]) => sum + (reliablyImproved(d) ? bin.b : 0), 0);
  if (hasCutoff && nClinicalPre === 0) reasons.pct_recovered = 'no_data';

  const figures: PairedFigures = {
    n,
    mean_pre: sumPre / n,
    mean_post: sumPost / n,
    mean_change: meanChange,
    sd_change: summary.sd === null ? null : effect.reason === 'zero_sd_of_change' ? 0 : summary.sd,
    effect_size_dz: effect.dz,
    dz_ci_lower: effect.ciLower,
    dz_ci_upper: effect.ciUpper,
    dz_ci_method: effect.dz === null ? null : effect.ciMethod,
    t: tTest.t,
    df: tTest.df,
    t_test_p: tTest.p,
    wilcoxon_w: wilcoxon.w,
    wilcoxon_z: wilcoxon.z,
    wilcoxon_p: wilcoxon.p,
    wilcoxon_method: wilcoxon.method,
    wilcoxon_n_zero: wilcoxon.nZero,
    mcnemar_b: hasCutoff ? b : null,
    mcnemar_c: hasCutoff ? c : null,
    mcnemar_p: test?.p ?? null,
    mcnemar_method: test?.used ?? null,
    n_clinical_pre: hasCutoff ? nClinicalPre : null,
    n_clinical_post: hasCutoff ? nClinicalPost : null,
    n_recovered: hasCutoff ? b : null,
    pct_recovered: hasCutoff && nClinicalPre > 0 ? (100 * b) / nClinicalPre : null,
    n_reliable_improvement: nImproved,
    n_no_reliable_change: nImproved === null || nWorse === null ? null : n - nImproved - nWorse,
    n_reliable_deterioration: nWorse,
    n_reliable_recovery: nReliableRecovery,
    reasons,
    suppressed: false,
    suppressed_fields: [],
  };
  // Recovery figures are proportions of n_clinical_pre: suppressed on their own denominator (docs §9).
  if (audience.kind === 'aggregate' && hasCutoff && mustSuppress(nClinicalPre, audience.minCellSize)) {
    return { ...figures, n_recovered: null, pct_recovered: null, n_reliable_recovery: null, suppressed_fields: ['n_recovered', 'pct_recovered', 'n_reliable_recovery'] };
  }
  return figures;
};

const completeness = (numerator: number | null, denominator: number | null, audience: Audience) => {
  const den = denominator ?? 0;
  if (audience.kind === 'aggregate' && (mustSuppress(den, audience.minCellSize) || numerator === null)) {
    return { numerator: null, denominator: null, pct: null, suppressed: den > 0 };
  }
  const num = numerator ?? 0;
  return { numerator: num, denominator: den, pct: den === 0 ? null : (100 * num) / den, suppressed: false };
};

export type AssembleInput = {
  readonly rules: readonly MeasureRule[];
  readonly plan: SlotPlan;
  readonly timepointRows: readonly TimepointRow[];
  readonly pairRows: readonly PairRow[];
  readonly withGroups: boolean;
  readonly audience: Audience;
  readonly filters: ReportFilters;
};

const roleOrder = (role: string): number => {
  const index = (respondentRoles as readonly string[]).indexOf(role);
  return index === -1 ? respondentRoles.length : index;
};

/** Builds each measure's figures for "all", every role, every site and (when listed) every group. */
export const assembleMeasures = (input: AssembleInput): MeasureReport[] => {
  const { plan, withGroups, audience } = input;
  const timepoints = new Map<string, TimepointAcc>();
  const pairs = new Map<string, Map<number, PairBin>>();
  const keysSeen = new Map<string, Map<Dimension, Set<string>>>();
  const noteKey = (instrument: string, dimension: Dimension, value: string): void => {
    const byDim = keysSeen.get(instrument) ?? new Map<Dimension, Set<string>>();
    const set = byDim.get(dimension) ?? new Set<string>();
    set.add(value);
    byDim.set(dimension, set);
    keysSeen.set(instrument, byDim);
  };

  for (const row of input.timepointRows) {
    const rules = plan.byInstrument.get(row.instrumentId);
    if (!rules) continue;
    const cells = cellsOf(row, withGroups);
    for (const [dimension, value] of cells) noteKey(row.instrumentId, dimension, value);
    rules.forEach((_, slot) => {
      const n = numberOf(row[`n${slot}`]);
      const moments: Moments = n === 0 ? EMPTY_MOMENTS : { n, mean: numberOf(row[`mean${slot}`]), m2: numberOf(row[`m2${slot}`]) };
      const nClinical = numberOf(row[`nc${slot}`]);
      for (const [dimension, value] of cells) {
        const key = `${cellKey(row.instrumentId, slot, dimension, value)}\u0000${row.timepoint}`;
        const acc = timepoints.get(key) ?? { moments: EMPTY_MOMENTS, nClinical: 0, nInvalid: 0 };
        timepoints.set(key, {
          moments: combineMoments(acc.moments, moments),
          nClinical: acc.nClinical + nClinical,
          nInvalid: acc.nInvalid + numberOf(row.nInvalid),
        });
      }
    });
  }

  for (const row of input.pairRows) {
    if (!plan.byInstrument.get(row.instrumentId)?.[row.slot]) continue;
    for (const [dimension, value] of cellsOf(row, withGroups)) {
      const key = `${cellKey(row.instrumentId, row.slot, dimension, value)}\u0000${row.timepoint}`;
      const bins = pairs.get(key) ?? new Map<number, PairBin>();
      const d = numberOf(row.d);
      const bin = bins.get(d) ?? { n: 0, sumPre: 0, sumPost: 0, nClinicalPre: 0, nClinicalPost: 0, b: 0, c: 0 };
      bins.set(d, {
        n: bin.n + numberOf(row.n),
        sumPre: bin.sumPre + numberOf(row.sumPre),
        sumPost: bin.sumPost + numberOf(row.sumPost),
        nClinicalPre: bin.nClinicalPre + numberOf(row.nClinicalPre),
        nClinicalPost: bin.nClinicalPost + numberOf(row.nClinicalPost),
        b: bin.b + numberOf(row.b),
        c: bin.c + numberOf(row.c),
      });
      pairs.set(key, bins);
    }
  }

  const figuresFor = (rule: MeasureRule, slot: number, dimension: Dimension, value: string): CellFigures => {
    const base = cellKey(rule.instrument, slot, dimension, value);
    const tp = (timepoint: Timepoint) => timepointFigures(timepoints.get(`${base}\u0000${timepoint}`), rule, audience);
    const pre = tp('pre');
    const paired = pairedFigures(pairs.get(`${base}\u0000post`), rule, audience);
    const pairedFollowup = pairedFigures(pairs.get(`${base}\u0000followup`), rule, audience);
    const preN = timepoints.get(`${base}\u0000pre`)?.moments.n ?? 0;
    return {
      pre,
      post: tp('post'),
      followup: tp('followup'),
      paired,
      paired_followup: pairedFollowup,
      completeness: { post: completeness(paired.n, preN, audience), followup: completeness(pairedFollowup.n, preN, audience) },
    };
  };

  return input.rules.flatMap((rule) => {
    const slot = plan.byInstrument.get(rule.instrument)?.indexOf(rule) ?? -1;
    const seen = keysSeen.get(rule.instrument);
    if (slot < 0 || !seen) return [];
    const roles = [...(seen.get('role') ?? [])].filter((r) => r !== 'all').sort((a, b) => roleOrder(a) - roleOrder(b));
    const sites = [...(seen.get('site') ?? [])].sort((a, b) => a.localeCompare(b));
    const groups = [...(seen.get('group') ?? [])].sort((a, b) => a.localeCompare(b));
    const byRole: Record<string, CellFigures> = { all: figuresFor(rule, slot, 'role', 'all') };
    for (const role of roles) byRole[role] = figuresFor(rule, slot, 'role', role);
    const bySite: Record<string, CellFigures> = {};
    for (const site of sites) bySite[site] = figuresFor(rule, slot, 'site', site);
    let byGroup: Record<string, CellFigures> | null = null;
    if (withGroups) {
      byGroup = {};
      for (const group of groups) byGroup[group] = figuresFor(rule, slot, 'group', group);
    }
    return [
      {
        instrument: rule.instrument,
        instrument_title: rule.instrumentTitle,
        scale: rule.scale,
        scale_label: rule.scaleLabel,
        primary: rule.primary,
        better: rule.better,
        range: [rule.range[0], rule.range[1]],
        cutoff: rule.clinical?.value ?? null,
        clinical_rule: rule.clinical,
        reliable_change: rule.reliableChange?.value ?? null,
        reliable_change_rule: rule.reliableChange,
        valid_protocols_only: rule.validProtocolsOnly,
        by_role: byRole,
        by_site: bySite,
        by_group: byGroup,
      },
    ];
  });
};

/** What each proportion is out of, printed with the report so no percentage stands without its denominator. */
export const REPORT_DEFINITIONS: Record<string, string> = {
  n: 'pre/post/followup: scored, valid questionnaires at that timepoint; paired: people (pairing units) with both scores',
  pct_clinical: '100 · n_clinical / n (same timepoint)',
  pct_recovered: '100 · n_recovered / n_clinical_pre (paired)',
  n_recovered: 'clinical at pre and not clinical at the later timepoint (paired)',
  n_reliable_improvement: 'paired people whose change in the good direction is at least the reliable-change value; out of paired n',
  n_reliable_deterioration: 'paired people whose change in the bad direction is at least the reliable-change value; out of paired n',
  n_reliable_recovery: 'recovered and reliably improved; out of n_clinical_pre',
  effect_size_dz: 'mean change / SD of change (d_z), with an exact noncentral-t 95 % CI',
  completeness: 'pre questionnaires (valid, scored) that have a matching post / follow-up; pairing key: respondent, subject, instrument, programme, group',
  suppressed: 'aggregate audiences: any figure built on 1 to (min_cell_size − 1) people is withheld, and its n too',
};
