import { describe, expect, it } from 'vitest';
import type { CellFigures, MeasureReport, PairedFigures, TimepointFigures } from '../../../../shared/contracts/evaluation.ts';
import { clinicalShiftChartSpec, jacobsonTruaxChartSpec, meansChartSpec } from './report-charts.ts';

const t = (n: number, mean: number, nClinical: number | null): TimepointFigures => ({
  n,
  mean,
  sd: 4,
  ci_lower: mean - 1,
  ci_upper: mean + 1,
  n_clinical: nClinical,
  pct_clinical: nClinical === null ? null : (100 * nClinical) / n,
  n_invalid_excluded: 0,
  suppressed: false,
});

const noPairs = { n: 0, reasons: { all: 'no_data' }, suppressed: false, suppressed_fields: [] } as unknown as PairedFigures;

const cell = (pre: number, post: number, clinical: boolean): CellFigures => ({
  pre: t(20, pre, clinical ? 12 : null),
  post: t(18, post, clinical ? 7 : null),
  followup: { ...t(0, 0, null), n: 0, mean: null, sd: null, ci_lower: null, ci_upper: null },
  paired: noPairs,
  paired_followup: noPairs,
  completeness: { post: { numerator: 17, denominator: 20, pct: 85, suppressed: false }, followup: { numerator: 0, denominator: 20, pct: 0, suppressed: false } },
});

const core10: MeasureReport = {
  instrument: 'core-10',
  instrument_title: 'CORE-10',
  scale: 'total',
  scale_label: 'Clinical score',
  primary: true,
  better: 'lower',
  range: [0, 40],
  cutoff: 11,
  clinical_rule: { op: 'gte', value: 11, text: 'CORE-10 clinical score ≥ 11', source: 'Barkham et al. 2013', validated: true },
  reliable_change: 6,
  reliable_change_rule: { value: 6, confidence: '90%', source: 'Barkham et al. 2013', text: 'a change of 6 points or more (90%)' },
  valid_protocols_only: false,
  by_role: { all: cell(14.2, 10.1, true), mother: cell(15, 10, true) },
  by_site: {},
  by_group: null,
};

const qmi: MeasureReport = { ...core10, instrument: 'qmi', instrument_title: 'QMI', scale_label: 'Total', better: 'higher', range: [6, 45], cutoff: null, clinical_rule: null, reliable_change: null, reliable_change_rule: null, by_role: { all: cell(28, 31, false) } };

describe('chart specs (snapshots of the Vega-Lite JSON)', () => {
  it('means with CIs per role and timepoint', () => {
    expect(meansChartSpec(core10)).toMatchSnapshot();
  });

  it('clinical-range shift, labelled with counts', () => {
    expect(clinicalShiftChartSpec(core10)).toMatchSnapshot();
  });

  it('no clinical-range chart without a cut-off', () => {
    expect(clinicalShiftChartSpec(qmi)).toBeNull();
  });

  it('Jacobson–Truax scatter with no-change line, reliable-change band and cut-off lines', () => {
    expect(jacobsonTruaxChartSpec(core10, [{ pre: 18, post: 12, n: 1 }, { pre: 22, post: 20, n: 3 }])).toMatchSnapshot();
  });

  it('scatter without RC or cut-off draws only the diagonal and the points', () => {
    const spec = jacobsonTruaxChartSpec(qmi, [{ pre: 25, post: 30, n: 2 }]) as { layer: { mark: { type: string } }[] };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['line', 'circle']);
  });
});
