import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db.ts';
import { createOrganisation, createUserWithPassword } from '../../src/server/modules/identity/index.ts';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { openDatabase, type DatabaseHandle } from '../../src/server/platform/db/connect.ts';
import { LOCK_FILE } from '../../src/server/platform/db/data-dir-lock.ts';
import { migrate } from '../../src/server/platform/db/migrate.ts';
import { createScratchDatabase, engineName } from '../setup/engines.ts';
import { syntheticRows, toCsv } from '../setup/import-csv.ts';
import { aReferral } from '../setup/referrals.ts';
import { signInTo, startTandem, type Client, type RunningServer } from '../setup/server-process.ts';

/*
 * Issue 8, item 2: the real server (`tandem start`, its own process) is SIGKILLed, 20 times, while several clients
 * write — staff referrals, referral decisions that open cases, case stage changes, case notes, a group session's
 * attendance register, questionnaires (a parent submitting through a link, and staff keying a paper form), and a CSV
 * import through POST /api/measures/imports — then started again on the same data (its lock on an embedded folder
 * left behind, which the next start must take over). Each kill comes after a measured amount of work (see the loop),
 * so a slow machine runs the same test, only slower. Every write answered 2xx must be
 * there after the restart, and nothing may be half-written: an import is its batch row and all its administrations,
 * or neither; a case has its family; a referral is accepted exactly when its case exists; a case's history has one
 * entry per version; a register is saved whole (every participant marked as in one save); a link is submitted exactly
 * when its administration exists.
 *
 * PGlite note: PGlite runs PostgreSQL with fsync=off and its Node filesystem has no fsync, but every write goes
 * straight to the operating system (fs.writeSync), so a killed process loses nothing the OS has been given; an OS
 * crash or power cut could. docs/operations.md says so.
 */

const CYCLES = 20;
const PASSWORD = 'crash-test-password-long';
const IMPORT_ROWS = 400;

/*
 * Bounded, but generously: a few minutes on an idle two-core machine, where each cycle is a server start (a few
 * seconds of CPU, mostly loading the sources) and a few writes. On the shared development machine at a load average
 * of 30 a start took 40–60 s and a cycle about a minute; that still fits.
 */
const TIME_LIMIT_MS = 30 * 60_000;

/** A cycle that makes no progress for this long has found a fault (the writers report why); the test goes on. */
const CYCLE_CAP_MS = 60_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

type Acked = {
  referrals: Set<string>;
  notes: Map<string, string>; // note id → case id
  cases: Map<string, number>; // case id → last acknowledged version
  imports: Map<string, number>; // batch id → rows acknowledged as inserted
  register: { version: number; status: string } | null; // the last register save acknowledged
  linkAdministrations: Set<string>; // links a parent submitted (answered 200): link id
  paperAdministrations: Set<string>; // paper forms keyed by staff (answered 201): administration id
};

