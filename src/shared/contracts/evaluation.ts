import { z } from 'zod';

/**
 * The outcomes report (issue 6): one JSON shape for `tandem report --json`, GET /api/evaluation/report and the
 * HTML/PDF/CSV exports. Field names are snake_case because the CLI's output format is a fixed interface.
 * Definitions of every figure: docs/evaluation.md.
 */

export const respondentRoles = ['mother', 'father', 'carer', 'child', 'teacher', 'other'] as const;
export type ReportRespondentRole = (typeof respondentRoles)[number];

const optionalText = (label: string) => z.string().trim().min(1, { message: 'must not be empty' }).max(200).optional().describe(label);

export const reportDoses = ['all', 'completers'] as const;

/**
 * Filters. Each applies to every administration; a pair counts only when both of its administrations pass.
 * Facilitator and dose read the programmes module's placements and registers, so they keep only questionnaires whose
 * respondent is linked to a person on a case; imported rows with no such link drop out under them (docs/evaluation.md).
 */
export const reportQuery = z
  .object({
    programme: optionalText('Programme name, exactly as recorded'),
    site: optionalText('Site name, exactly as recorded'),
    group: optionalText('Group label, exactly as recorded'),
    role: z.enum(respondentRoles, { message: `must be one of ${respondentRoles.join(', ')}` }).optional().describe('Respondent role'),
    from: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional().describe('Completed on or after this date'),
    to: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional().describe('Completed on or before this date'),
    facilitator: z.uuid({ message: 'must be a facilitator id (a uuid)' }).optional().describe("Families placed in a group this member of staff facilitated at least one session of"),
    dose: z
      .enum(reportDoses, { message: `must be one of ${reportDoses.join(', ')}` })
      .optional()
      .describe('completers: only respondents who reached their programme\'s completion rule in a group; all (default): everyone'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before "from"', path: ['to'] })
  // No component id: query strings are described inline in OpenAPI, one parameter per field.
  .describe('Filters for the outcomes report');
export type ReportFilters = z.infer<typeof reportQuery>;

const num = z.number().nullable();
const count = z.number().int().nullable();

export const proportionSchema = z
  .object({ numerator: count, denominator: count, pct: num, suppressed: z.boolean() })
  .meta({ id: 'EvaluationProportion', description: 'A percentage with its counts (pct = 100·numerator/denominator)' });

export const timepointFiguresSchema = z
  .object({
    n: count.describe('Scored, valid questionnaires at this timepoint'),
    mean: num,
    sd: num.describe('Sample SD (n − 1)'),
    ci_lower: num.describe('95 % CI of the mean (t)'),
    ci_upper: num,
    n_clinical: count.describe('In the clinical range (clinical_rule); null without a cut-off'),
    pct_clinical: num.describe('100 · n_clinical / n'),
    n_invalid_excluded: count.describe('Invalid protocols left out (BCAP lie/random responding)'),
    suppressed: z.boolean().describe('Built on fewer people than the minimum for this audience: figures withheld'),
  })
  .meta({ id: 'EvaluationTimepointFigures' });

export const pairedFiguresSchema = z
  .object({
    n: count.describe('Complete pairs'),
    mean_pre: num,
    mean_post: num.describe('Mean at the later timepoint (post or follow-up) over the same pairs'),
    mean_change: num.describe('mean(later − pre)'),
    sd_change: num,
    effect_size_dz: num.describe('mean change / SD of change'),
    dz_ci_lower: num,
    dz_ci_upper: num,
    dz_ci_method: z.enum(['noncentral-t', 'normal']).nullable(),
    t: num,
    df: count,
    t_test_p: num,
    wilcoxon_w: num,
    wilcoxon_z: num,
    wilcoxon_p: num,
    wilcoxon_method: z.enum(['exact', 'exact_conditional', 'normal']).nullable(),
    wilcoxon_n_zero: count,
    mcnemar_b: count.describe('Clinical → not clinical'),
    mcnemar_c: count.describe('Not clinical → clinical'),
    mcnemar_p: num,
    mcnemar_method: z.enum(['exact', 'chi_square']).nullable(),
    n_clinical_pre: count,
    n_clinical_post: count,
    n_recovered: count.describe('Clinical at pre and not at the later timepoint'),
    pct_recovered: num.describe('100 · n_recovered / n_clinical_pre'),
    n_reliable_improvement: count,
    n_no_reliable_change: count,
    n_reliable_deterioration: count,
    n_reliable_recovery: count.describe('Recovered and reliably improved (out of n_clinical_pre)'),
    reasons: z.record(z.string(), z.string()).describe('Why a figure is null (docs/evaluation.md §10)'),
    suppressed: z.boolean(),
    suppressed_fields: z.array(z.string()).describe('Fields withheld because their own denominator is small'),
  })
  .meta({ id: 'EvaluationPairedFigures' });

export const cellFiguresSchema = z
  .object({
    pre: timepointFiguresSchema,
    post: timepointFiguresSchema,
    followup: timepointFiguresSchema,
    paired: pairedFiguresSchema.describe('pre → post'),
    paired_followup: pairedFiguresSchema.describe('pre → follow-up'),
    completeness: z.object({ post: proportionSchema, followup: proportionSchema }).describe('Pre questionnaires that have a post / follow-up'),
  })
  .meta({ id: 'EvaluationCellFigures' });
export type CellFigures = z.infer<typeof cellFiguresSchema>;
export type TimepointFigures = z.infer<typeof timepointFiguresSchema>;
export type PairedFigures = z.infer<typeof pairedFiguresSchema>;

export const clinicalRuleSchema = z
  .object({
    op: z.enum(['gte', 'gt', 'lte', 'lt']),
    value: z.number(),
    text: z.string().describe('e.g. "CORE-10 total ≥ 11"'),
    source: z.string(),
    validated: z.boolean(),
  })
  .meta({ id: 'EvaluationClinicalRule' });

export const reliableChangeRuleSchema = z
  .object({ value: z.number(), confidence: z.string(), source: z.string(), text: z.string() })
  .meta({ id: 'EvaluationReliableChangeRule' });

export const measureReportSchema = z
  .object({
    instrument: z.string(),
    instrument_title: z.string(),
    scale: z.string(),
    scale_label: z.string(),
    primary: z.boolean().describe("The instrument's headline scale"),
    better: z.enum(['lower', 'higher']),
    range: z.tuple([z.number(), z.number()]).describe('Possible range of the score'),
    cutoff: num,
    clinical_rule: clinicalRuleSchema.nullable(),
    reliable_change: num,
    reliable_change_rule: reliableChangeRuleSchema.nullable(),
    valid_protocols_only: z.boolean(),
    by_role: z.record(z.string(), cellFiguresSchema).describe('"all" and each respondent role present'),
    by_site: z.record(z.string(), cellFiguresSchema),
    by_group: z.record(z.string(), cellFiguresSchema).nullable().describe('null when there are more groups than the report lists'),
  })
  .meta({ id: 'EvaluationMeasureReport' });
export type MeasureReport = z.infer<typeof measureReportSchema>;

export const reportSchema = z
  .object({
    filters: z.object({
      programme: z.string().nullable(),
      site: z.string().nullable(),
      group: z.string().nullable(),
      role: z.enum(respondentRoles).nullable(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      facilitator: z.string().nullable(),
      dose: z.enum(reportDoses).nullable(),
    }),
    generated_at: z.string(),
    audience: z.enum(['full', 'aggregate']).describe('aggregate: small numbers suppressed (commissioners)'),
    min_cell_size: z.number().int().nullable(),
    groups: z.object({ count: z.number().int(), listed: z.boolean(), limit: z.number().int() }),
    definitions: z.record(z.string(), z.string()),
    measures: z.array(measureReportSchema),
    unknown_instruments: z.array(z.string()).describe('Instruments in the data that Tandem has no definition for (not reported)'),
  })
  .meta({ id: 'EvaluationReport', description: 'The outcomes report: per-timepoint, paired and Jacobson–Truax figures per measure' });
export type Report = z.infer<typeof reportSchema>;

/**
 * What an outcome target (a funder's contract) measures, on the paired pre → post figures of one scale:
 * - recovered_pct: of those in the clinical range before, the percentage no longer in it after;
 * - mean_improvement: the mean change in the good direction, in the scale's points;
 * - reliable_improvement_pct: the percentage of people whose change in the good direction is at least the
 *   instrument's reliable-change value.
 */
export const outcomeMeasures = ['recovered_pct', 'mean_improvement', 'reliable_improvement_pct'] as const;
export type OutcomeMeasure = (typeof outcomeMeasures)[number];
export const outcomeMeasureLabels: Record<OutcomeMeasure, string> = {
  recovered_pct: '% in the clinical range before and not after',
  mean_improvement: 'mean improvement (points)',
  reliable_improvement_pct: '% reliably improved',
};
