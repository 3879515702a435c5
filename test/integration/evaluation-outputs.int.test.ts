import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOutcomes } from '../../src/server/modules/evaluation/index.ts';
import type { CaseScores, FunderReturn, ReportPage } from '../../src/shared/contracts/evaluation-outputs.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

const pdfText = (payload: Buffer): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-outputs-pdf-'));
  try {
    const file = join(dir, 'return.pdf');
    writeFileSync(file, payload);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const currentQuarter = (): string => {
  const now = new Date();
  return `${now.getUTCFullYear()}-Q${Math.ceil((now.getUTCMonth() + 1) / 3)}`;
};

describe(`evaluation outputs (report page, participant chart, pseudonymised export, funders' returns) on ${engineName()}`, () => {
  let ctx: TestContext;
  let own: TestOrg;
  let other: TestOrg;
  let manager: Session;
  let caseId = '';
  let personId = '';
  let administrations = 0;

  beforeAll(async () => {
    ctx = await startTestApp();
    own = await createOrgWithStaff(ctx, 'Outputs');
    other = await createOrgWithStaff(ctx, 'Elsewhere');
    manager = await signIn(ctx.app, own.users.service_manager.email);
    const r = (await call(ctx.app, manager, 'POST', '/api/referrals', { submission: aReferral() })).json();
    const accepted = (await call(ctx.app, manager, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', version: r.version })).json();
    caseId = accepted.caseId;
    const detail = (await call(ctx.app, manager, 'GET', `/api/cases/${caseId}`)).json();
    personId = detail.members.find((m: { isChild: boolean }) => !m.isChild).personId;
    administrations = await seedDemoOutcomes(ctx.db.db, own.id, [{ personId, role: 'mother' }]);
  });
  afterAll(async () => ctx?.close());

  const auditCount = async (action: string, entityType: string, entityId?: string): Promise<number> => {
    const rows = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_event WHERE organisation_id = ${own.id} AND action = ${action} AND entity_type = ${entityType} ${entityId ? sql`AND entity_id = ${entityId}` : sql``}`.execute(ctx.db.db);
    return Number(rows.rows[0]?.n ?? 0);
  };

  it('the report page: the report, its charts as SVG from the spec builders, and the filter choices; audited as a view', async () => {
    const before = await auditCount('view:evaluation', 'evaluation_report');
    const res = await call(ctx.app, manager, 'GET', '/api/evaluation/report/page?site=Eastfield&role=mother');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as ReportPage;
    expect(page.report.filters).toMatchObject({ site: 'Eastfield', role: 'mother' });
    const core = page.report.measures.find((m) => m.instrument === 'core-10' && m.primary);
    expect(core?.by_role.all?.pre.n).toBeGreaterThanOrEqual(10);
    expect(Object.keys(core?.by_site ?? {})).toEqual(['Eastfield']);
    expect(page.charts.map((c) => c.kind)).toEqual(['means', 'clinical_shift', 'jacobson_truax']);
    for (const chart of page.charts) {
      expect(chart.svg.startsWith('<svg role="img" aria-label=')).toBe(true);
      expect(chart.svg).toContain('</svg>');
    }
    expect(page.options.sites).toEqual(['Eastfield', 'Northgate']);
    expect(page.options.roles).toEqual(['mother', 'father']);
    expect(page.options.groups).toContain('Eastfield spring group');
    expect(await auditCount('view:evaluation', 'evaluation_report')).toBe(before + 1);

    // Commissioners: aggregate audience, no participant-level scatter.
    const commissioner = await signIn(ctx.app, own.users.commissioner.email);
    const agg = (await call(ctx.app, commissioner, 'GET', '/api/evaluation/report/page?site=Eastfield')).json() as ReportPage;
    expect(agg.report.audience).toBe('aggregate');
    expect(agg.charts.map((c) => c.kind)).not.toContain('jacobson_truax');
    expect((await call(ctx.app, manager, 'GET', '/api/evaluation/report/page?from=2024-02-01&to=2024-01-01')).statusCode).toBe(400);
  });

  it("a participant's own chart on their case: scores over time with cut-off and reliable-change band, audited per person", async () => {
    const before = await auditCount('view:scores', 'person', personId);
    const res = await call(ctx.app, manager, 'GET', `/api/cases/${caseId}/scores`);
    expect(res.statusCode, res.body).toBe(200);
    const scores = res.json() as CaseScores;
    const mine = scores.people.find((p) => p.personId === personId);
    const series = mine?.series[0];
    expect(series).toMatchObject({ instrument: 'core-10', scale: 'total', cutoff: 11, reliable_change: 6, better: 'lower' });
    expect(series?.points.map((p) => p.timepoint)).toEqual(['pre', 'post', 'followup']);
    expect(series?.change?.reading).toMatch(/^(reliable improvement|reliable deterioration|no reliable change)$/);
    expect(series?.svg).toContain('<svg');
    expect(await auditCount('view:scores', 'person', personId)).toBe(before + 1);

    const otherManager = await signIn(ctx.app, other.users.service_manager.email);
    expect((await call(ctx.app, otherManager, 'GET', `/api/cases/${caseId}/scores`)).statusCode).toBe(404);
    const evaluator = await signIn(ctx.app, own.users.evaluator.email);
    expect((await call(ctx.app, evaluator, 'GET', `/api/cases/${caseId}/scores`)).statusCode).toBe(403);
  });

  it('the pseudonymised export: one row per questionnaire, keys specific to the export, months not days, nothing identifying; audited per person', async () => {
    const evaluator = await signIn(ctx.app, own.users.evaluator.email);
    const res = await call(ctx.app, evaluator, 'GET', '/api/evaluation/pseudonymised.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="pseudonymised-/);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(administrations);
    expect(Object.keys(rows[0] ?? {}).slice(0, 3)).toEqual(['respondent_key', 'subject_key', 'family_key']);
    expect(res.body).not.toContain('DEMO-F');
    expect(res.body).not.toContain(personId);
    expect(res.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const row of rows) {
      expect(row.completed_month).toMatch(/^\d{4}-\d{2}$/);
      expect(row.respondent_key).toMatch(/^P-[0-9a-f]{16}$/);
      expect(Number(row.score_total)).toBeGreaterThanOrEqual(0);
      expect(row.item_1).toMatch(/^[0-4]$/);
    }
    const respondents = await sql<{ n: string }>`SELECT count(DISTINCT respondent_id)::text AS n FROM administration WHERE organisation_id = ${own.id}`.execute(ctx.db.db);
    const people = Number(respondents.rows[0]?.n);
    // A person's pre, post and follow-up share one key ...
    expect(new Set(rows.map((r) => r.respondent_key)).size).toBe(people);
    // ... and a second export gives everyone different keys.
    const again = parse((await call(ctx.app, evaluator, 'GET', '/api/evaluation/pseudonymised.csv')).body, { columns: true }) as Record<string, string>[];
    const firstKeys = new Set(rows.map((r) => r.respondent_key));
    expect(again.some((r) => firstKeys.has(r.respondent_key ?? ''))).toBe(false);
    expect(await auditCount('export:pseudonymised', 'pseudonymised_export')).toBe(2);
    expect(await auditCount('export:pseudonymised', 'respondent')).toBe(2 * people);

    const filtered = await call(ctx.app, evaluator, 'GET', '/api/evaluation/pseudonymised.csv?site=Eastfield&instrument=core-10');
    expect((parse(filtered.body, { columns: true }) as Record<string, string>[]).every((r) => r.site === 'Eastfield')).toBe(true);
    const bad = await call(ctx.app, evaluator, 'GET', '/api/evaluation/pseudonymised.csv?instrument=CORE%2010');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('instrument');
    for (const role of ['service_manager', 'case_worker', 'commissioner'] as const) {
      const session = await signIn(ctx.app, own.users[role].email);
      expect((await call(ctx.app, session, 'GET', '/api/evaluation/pseudonymised.csv')).statusCode, role).toBe(403);
    }
  });

  it("funders' returns: saved per funder, changed with a version, produced for a quarter with small numbers suppressed", async () => {
    const body = {
      name: 'Family Fund quarterly return',
      funderName: 'Family Relationships Fund',
      instruments: ['core-10'],
      programme: 'Parents as Partners',
      site: null,
      period: 'since_start',
      startDate: '2020-01-01',
      breakdowns: ['site'],
    };
    const created = await call(ctx.app, manager, 'POST', '/api/evaluation/returns', body);
    expect(created.statusCode, created.body).toBe(201);
    const saved = created.json() as FunderReturn;
    expect(saved).toMatchObject({ ...body, version: 1, funderId: null });
    expect((await call(ctx.app, manager, 'POST', '/api/evaluation/returns', body)).statusCode).toBe(400);
    const noStart = await call(ctx.app, manager, 'POST', '/api/evaluation/returns', { ...body, name: 'Other', startDate: null });
    expect(noStart.statusCode).toBe(400);
    expect(noStart.json().error.fields[0].path).toContain('startDate');
    const unknown = await call(ctx.app, manager, 'POST', '/api/evaluation/returns', { ...body, name: 'Other', instruments: ['core-11'] });
    expect(unknown.statusCode).toBe(400);

    const list = (await call(ctx.app, manager, 'GET', '/api/evaluation/returns')).json() as { returns: FunderReturn[] };
    expect(list.returns.map((r) => r.name)).toEqual([body.name]);
    const changed = await call(ctx.app, manager, 'PUT', `/api/evaluation/returns/${saved.id}`, { ...body, breakdowns: ['site', 'role'], version: 1 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().version).toBe(2);
    expect((await call(ctx.app, manager, 'PUT', `/api/evaluation/returns/${saved.id}`, { ...body, version: 1 })).statusCode).toBe(409);

    const otherManager = await signIn(ctx.app, other.users.service_manager.email);
    expect((await call(ctx.app, otherManager, 'GET', `/api/evaluation/returns/${saved.id}`)).statusCode).toBe(404);
    expect((await call(ctx.app, otherManager, 'GET', `/api/evaluation/returns/${saved.id}/report.csv?quarter=${currentQuarter()}`)).statusCode).toBe(404);

    const csv = await call(ctx.app, manager, 'GET', `/api/evaluation/returns/${saved.id}/report.csv?quarter=${currentQuarter()}`);
    expect(csv.statusCode, csv.body).toBe(200);
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(new Set(rows.map((r) => r.instrument))).toEqual(new Set(['core-10']));
    expect(new Set(rows.map((r) => r.breakdown))).toEqual(new Set(['role', 'site']));
    expect(rows.find((r) => r.breakdown === 'role' && r.key === 'all')?.pre_n).toMatch(/^\d+$/);

    const pdf = await call(ctx.app, manager, 'GET', `/api/evaluation/returns/${saved.id}/report.pdf?quarter=${currentQuarter()}`);
    expect(pdf.statusCode, pdf.body.slice(0, 500)).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('Family Fund quarterly return');
    expect(text).toContain('Family Relationships Fund');
    expect(text).toContain('CORE-10 clinical score ≥ 11');
    expect(text).toContain('Aggregate figures only');
    expect(await auditCount('manage:returns', 'funder_return', saved.id)).toBe(4);
    expect((await call(ctx.app, manager, 'GET', `/api/evaluation/returns/${saved.id}/report.csv?quarter=2019-Q4`)).statusCode).toBe(400);

    const evaluator = await signIn(ctx.app, own.users.evaluator.email);
    expect((await call(ctx.app, evaluator, 'GET', '/api/evaluation/returns')).statusCode).toBe(403);
  });
});