const CORE10 = { '1': 1, '2': 2, '3': 2, '4': 1, '5': 1, '6': 0, '7': 1, '8': 1, '9': 1, '10': 1 };
const TIMEPOINTS = ['pre', 'post', 'followup'] as const;
const dayFromToday = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe(`crash safety (SIGKILL during writes, ${CYCLES} cycles) on ${engineName()}`, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const managerEmail = 'crash.manager@test.example';
  let programmeId = '';
  const facilitatorIds: string[] = [];
  /** What the previous cycle had acknowledged, checked through the server after it restarts. */
  let lastCycle: { referrals: string[]; notes: string[]; cases: string[] } = { referrals: [], notes: [], cases: [] };

  const openDirect = (): Promise<DatabaseHandle<Database>> =>
    openDatabase<Database>(scratch.env.DATABASE_URL ? { databaseUrl: scratch.env.DATABASE_URL, dataDir: '' } : { dataDir: resolve(scratch.env.TANDEM_DATA_DIR ?? '') });

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    // An organisation and a manager made directly, before the first start (so the embedded start adds no demo).
    const handle = await openDirect();
    await migrate(handle);
    const org = await createOrganisation(handle.db, { name: 'Crash Test Services', kind: 'provider' });
    for (const role of ['service_manager', 'org_admin'] as const) {
      await createUserWithPassword(handle.db, { organisationId: org.id, email: role === 'org_admin' ? 'crash.admin@test.example' : managerEmail, name: role, role, password: PASSWORD });
    }
    [programmeId] = (await createProgrammes(handle.db, org.id, builtInProgrammes)) as [string];
    // A group needs a female and a male facilitator.
    for (const gender of ['female', 'male'] as const) {
      const f = await createUserWithPassword(handle.db, { organisationId: org.id, email: `crash.${gender}@test.example`, name: `Facilitator ${gender}`, role: 'facilitator', password: PASSWORD, gender });
      facilitatorIds.push(f.id);
    }
    await handle.close();
  }, 600_000); // a new embedded folder is an initdb and every migration: minutes on a loaded machine
  afterAll(async () => scratch?.drop());

  /** Waits until `condition` holds, a writer has reported a fault, or `capMs` has passed. */
  const until = async (condition: () => boolean, capMs: number): Promise<void> => {
    const end = Date.now() + capMs;
    while (!condition() && unexpected.length === 0 && Date.now() < end) await sleep(10);
  };

  /** Keeps calling `step` until the server dies (a network error) or `stop()` says so; 2xx answers are recorded by `step`. */
  const unexpected: string[] = [];
  const writer = async (isStopped: () => boolean, step: () => Promise<void>): Promise<void> => {
    while (!isStopped()) {
      try {
        await step();
      } catch (error) {
        // A dropped connection is the kill (whatever was in flight was never acknowledged); any other failure is a finding.
        const message = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error);
        if (!isStopped() && !/fetch failed|ECONNRESET|ECONNREFUSED|socket|other side closed/i.test(message)) unexpected.push(message);
        return;
      }
    }
  };

  const importCsv = (tag: string): string =>
    toCsv(syntheticRows(IMPORT_ROWS, 11).map((row) => ({ ...row, respondent_id: `${tag}-${row.respondent_id ?? ''}`, family_id: `${tag}-${row.family_id ?? ''}` })));

  /** Checks, through the restarted server, that the writes acknowledged in the last cycle are all there. */
  /** The register of the group session the attendance writer marks: every participant gets one status per save. */
  let register: { sessionId: string; version: number; status: string; personIds: string[] } | null = null;
  const readRegister = async (client: Client) => {
    if (!register) throw new Error('no register yet');
    const res = await client.request('GET', `/api/sessions/${register.sessionId}/register`);
    expect(res.status, `register ${res.text.slice(0, 200)}`).toBe(200);
    return res.json() as { version: number; participants: { personId: string; status: string | null }[] };
  };

  const verifyThroughApi = async (client: Client, acked: Acked, recent: { referrals: string[]; notes: string[]; cases: string[] }) => {
    if (register && acked.register) {
      const now = await readRegister(client);
      expect(now.version, 'register version').toBeGreaterThanOrEqual(acked.register.version);
      if (now.version === acked.register.version) expect(now.participants.map((p) => p.status), 'acknowledged register').toEqual(register.personIds.map(() => acked.register?.status));
      // One save marks everyone alike, so a register with mixed marks was half-written.
      expect(new Set(now.participants.map((p) => p.status)).size, 'register saved whole').toBe(1);
    }
    for (const id of recent.referrals) expect((await client.request('GET', `/api/referrals/${id}`)).status, `referral ${id}`).toBe(200);
    for (const id of recent.cases) {
      const res = await client.request('GET', `/api/cases/${id}`);
      expect(res.status, `case ${id}`).toBe(200);
      expect((res.json() as { version: number }).version, `case ${id} version`).toBeGreaterThanOrEqual(acked.cases.get(id) ?? 0);
    }
    const byCase = new Map<string, string[]>();
    for (const id of recent.notes) byCase.set(acked.notes.get(id) ?? '', [...(byCase.get(acked.notes.get(id) ?? '') ?? []), id]);
    for (const [caseId, ids] of byCase) {
      const listed = ((await client.request('GET', `/api/cases/${caseId}/notes`)).json() as { notes: { id: string }[] }).notes.map((n) => n.id);
      for (const id of ids) expect(listed, `note ${id}`).toContain(id);
    }
  };

  it('keeps every acknowledged write and nothing half-written', async () => {
    const acked: Acked = { referrals: new Set(), notes: new Map(), cases: new Map(), imports: new Map(), register: null, linkAdministrations: new Set(), paperAdministrations: new Set() };
    /** Cases acknowledged as opened, with their two parents, for questionnaires; each slot is used once, when sent. */
    const questionnaireSlots: { link: { caseId: string; personId: string; timepoint: string }[]; paper: { caseId: string; personId: string; timepoint: string }[] } = { link: [], paper: [] };
    let inFlightAtKill = 0;
    let killedMidImport = 0;
    let staleLocks = 0;
    let importsStarted = 0;
    let server: RunningServer | null = null;
    let session: Client | null = null;
    let notesCase: string | null = null;
    const startTimes: number[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const cycleStarted = performance.now();
      // Errors logged (and only those), so a 500 seen by a writer comes with the server's account of it.
      server = await startTandem({ ...scratch.env, LOG_LEVEL: 'error' });
      startTimes.push(server.startedInMs);
      const faultsBefore = unexpected.length;
      // Signed in once; the session outlives every kill (it is a row like any other), so later cycles reuse it.
      session = session ? session.at(server.url) : await signInTo(server.url, managerEmail, PASSWORD);
      const client = session;
      const recent = { referrals: [] as string[], notes: [] as string[], cases: [] as string[] };
      if (cycle > 0) await verifyThroughApi(client, acked, lastCycle);
      if (!notesCase) {
        // The case the note writer writes to, made once before the first kill so notes start at once.
        const r = (await client.request('POST', '/api/referrals', { submission: aReferral() })).json() as { id: string; version: number };
        notesCase = ((await client.request('POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', version: r.version })).json() as { caseId: string }).caseId;
        acked.referrals.add(r.id);
        acked.cases.set(notesCase, 1);
      }
      const noteTarget = notesCase;
      const baseUrl = server.url;
      if (!register) {
        // A group with one couple placed, made once before the first kill; its first session is in the past.
        const r = (await client.request('POST', '/api/referrals', { submission: aReferral({ programmeId }) })).json() as { id: string; version: number };
        const caseId = ((await client.request('POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', version: r.version })).json() as { caseId: string }).caseId;
        let version = 1;
        for (const to of ['assessment_booked', 'assessed', 'awaiting_group']) {
          const moved = await client.request('POST', `/api/cases/${caseId}/stage`, { to, version });
          expect(moved.status, moved.text.slice(0, 300)).toBe(200);
          version = (moved.json() as { version: number }).version;
        }
        const group = await client.request('POST', '/api/groups', { programmeId, name: 'Crash group', site: 'Northgate', startDate: dayFromToday(-21), startTime: '18:00', facilitatorIds });
        expect(group.status, group.text.slice(0, 300)).toBe(201);
        const g = group.json() as { id: string; sessions: { id: string }[] };
        const placed = await client.request('POST', `/api/groups/${g.id}/placements`, { caseId, caseVersion: version });
        expect(placed.status, placed.text.slice(0, 300)).toBe(201);
        acked.referrals.add(r.id);
        acked.cases.set(caseId, version);
        register = { sessionId: g.sessions[0]?.id ?? '', version: 0, status: '', personIds: [] };
      }
      // A save in flight at the kill may have committed unacknowledged: start each cycle from the register as stored.
      const stored = await readRegister(client);
      const reg = register;
      reg.version = stored.version;
      reg.personIds = stored.participants.map((p) => p.personId);
      reg.status = stored.participants[0]?.status ?? '';

      let stopped = false;
      const isStopped = () => stopped;
      const myCases: { id: string; version: number; stage: string }[] = [];

      const referrals = writer(isStopped, async () => {
        const res = await client.request('POST', '/api/referrals', { submission: aReferral({ reason: `cycle ${cycle}` }) });
        if (res.status !== 201) throw new Error(`referral ${res.status}`);
        const r = res.json() as { id: string; version: number };
        acked.referrals.add(r.id);
        recent.referrals.push(r.id);
        // Accepting opens a family, its people and a case in one transaction.
        const decided = await client.request('POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', version: r.version });
        if (decided.status !== 200) throw new Error(`decision ${decided.status}`);
        const caseId = (decided.json() as { caseId: string }).caseId;
        acked.cases.set(caseId, 1);
        recent.cases.push(caseId);
        myCases.push({ id: caseId, version: 1, stage: 'triaged' });
        const detail = await client.request('GET', `/api/cases/${caseId}`);
        if (detail.status !== 200) throw new Error(`case ${detail.status}`);
        const parents = (detail.json() as { members: { personId: string; isChild: boolean }[] }).members.filter((m) => !m.isChild);
        for (const timepoint of TIMEPOINTS) {
          questionnaireSlots.link.push({ caseId, personId: parents[0]?.personId ?? '', timepoint });
          questionnaireSlots.paper.push({ caseId, personId: parents[1]?.personId ?? '', timepoint });
        }
      });
      const attendance = writer(isStopped, async () => {
        const status = reg.status === 'present' ? 'absent' : 'present';
        const res = await client.request('PUT', `/api/sessions/${reg.sessionId}/register`, { marks: reg.personIds.map((personId) => ({ personId, status })), version: reg.version });
        if (res.status !== 200) throw new Error(`register ${res.status} ${res.text.slice(0, 200)}`);
        reg.version = (res.json() as { version: number }).version;
        reg.status = status;
        acked.register = { version: reg.version, status };
      });
      // A parent answers through a link (no session: the link is the only credential); staff key a paper form.
      const links = writer(isStopped, async () => {
        const slot = questionnaireSlots.link.shift();
        if (!slot) {
          await sleep(20);
          return;
        }
        const made = await client.request('POST', `/api/cases/${slot.caseId}/questionnaire-links`, { personId: slot.personId, instrumentId: 'core-10', timepoint: slot.timepoint });
        if (made.status !== 201) throw new Error(`link ${made.status} ${made.text.slice(0, 200)}`);
        const link = made.json() as { linkId: string; path: string };
        const token = link.path.replace(/^\/q\//, '');
        const res = await fetch(`${baseUrl}/api/public/questionnaires/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answers: CORE10 }) });
        if (res.status !== 200) throw new Error(`link submit ${res.status} ${(await res.text()).slice(0, 200)}`);
        acked.linkAdministrations.add(link.linkId);
      });
      const paper = writer(isStopped, async () => {
        const slot = questionnaireSlots.paper.shift();
        if (!slot) {
          await sleep(20);
          return;
        }
        const res = await client.request('POST', `/api/cases/${slot.caseId}/paper-forms`, {
          personId: slot.personId,
          instrumentId: 'core-10',
          timepoint: slot.timepoint,
          completedOn: dayFromToday(-1),
          responses: CORE10,
        });
        if (res.status !== 201) throw new Error(`paper form ${res.status} ${res.text.slice(0, 200)}`);
        acked.paperAdministrations.add((res.json() as { id: string }).id);
      });
      const stages = writer(isStopped, async () => {
        const c = myCases[myCases.length - 1];
        if (!c) {
          await sleep(20);
          return;
        }
        const to = c.stage === 'triaged' ? 'assessment_booked' : 'triaged';
        const res = await client.request('POST', `/api/cases/${c.id}/stage`, { to, version: c.version });
        if (res.status !== 200) throw new Error(`stage ${res.status} ${res.text}`);
        c.version = (res.json() as { version: number }).version;
        c.stage = to;
        acked.cases.set(c.id, c.version);
      });
      const notes = writer(isStopped, async () => {
        const res = await client.request('POST', `/api/cases/${noteTarget}/notes`, { kind: 'contact', occurredOn: '2026-01-05', body: `cycle ${cycle}` });
        if (res.status !== 201) throw new Error(`note ${res.status}`);
        const id = (res.json() as { id: string }).id;
        acked.notes.set(id, noteTarget);
        recent.notes.push(id);
      });
      const importInFlight = { value: false };
      const imports = writer(isStopped, async () => {
        importsStarted += 1;
        const tag = `C${cycle}I${importsStarted}`;
        importInFlight.value = true;
        const res = await client.request('POST', `/api/measures/imports?fileName=${tag}.csv`, importCsv(tag), 'text/csv').finally(() => {
          importInFlight.value = false;
        });
        if (res.status !== 200) throw new Error(`import ${res.status} ${res.text.slice(0, 200)}`);
        const outcome = res.json() as { batchId: string; inserted: number };
        acked.imports.set(outcome.batchId, outcome.inserted);
      });

      // Each cycle is sized by work done, not by the clock, so a slow or loaded machine runs the same test, only
      // slower. Two kinds of cycle, alternating: (a) once this cycle has acknowledged a few referrals (each with its
      // decision) and a note, kill after a short random delay — whatever is in flight then, often mid-decision or
      // mid-import; (b) kill while an import request is in flight (sent, not answered), after a random delay
      // into it, so an import is cut off part-way on every other cycle.
      const ackedAtStart = { referrals: acked.referrals.size, notes: acked.notes.size };
      const wantReferrals = 1 + Math.floor(Math.random() * 3);
      const ackedAtStartMore = { register: acked.register?.version ?? 0, links: acked.linkAdministrations.size, paper: acked.paperAdministrations.size };
      // Every kind of write is acknowledged at least once in each cycle (questionnaires need a case opened first).
      const progressed = () =>
        acked.referrals.size - ackedAtStart.referrals >= wantReferrals &&
        acked.notes.size > ackedAtStart.notes &&
        (acked.register?.version ?? 0) > ackedAtStartMore.register &&
        acked.linkAdministrations.size > ackedAtStartMore.links &&
        acked.paperAdministrations.size > ackedAtStartMore.paper;
      if (cycle % 2 === 0) {
        await until(progressed, CYCLE_CAP_MS);
        await sleep(Math.random() * 300);
      } else {
        await until(() => progressed() && importInFlight.value, CYCLE_CAP_MS);
        await sleep(Math.random() * 150);
        if (importInFlight.value) killedMidImport += 1;
      }
      await server.kill();
      stopped = true;
      await Promise.all([referrals, stages, notes, imports, attendance, links, paper]);
      if (unexpected.length > faultsBefore) unexpected.push(`cycle ${cycle} server log: ${server.output().slice(-4000)}`);
      // The killed server could not remove its lock on the data directory; the next start must take it over.
      if (scratch.env.TANDEM_DATA_DIR && existsSync(join(scratch.env.TANDEM_DATA_DIR, LOCK_FILE))) staleLocks += 1;
      if (acked.referrals.size === ackedAtStart.referrals) unexpected.push(`cycle ${cycle}: nothing acknowledged before the kill`);
      // One line per cycle: on a slow machine the log shows where the time went.
      console.log(`crash cycle ${cycle + 1}/${CYCLES}: start ${Math.round(server.startedInMs)} ms (${/ready in \d+ ms/.exec(server.output())?.[0] ?? ''}), ${Math.round(performance.now() - cycleStarted)} ms in all`);
      inFlightAtKill += 1;
      lastCycle = recent;
    }

    // One more restart proves the last kill is recovered from too; then read everything from the database itself.
    server = await startTandem(scratch.env);
    await verifyThroughApi(await signInTo(server.url, managerEmail, PASSWORD), acked, lastCycle);
    await server.stop();

    const handle = await openDirect();
    try {
      const db = handle.db;
      const ids = (rows: { id: string }[]) => new Set(rows.map((r) => r.id));
      const referralIds = ids((await sql<{ id: string }>`SELECT id::text FROM referral`.execute(db)).rows);
      for (const id of acked.referrals) expect(referralIds.has(id), `acknowledged referral ${id}`).toBe(true);
      const noteIds = ids((await sql<{ id: string }>`SELECT id::text FROM case_note`.execute(db)).rows);
      for (const id of acked.notes.keys()) expect(noteIds.has(id), `acknowledged note ${id}`).toBe(true);

      const cases = (await sql<{ id: string; version: number; history: number; members: number }>`
        SELECT c.id::text, c.version,
          (SELECT count(*)::int FROM case_stage_change h WHERE h.case_id = c.id) AS history,
          (SELECT count(*)::int FROM family_member m WHERE m.family_id = c.family_id) AS members
        FROM family_case c JOIN family f ON f.id = c.family_id`.execute(db)).rows;
      const total = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM family_case`.execute(db)).rows[0]?.n;
      expect(cases.length, 'every case has its family').toBe(total);
      const byId = new Map(cases.map((c) => [c.id, c]));
      for (const [id, version] of acked.cases) {
        expect(byId.get(id)?.version, `acknowledged case ${id}`).toBeGreaterThanOrEqual(version);
      }
      for (const c of cases) {
        // Opened with two history entries (referred, triaged) at version 1; each stage change adds one of each.
        expect(c.history, `case ${c.id}: history against version`).toBe(c.version + 1);
        expect(c.members, `case ${c.id}: family members`).toBe(3);
      }
      const inconsistent = await sql<{ id: string }>`
        SELECT r.id::text FROM referral r
        WHERE (r.status = 'accepted') <> EXISTS (SELECT 1 FROM family_case c WHERE c.referral_id = r.id AND c.id = r.case_id)`.execute(db);
      expect(inconsistent.rows, 'referrals accepted exactly when their case exists').toEqual([]);

      const batches = (await sql<{ id: string; rowsImported: number; stored: number }>`
        SELECT b.id::text, b.rows_imported, (SELECT count(*)::int FROM administration a WHERE a.import_batch_id = b.id) AS stored
        FROM import_batch b`.execute(db)).rows;
      for (const b of batches) expect(b.stored, `import ${b.id}: all its administrations or none`).toBe(b.rowsImported);
      expect(batches.every((b) => b.rowsImported === IMPORT_ROWS), 'every import complete').toBe(true);
      const orphans = await sql<{ n: number }>`SELECT count(*)::int AS n FROM administration a WHERE a.case_id IS NULL AND NOT EXISTS (SELECT 1 FROM import_batch b WHERE b.id = a.import_batch_id)`.execute(db);
      expect(orphans.rows[0]?.n, 'imported administrations (questionnaires given on a case have no batch) without their batch').toBe(0);
      const batchIds = new Set(batches.map((b) => b.id));
      for (const [id, rows] of acked.imports) {
        expect(batchIds.has(id), `acknowledged import ${id}`).toBe(true);
        expect(rows).toBe(IMPORT_ROWS);
      }
      const administrationIds = ids((await sql<{ id: string }>`SELECT id::text FROM administration WHERE case_id IS NOT NULL`.execute(db)).rows);
      for (const id of acked.paperAdministrations) expect(administrationIds.has(id), `acknowledged paper form ${id}`).toBe(true);
      const submitted = ids((await sql<{ id: string }>`SELECT id::text FROM questionnaire_link WHERE status = 'submitted'`.execute(db)).rows);
      for (const id of acked.linkAdministrations) expect(submitted.has(id), `acknowledged link submission ${id}`).toBe(true);
      const halfSubmitted = await sql<{ id: string }>`
        SELECT l.id::text FROM questionnaire_link l
        WHERE (l.status = 'submitted') <> EXISTS (SELECT 1 FROM administration a WHERE a.id = l.administration_id AND a.case_id = l.case_id)`.execute(db);
      expect(halfSubmitted.rows, 'links submitted exactly when their administration exists').toEqual([]);
      const registerRows = await sql<{ statuses: number; marked: number }>`
        SELECT count(DISTINCT status_code)::int AS statuses, count(*)::int AS marked FROM attendance WHERE session_id = ${register?.sessionId ?? ''}`.execute(db);
      expect(registerRows.rows[0], 'the register saved whole').toEqual({ statuses: 1, marked: register?.personIds.length });
      expect(unexpected, 'writers stopped for a reason other than the kill').toEqual([]);
      // The run did what it claims: writes of every kind were acknowledged, and imports were cut off mid-way too.
      expect(acked.referrals.size).toBeGreaterThan(CYCLES);
      expect(acked.notes.size).toBeGreaterThanOrEqual(CYCLES);
      expect(acked.imports.size).toBeGreaterThan(0);
      expect(acked.register?.version ?? 0).toBeGreaterThanOrEqual(CYCLES);
      expect(acked.linkAdministrations.size).toBeGreaterThanOrEqual(CYCLES);
      expect(acked.paperAdministrations.size).toBeGreaterThanOrEqual(CYCLES);
      expect(importsStarted).toBeGreaterThan(acked.imports.size);
      expect(killedMidImport, 'kills while an import was in flight').toBeGreaterThan(0);
      expect(inFlightAtKill).toBe(CYCLES);
      if (engineName() === 'pglite') expect(staleLocks, 'restarts that took over a killed server\'s lock').toBe(CYCLES);
      console.log(
        `crash test on ${engineName()}: ${CYCLES} kills; acknowledged ${acked.referrals.size} referrals, ${acked.notes.size} notes, ${acked.cases.size} cases, ` +
          `${acked.register?.version ?? 0} register saves, ${acked.linkAdministrations.size} link and ${acked.paperAdministrations.size} paper questionnaires, ` +
          `${acked.imports.size} of ${importsStarted} imports (${killedMidImport} kills mid-import); restart ${Math.round(Math.min(...startTimes))}–${Math.round(Math.max(...startTimes))} ms`,
      );
    } finally {
      await handle.close();
    }
  }, TIME_LIMIT_MS);

});
