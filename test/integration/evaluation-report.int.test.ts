import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellFigures, MeasureReport, Report } from '../../src/shared/contracts/evaluation.ts';
import { buildReport } from '../../src/server/modules/evaluation/index.ts';
import { inScope } from '../../src/server/platform/db/scope.ts';
import { reportFixture, seedAdministrations } from '../setup/evaluation-data.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type TestContext, type TestOrg } from '../setup/harness.ts';

/** Mean and sample SD computed here, independently of the statistics module. */
const meanSd = (xs: number[]): { mean: number; sd: number } => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd };
};

const measure = (report: Report, instrument: string, scale: string): MeasureReport => {
  const found = report.measures.find((m) => m.instrument === instrument && m.scale === scale);
  if (!found) throw new Error(`no measure ${instrument}/${scale} in ${report.measures.map((m) => `${m.instrument}/${m.scale}`).join(', ')}`);
  return found;
};

const cell = (cells: Record<string, CellFigures> | null, key: string): CellFigures => {
  const found = cells?.[key];
  if (!found) throw new Error(`no cell ${key} in ${Object.keys(cells ?? {}).join(', ')}`);
  return found;
};

describe(`outcomes report on ${engineName()}`, () => {
  let ctx: TestContext;
  let own: TestOrg;
  let other: TestOrg;
  const report = (filters = {}, options = {}) => buildReport(ctx.db.db, { organisationId: own.id, userId: null }, filters, options);

  beforeAll(async () => {
    ctx = await startTestApp();
    own = await createOrgWithStaff(ctx, 'Eval');
    other = await createOrgWithStaff(ctx, 'Elsewhere');
    await seedAdministrations(ctx.db.db, own.id, reportFixture('own'));
  });
  afterAll(async () => ctx?.close());

  it('CORE-10: per-timepoint n, mean, SD and % clinical (≥ 11) match values computed by hand', async () => {
    const r = await report();
    const core = measure(r, 'core-10', 'total');
    expect(core).toMatchObject({ better: 'lower', cutoff: 11, reliable_change: 6, primary: true });
    expect(core.clinical_rule?.text).toContain('≥ 11');
    const all = cell(core.by_role, 'all');
    const pre = [18, 22, 15, 11, 25, 14, 20, 9, 17, 13, 30];
    const post = [12, 20, 10, 11, 16, 15, 13, 8, 10, 12, 5];
    expect(all.pre.n).toBe(11);
    expect(all.pre.mean).toBeCloseTo(meanSd(pre).mean, 12);
    expect(all.pre.sd).toBeCloseTo(meanSd(pre).sd, 12);
    expect(all.pre.n_clinical).toBe(10);
    expect(all.pre.pct_clinical).toBeCloseTo((100 * 10) / 11, 12);
    expect(all.post.n).toBe(11);
    expect(all.post.mean).toBeCloseTo(meanSd(post).mean, 12);
    expect(all.post.sd).toBeCloseTo(meanSd(post).sd, 12);
    expect(all.post.n_clinical).toBe(7);
    expect(all.followup).toMatchObject({ n: 2, n_clinical: 2, pct_clinical: 100 });
    expect(all.followup.mean).toBeCloseTo(14.5, 12);
    expect(Object.keys(core.by_role)).toEqual(['all', 'mother', 'father', 'carer']);
    expect(cell(core.by_role, 'mother').pre.n).toBe(6);
    expect(cell(core.by_role, 'father').pre.n).toBe(5);
  });

  it('CORE-10 paired pre → post: the worked example of docs §12 (d_z, t, Wilcoxon, McNemar, Jacobson–Truax)', async () => {
    const all = cell(measure(await report(), 'core-10', 'total').by_role, 'all');
    const p = all.paired;
    expect(p.n).toBe(10);
    expect(p.mean_pre).toBeCloseTo(16.4, 12);
    expect(p.mean_post).toBeCloseTo(12.7, 12);
    expect(p.mean_change).toBeCloseTo(-3.7, 12);
    expect(p.sd_change).toBeCloseTo(3.498, 3);
    expect(p.effect_size_dz).toBeCloseTo(-1.058, 3);
    expect(p.dz_ci_lower).toBeCloseTo(-1.825, 3);
    expect(p.dz_ci_upper).toBeCloseTo(-0.255, 3);
    expect(p.t_test_p).toBeCloseTo(0.0086, 4);
    expect(p.wilcoxon_w).toBe(2);
    expect(p.wilcoxon_p).toBeCloseTo(0.0173, 4);
    expect(p).toMatchObject({
      n_clinical_pre: 9,
      n_clinical_post: 7,
      n_recovered: 2,
      n_reliable_improvement: 4,
      n_reliable_deterioration: 0,
      n_no_reliable_change: 6,
      n_reliable_recovery: 1,
      mcnemar_b: 2,
      mcnemar_c: 0,
      mcnemar_method: 'exact',
    });
    expect(p.pct_recovered).toBeCloseTo((100 * 2) / 9, 12);
    expect(p.mcnemar_p).toBeCloseTo(0.5, 12);
    expect(all.completeness.post).toMatchObject({ numerator: 10, denominator: 11 });
    expect(all.paired_followup).toMatchObject({ n: 2, mean_pre: 16, mean_post: 14.5, mean_change: -1.5 });
  });

  it('BCAP counts valid protocols only; QMI has no cut-off; SDQ uses the original 3-band "abnormal" line', async () => {
    const r = await report();
    const bcap = cell(measure(r, 'bcap', 'risk').by_role, 'all');
    expect(measure(r, 'bcap', 'risk')).toMatchObject({ cutoff: 12, reliable_change: null, valid_protocols_only: true });
    expect(bcap.pre).toMatchObject({ n: 4, n_clinical: 2, pct_clinical: 50, n_invalid_excluded: 1 });
    expect(bcap.post).toMatchObject({ n: 5, n_clinical: 2, pct_clinical: 40, n_invalid_excluded: 0 });
    expect(bcap.paired).toMatchObject({ n: 4, n_clinical_pre: 2, n_recovered: 1, pct_recovered: 50, mcnemar_b: 1, mcnemar_c: 1, n_reliable_improvement: null });
    expect(bcap.paired.reasons.n_reliable_improvement).toBe('no_reliable_change_value');

    const qmi = measure(r, 'qmi', 'total');
    expect(qmi).toMatchObject({ better: 'higher', cutoff: null, clinical_rule: null, reliable_change: null });
    const q = cell(qmi.by_role, 'all');
    expect(q.pre).toMatchObject({ n: 3, n_clinical: null, pct_clinical: null });
    expect(q.pre.mean).toBeCloseTo(83 / 3, 12);
    expect(q.paired).toMatchObject({ n: 3, n_clinical_pre: null, n_recovered: null, pct_recovered: null, mcnemar_p: null });
    expect(q.paired.mean_change).toBeCloseTo(10 / 3, 12);
    expect(q.paired.reasons.pct_recovered).toBe('no_cutoff');

    const sdq = measure(r, 'sdq-p4-17', 'total');
    expect(sdq.cutoff).toBe(17);
    expect(sdq.clinical_rule?.text).toContain('original 3-band');
    expect(cell(sdq.by_role, 'all').pre.n_clinical).toBe(2);
    expect(cell(sdq.by_role, 'all').paired).toMatchObject({ n: 2, n_clinical_pre: 2, n_recovered: 1 });
    const prosocial = measure(r, 'sdq-p4-17', 'prosocial');
    expect(prosocial.clinical_rule).toMatchObject({ op: 'lt', value: 5 });
    expect(cell(prosocial.by_role, 'all').pre.n_clinical).toBe(1);
    // Every reported SDQ scale is its own entry, headline first.
    expect(r.measures.filter((m) => m.instrument === 'sdq-p4-17').map((m) => m.scale)[0]).toBe('total');
    expect(r.measures.filter((m) => m.instrument === 'sdq-p4-17')).toHaveLength(9);
  });

  it('breakdowns by site and group, including a group where nothing could be scored', async () => {
    const core = measure(await report(), 'core-10', 'total');
    expect(cell(core.by_site, 'North').pre.n).toBe(6);
    expect(cell(core.by_site, 'South').paired.n).toBe(5);
    const g3 = cell(core.by_group, 'G3');
    expect(g3.pre).toMatchObject({ n: 0, mean: null, sd: null, n_clinical: 0, pct_clinical: null });
    expect(g3.paired).toMatchObject({ n: 0, effect_size_dz: null, wilcoxon_p: null, reasons: { all: 'no_data' } });
    expect(g3.completeness.post).toMatchObject({ numerator: 0, denominator: 0, pct: null });
  });

  it('filters: site, role, group and date range', async () => {
    const south = cell(measure(await report({ site: 'South' }), 'core-10', 'total').by_role, 'all');
    expect(south.pre.n).toBe(5);
    expect(south.post.n).toBe(6);
    expect(south.paired.n).toBe(5);
    expect(south.paired.mean_change).toBeCloseTo((1 - 7 - 1 - 7 - 1) / 5, 12);

    const fathers = await report({ role: 'father' });
    expect(Object.keys(measure(fathers, 'core-10', 'total').by_role)).toEqual(['all', 'father']);
    expect(fathers.filters.role).toBe('father');

    const g3 = await report({ group: 'G3' });
    expect(g3.measures.map((m) => m.instrument)).toEqual(['core-10']);
    expect(cell(g3.measures[0]?.by_role ?? null, 'all').pre.n).toBe(0);

    const preOnly = cell(measure(await report({ to: '2024-03-01' }), 'core-10', 'total').by_role, 'all');
    expect(preOnly.pre.n).toBe(11);
    expect(preOnly.post.n).toBe(0);
    expect(preOnly.paired).toMatchObject({ n: 0, reasons: { all: 'no_data' } });

    expect((await report({ programme: 'Nothing by this name' })).measures).toEqual([]);
  });

  it("another organisation's report contains none of this organisation's data", async () => {
    const theirs = await buildReport(ctx.db.db, { organisationId: other.id, userId: null }, {});
    expect(theirs.measures).toEqual([]);
  });

  it('commissioners get aggregates with small numbers suppressed; the minimum is configurable', async () => {
    const session = await signIn(ctx.app, own.users.commissioner.email);
    const res = await call(ctx.app, session, 'GET', '/api/evaluation/report');
    expect(res.statusCode).toBe(200);
    const r = res.json() as Report;
    expect(r).toMatchObject({ audience: 'aggregate', min_cell_size: 5 });
    const core = measure(r, 'core-10', 'total');
    expect(cell(core.by_role, 'all').pre).toMatchObject({ n: 11, suppressed: false });
    expect(cell(core.by_role, 'all').paired_followup).toMatchObject({ n: null, mean_change: null, suppressed: true });
    // Fathers: 5 pairs shown, but only 4 were clinical at pre, so the recovery figures are withheld.
    const fathers = cell(core.by_role, 'father').paired;
    expect(fathers).toMatchObject({ n: 5, suppressed: false, n_recovered: null, pct_recovered: null });
    expect(fathers.suppressed_fields).toEqual(['n_recovered', 'pct_recovered', 'n_reliable_recovery']);
    expect(cell(measure(r, 'qmi', 'total').by_role, 'all').pre).toMatchObject({ n: null, mean: null, suppressed: true });
    expect(cell(measure(r, 'bcap', 'risk').by_role, 'all').paired).toMatchObject({ n: null, suppressed: true });
    // k = 0 is not suppressed: there is nobody to identify.
    expect(cell(core.by_group, 'G3').pre).toMatchObject({ n: 0, suppressed: false });
    expect(JSON.stringify(r)).not.toContain('NaN');

    const lower = await report({}, { audience: { kind: 'aggregate', minCellSize: 3 } });
    expect(cell(measure(lower, 'qmi', 'total').by_role, 'all').pre).toMatchObject({ n: 3, suppressed: false });

    const evaluator = (await call(ctx.app, await signIn(ctx.app, own.users.evaluator.email), 'GET', '/api/evaluation/report')).json() as Report;
    expect(evaluator.audience).toBe('full');
    expect(cell(measure(evaluator, 'qmi', 'total').by_role, 'all').pre.n).toBe(3);
  });

  it('records viewing and exporting in the audit trail, as aggregate events', async () => {
    const session = await signIn(ctx.app, own.users.service_manager.email);
    expect((await call(ctx.app, session, 'GET', '/api/evaluation/report?site=North')).statusCode).toBe(200);
    const csv = await call(ctx.app, session, 'GET', '/api/evaluation/report.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('pre_n');
    const events = await inScope(ctx.db.db, { organisationId: own.id, userId: null }, (trx) =>
      sql<{ action: string; detail: Record<string, unknown> }>`SELECT action, detail FROM audit_event WHERE organisation_id = ${own.id} AND entity_type = 'evaluation_report' AND actor_user_id = ${own.users.service_manager.id} ORDER BY seq`.execute(trx),
    );
    expect(events.rows.map((e) => e.action)).toEqual(['view:evaluation', 'export:evaluation']);
    expect(events.rows[0]?.detail).toMatchObject({ aggregate: true, format: 'json', filters: { site: 'North' } });
    expect(events.rows[1]?.detail).toMatchObject({ aggregate: true, format: 'csv' });
  });

  it('bad filters are refused with the field named', async () => {
    const session = await signIn(ctx.app, own.users.org_admin.email);
    const res = await call(ctx.app, session, 'GET', '/api/evaluation/report?role=aunt&from=2024-13-01');
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/role|from/);
  });

  it('the HTML export carries SVG charts, and the PDF is a real PDF containing the figures', async () => {
    const session = await signIn(ctx.app, own.users.org_admin.email);
    const html = await call(ctx.app, session, 'GET', '/api/evaluation/report.html');
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('<svg');
    expect(html.body).toContain('Jacobson');
    expect(html.body).not.toMatch(/<script|src="http/);

    const pdf = await call(ctx.app, session, 'GET', '/api/evaluation/report.pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Text extraction needs pdftotext (Debian poppler-utils; CI installs it, see docs/evaluation.md).
    const dir = mkdtempSync(join(tmpdir(), 'tandem-pdf-'));
    try {
      const file = join(dir, 'report.pdf');
      writeFileSync(file, pdf.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Outcomes report');
      expect(text).toContain('CORE-10 clinical score ≥ 11');
      expect(text).toContain('10 of 11'); // pre with a post; also clinical at pre
      expect(text).toContain('2 of 9 (22.2 %)'); // recovered of clinical at pre
      expect(text).toContain('−1.06'); // d_z
      expect(text).toContain('16.4 → 12.7');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
