import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe(`notes, documents, subject access and erasure on ${engineName()}`, () => {
  let ctx: TestContext;
  let org: TestOrg;
  let worker: Session;
  let manager: Session;
  let admin: Session;
  let filesDir: string;

  const newCase = async () => {
    const r = (await call(ctx.app, worker, 'POST', '/api/referrals', { submission: aReferral() })).json();
    const accepted = (await call(ctx.app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', caseWorkerId: org.users.case_worker.id, version: r.version })).json();
    return (await call(ctx.app, worker, 'GET', `/api/cases/${accepted.caseId}`)).json();
  };
  const upload = (caseId: string, fileName: string, bytes: Buffer, contentType = 'application/pdf', session = worker) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/documents?fileName=${encodeURIComponent(fileName)}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': contentType },
      payload: bytes,
    });

  beforeAll(async () => {
    filesDir = mkdtempSync(join(tmpdir(), 'tandem-files-'));
    ctx = await startTestApp({ TANDEM_FILES_DIR: filesDir });
    org = await createOrgWithStaff(ctx, 'Records');
    worker = await signIn(ctx.app, org.users.case_worker.email);
    manager = await signIn(ctx.app, org.users.service_manager.email);
    admin = await signIn(ctx.app, org.users.org_admin.email);
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('adds typed case notes and lists them newest first; bad notes are refused field by field', async () => {
    const c = await newCase();
    const first = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/notes`, { kind: 'phone_call', occurredOn: '2026-11-02', body: 'Called Dana; both keen to start.' });
    expect(first.statusCode).toBe(201);
    await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/notes`, { kind: 'home_visit', occurredOn: '2026-11-10', body: 'Home visit with both parents.' });
    const notes = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/notes`)).json().notes;
    expect(notes.map((n: { kind: string }) => n.kind)).toEqual(['home_visit', 'phone_call']);
    expect(notes[0].authorName).toBe(org.users.case_worker.name);
    const bad = await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/notes`, { kind: 'gossip', occurredOn: '2999-01-01', body: '' });
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.body', 'body.kind', 'body.occurredOn']);
  });

  it('stores a document checked by its bytes, serves it back as an attachment, and refuses what it cannot hold', async () => {
    const c = await newCase();
    const before = readdirSync(filesDir, { recursive: true }).length;
    const ok = await upload(c.id, 'Consent form.pdf', PDF);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ fileName: 'Consent form.pdf', contentType: 'application/pdf', sizeBytes: PDF.length });
    const down = await ctx.app.inject({ method: 'GET', url: `/api/documents/${ok.json().id}`, headers: { cookie: worker.cookie } });
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(PDF)).toBe(true);
    expect(down.headers['content-disposition']).toContain('attachment');
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    // An executable renamed to .pdf is refused, and nothing is left behind.
    const exe = await upload(c.id, 'invoice.pdf', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0xff, 0xff]));
    expect(exe.statusCode).toBe(400);
    expect(exe.json().error.fields[0].path).toBe('body');
    const tooBig = await upload(c.id, 'huge.pdf', Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]));
    expect(tooBig.statusCode).toBe(413);
    const badName = await upload(c.id, '../../etc/passwd', PDF);
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.fields[0].path).toBe('query.fileName');
    expect(readdirSync(filesDir, { recursive: true }).filter((f) => String(f).includes('.')).length).toBe(before === 0 ? 1 : before + 1);
    const docs = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}/documents`)).json().documents;
    expect(docs).toHaveLength(1);
  });

  it("exports everything about one person, without the other parent's private disclosure, and audits the export", async () => {
    const c = await newCase();
    const adults = c.members.filter((m: { isChild: boolean }) => !m.isChild);
    const dana = adults.find((m: { givenName: string }) => m.givenName === 'Dana');
    const marcus = adults.find((m: { givenName: string }) => m.givenName === 'Marcus');
    const booked = await call(ctx.app, manager, 'POST', `/api/cases/${c.id}/assessments`, { scheduledAt: '2026-12-01T10:00:00Z', facilitatorIds: [org.users.facilitator.id], caseVersion: c.version });
    const a = booked.json();
    const calm = { riskToChild: 'low', domesticAbuse: 'none', domesticAbuseIndicated: false, mentalHealth: 'none', substanceUse: 'none' };
    await call(ctx.app, manager, 'PUT', `/api/assessments/${a.id}/risk/${dana.personId}`, { ...calm, privateDisclosure: 'Dana said this alone.', version: 0 });
    await call(ctx.app, manager, 'PUT', `/api/assessments/${a.id}/risk/${marcus.personId}`, { ...calm, privateDisclosure: 'Marcus said this alone.', version: 0 });
    await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/notes`, { kind: 'contact', occurredOn: '2026-11-20', body: 'Welcome call.' });
    const sar = await call(ctx.app, admin, 'GET', `/api/people/${dana.personId}/subject-access`);
    expect(sar.statusCode).toBe(200);
    const bundle = sar.json();
    expect(bundle.person.givenName).toBe('Dana');
    expect(bundle.ownDisclosures.map((d: { body: string }) => d.body)).toEqual(['Dana said this alone.']);
    expect(sar.body).not.toContain('Marcus said this alone.');
    expect(bundle.caseNotes.map((n: { body: string }) => n.body)).toContain('Welcome call.');
    expect(bundle.cases[0].history.length).toBeGreaterThan(0);
    const html = await call(ctx.app, admin, 'GET', `/api/people/${dana.personId}/subject-access?format=html`);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('Information held about Dana Fielding');
    expect(html.body).not.toContain('Marcus said this alone.');
    const pdf = await ctx.app.inject({ method: 'GET', url: `/api/people/${dana.personId}/subject-access?format=pdf`, headers: { cookie: admin.cookie } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(1000);
    const audited = await sql`SELECT 1 FROM audit_event WHERE action = 'export:subject_access' AND entity_id = ${dana.personId}`.execute(ctx.db.db);
    expect(audited.rows.length).toBe(3);
    // Case workers do not run subject access requests.
    expect((await call(ctx.app, worker, 'GET', `/api/people/${dana.personId}/subject-access`)).statusCode).toBe(403);
  });

  it('erases a person unless a legal hold applies, and records what was erased and why', async () => {
    const c = await newCase();
    const dana = c.members.find((m: { givenName: string }) => m.givenName === 'Dana');
    const noReason = await call(ctx.app, admin, 'POST', `/api/people/${dana.personId}/erasure`, { reason: '' });
    expect(noReason.json().error.fields[0].path).toBe('body.reason');
    const erased = await call(ctx.app, admin, 'POST', `/api/people/${dana.personId}/erasure`, { reason: 'Right to erasure request of 20 Nov 2026' });
    expect(erased.json()).toMatchObject({ erased: true, keptBecause: [] });
    const after = (await call(ctx.app, worker, 'GET', `/api/cases/${c.id}`)).json();
    const member = after.members.find((m: { personId: string }) => m.personId === dana.personId);
    expect(member).toMatchObject({ givenName: 'Erased', familyName: 'person', email: null, dateOfBirth: null });
    const log = await sql<{ reason: string; recordType: string }>`SELECT reason, record_type FROM erasure_log WHERE person_id = ${dana.personId}`.execute(ctx.db.db);
    expect(log.rows[0]?.reason).toBe('Right to erasure request of 20 Nov 2026');
    expect(log.rows.map((r) => r.recordType)).toContain('referral_entry');
    // Her entry in the referral that brought the family is gone too; Marcus's stays.
    const referral = (await call(ctx.app, worker, 'GET', `/api/referrals/${after.referralId}`)).json();
    expect(JSON.stringify(referral.submission)).not.toContain('Dana');
    expect(JSON.stringify(referral.submission)).not.toContain('dana.fielding@family.example');
    expect(referral.submission.parents.map((p: { givenName: string }) => p.givenName)).toEqual(['Erased', 'Marcus']);

    // A family with a safeguarding flag is kept.
    const flagged = await newCase();
    const [parent] = flagged.members.filter((m: { isChild: boolean }) => !m.isChild);
    const a = (await call(ctx.app, manager, 'POST', `/api/cases/${flagged.id}/assessments`, { scheduledAt: '2026-12-01T10:00:00Z', facilitatorIds: [org.users.facilitator.id], caseVersion: flagged.version })).json();
    await call(ctx.app, manager, 'PUT', `/api/assessments/${a.id}/risk/${parent.personId}`, { riskToChild: 'high', domesticAbuse: 'none', domesticAbuseIndicated: false, mentalHealth: 'none', substanceUse: 'none', version: 0 });
    const kept = await call(ctx.app, admin, 'POST', `/api/people/${parent.personId}/erasure`, { reason: 'Request' });
    expect(kept.json().erased).toBe(false);
    expect(kept.json().keptBecause[0]).toMatch(/safeguarding/);
    expect((await call(ctx.app, worker, 'GET', `/api/cases/${flagged.id}`)).json().members.some((m: { givenName: string }) => m.givenName === parent.givenName)).toBe(true);
  });

  it('applies retention to notes and documents of long-closed cases, and keeps held families', async () => {
    const c = await newCase();
    await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/notes`, { kind: 'contact', occurredOn: '2020-01-10', body: 'Old note.' });
    const doc = (await upload(c.id, 'old.pdf', PDF)).json();
    let v = c.version;
    v = (await call(ctx.app, worker, 'POST', `/api/cases/${c.id}/stage`, { to: 'closed', reason: 'Did not engage', version: v })).json().version;
    await ctx.db.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('app.org_id', ${org.id}, true)`.execute(trx);
      await sql`UPDATE family_case SET closed_at = now() - interval '8 years' WHERE id = ${c.id}`.execute(trx);
    });
    const bad = await call(ctx.app, admin, 'PUT', '/api/retention', { policies: [{ recordType: 'case_note', keepMonths: 0 }] });
    expect(bad.statusCode).toBe(400);
    expect((await call(ctx.app, admin, 'PUT', '/api/retention', { policies: [{ recordType: 'case_note', keepMonths: 72 }, { recordType: 'case_document', keepMonths: 72 }] })).statusCode).toBe(200);
    const run = (await call(ctx.app, admin, 'POST', '/api/retention/run')).json().results;
    expect(run.find((r: { recordType: string }) => r.recordType === 'case_note').count).toBeGreaterThanOrEqual(1);
    expect(run.find((r: { recordType: string }) => r.recordType === 'case_document').count).toBeGreaterThanOrEqual(1);
    const m = await signIn(ctx.app, org.users.service_manager.email);
    expect((await call(ctx.app, m, 'GET', `/api/cases/${c.id}/notes`)).json().notes).toEqual([]);
    expect((await call(ctx.app, m, 'GET', `/api/documents/${doc.id}`)).statusCode).toBe(404);
  });
});
