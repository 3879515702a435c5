/**
 * The report as CSV: one row per measure × breakdown (role, site, group) × key, every figure in its own column,
 * numbers unrounded, rules alongside. "suppressed" columns say when an aggregate audience's figure was withheld.
 */
import { stringify } from 'csv-stringify/sync';
import type { CellFigures, PairedFigures, Report, TimepointFigures } from '../../../../shared/contracts/evaluation.ts';

const T_FIELDS = ['n', 'mean', 'sd', 'ci_lower', 'ci_upper', 'n_clinical', 'pct_clinical', 'n_invalid_excluded', 'suppressed'] as const satisfies readonly (keyof TimepointFigures)[];
const P_FIELDS = [
  'n',
  'mean_pre',
  'mean_post',
  'mean_change',
  'sd_change',
  'effect_size_dz',
  'dz_ci_lower',
  'dz_ci_upper',
  'dz_ci_method',
  't',
  'df',
  't_test_p',
  'wilcoxon_w',
  'wilcoxon_z',
  'wilcoxon_p',
  'wilcoxon_method',
  'mcnemar_b',
  'mcnemar_c',
  'mcnemar_p',
  'mcnemar_method',
  'n_clinical_pre',
  'n_clinical_post',
  'n_recovered',
  'pct_recovered',
  'n_reliable_improvement',
  'n_no_reliable_change',
  'n_reliable_deterioration',
  'n_reliable_recovery',
  'suppressed',
] as const satisfies readonly (keyof PairedFigures)[];

const HEADER = [
  'instrument',
  'scale',
  'better',
  'clinical_rule',
  'reliable_change_rule',
  'breakdown',
  'key',
  ...(['pre', 'post', 'followup'] as const).flatMap((tp) => T_FIELDS.map((f) => `${tp}_${f}`)),
  ...(['paired', 'paired_followup'] as const).flatMap((p) => P_FIELDS.map((f) => `${p}_${f}`)),
  'completeness_post_numerator',
  'completeness_post_denominator',
  'completeness_post_pct',
  'completeness_followup_numerator',
  'completeness_followup_denominator',
  'completeness_followup_pct',
];

type Cell = string | number | boolean | null;

const rowOf = (cell: CellFigures): Cell[] => [
  ...(['pre', 'post', 'followup'] as const).flatMap((tp) => T_FIELDS.map((f) => cell[tp][f])),
  ...(['paired', 'paired_followup'] as const).flatMap((p) => P_FIELDS.map((f) => cell[p][f])),
  cell.completeness.post.numerator,
  cell.completeness.post.denominator,
  cell.completeness.post.pct,
  cell.completeness.followup.numerator,
  cell.completeness.followup.denominator,
  cell.completeness.followup.pct,
];

export const renderReportCsv = (report: Report): string => {
  const rows: Cell[][] = [];
  for (const m of report.measures) {
    const head = [m.instrument, m.scale, m.better, m.clinical_rule?.text ?? '', m.reliable_change_rule?.text ?? ''];
    const breakdowns: [string, Record<string, CellFigures> | null][] = [
      ['role', m.by_role],
      ['site', m.by_site],
      ['group', m.by_group],
    ];
    for (const [breakdown, cells] of breakdowns) {
      for (const [key, cell] of Object.entries(cells ?? {})) rows.push([...head, breakdown, key, ...rowOf(cell)]);
    }
  }
  // Nulls become empty cells (not "null"), booleans true/false, numbers as JavaScript prints them (unrounded).
  return stringify(rows, { header: true, columns: HEADER, cast: { boolean: (b) => (b ? 'true' : 'false') } });
};
