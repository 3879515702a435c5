import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { inScope } from '../../src/server/platform/db/scope.ts';
import { roles, type Role } from '../../src/shared/permissions.ts';
import { engineName } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, startTestApp, type Session, type TestContext, type TestOrg } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';
import { fundingMatrix } from '../setup/funding-matrix.ts';
import { applicationBody, draftApplication, fixtureFunder, newFunder } from '../setup/fund-applications.ts';

/**
 * Every route in the OpenAPI document, called as every role of the record's own organisation, as every role of
 * another organisation, and without a session, checked against this table. A route missing from the table fails.
 *
 * who:     'public' (no session needed), 'signed_in' (any role), or the roles allowed.
 * request: builds the call against organisation `own` (ids, a valid body).
 * ok:      the status an allowed caller gets.
 */
type Who = 'public' | 'signed_in' | readonly Role[];
type Request = { path: string; body?: unknown; contentType?: string };
/** What a request builder may use to make its own records (a fresh referral for each call that changes one). */
type Helpers = { ctx: TestContext; ownManager: Session };
type Entry = {
  who: Who;
  ok: number;
  request: (own: TestOrg, caller: Role, h: Helpers) => Request | Promise<Request>;
  freshSession?: boolean;
  /** Allowed roles whose records are scoped further (e.g. a facilitator sees only the cases they work on). */
  scoped?: Partial<Record<Role, number>>;
};

const newReferral = async (h: Helpers): Promise<{ id: string; version: number }> => {
  const res = await call(h.ctx.app, h.ownManager, 'POST', '/api/referrals', { submission: aReferral() });
  if (res.statusCode !== 201) throw new Error(`fixture referral: ${res.body}`);
  return res.json();
};
const newCase = async (h: Helpers): Promise<{ id: string; version: number }> => {
  const r = await newReferral(h);
  const accepted = await call(h.ctx.app, h.ownManager, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', version: r.version });
  if (accepted.statusCode !== 200) throw new Error(`fixture case: ${accepted.body}`);
  const caseId = accepted.json().caseId as string;
  return { id: caseId, version: (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${caseId}`)).json().version };
};
const casework = ['service_manager', 'case_worker'] as const;
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const send = (h: Helpers, session: Session | null, method: string, req: Request) =>
  req.contentType
    ? h.ctx.app.inject({
        method: method as 'POST',
        url: req.path,
        headers: { ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}), 'content-type': req.contentType },
        payload: req.body as Buffer,
      })
    : call(h.ctx.app, session, method as 'GET', req.path, req.body);
const newPerson = async (h: Helpers): Promise<string> => {
  const c = await newCase(h);
  const detail = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json();
  return detail.members.find((m: { isChild: boolean }) => !m.isChild).personId;
};
const calmRisk = { riskToChild: 'low', domesticAbuse: 'none', domesticAbuseIndicated: false, mentalHealth: 'none', substanceUse: 'none' };
const newAssessment = async (own: TestOrg, h: Helpers): Promise<{ id: string; version: number; adults: string[] }> => {
  const c = await newCase(h);
  const booked = await call(h.ctx.app, h.ownManager, 'POST', `/api/cases/${c.id}/assessments`, {
    scheduledAt: '2026-12-01T10:00:00Z',
    facilitatorIds: [own.users.facilitator.id],
    caseVersion: c.version,
  });
  if (booked.statusCode !== 201) throw new Error(`fixture assessment: ${booked.body}`);
  const detail = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json();
  const adults = detail.members.filter((m: { isChild: boolean }) => !m.isChild).map((m: { personId: string }) => m.personId);
  return { id: booked.json().id, version: booked.json().version, adults };
};

/** A parent's link on a fresh case (issue 4): the token part of its path. */
const newQuestionnaireLink = async (h: Helpers): Promise<string> => {
  const c = await newCase(h);
  const detail = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json();
  const personId = detail.members.find((m: { isChild: boolean }) => !m.isChild).personId as string;
  const link = await call(h.ctx.app, h.ownManager, 'POST', `/api/cases/${c.id}/questionnaire-links`, { personId, instrumentId: 'core-10', timepoint: 'pre' });
  if (link.statusCode !== 201) throw new Error(`fixture link: ${link.body}`);
  return (link.json().path as string).replace(/^\/q\//, '');
};
const paperCore10 = { instrumentId: 'core-10', timepoint: 'pre', completedOn: '2024-01-15', responses: { '1': 1, '2': 2, '3': 2, '4': 1, '5': 1, '6': 0, '7': 1, '8': 1, '9': 1, '10': 1 } };

const evaluationReaders = ['org_admin', 'service_manager', 'evaluator', 'commissioner'] as const;
const returnManagers = ['org_admin', 'service_manager'] as const;
const aReturn = () => ({
  name: `Matrix return ${randomBytes(4).toString('hex')}`,
  funderName: 'Matrix Fund',
  instruments: ['core-10'],
  programme: null,
  site: null,
  period: 'quarter',
  startDate: null,
  breakdowns: ['role'],
});
const newReturn = async (h: Helpers, change: Record<string, unknown> = {}): Promise<{ id: string; version: number }> => {
  const res = await call(h.ctx.app, h.ownManager, 'POST', '/api/evaluation/returns', { ...aReturn(), ...change });
  if (res.statusCode !== 201) throw new Error(`fixture return: ${res.body}`);
  return res.json();
};

const unique = () => randomBytes(4).toString('hex');

// Groups: a two-session programme run by one facilitator, so fixture groups are small; each starts on its own
// day in the past (registers open on the day) and never clashes with another fixture group's sessions.
const groupStaff = ['service_manager', 'case_worker', 'facilitator'] as const;
const fixtureProgrammes = new Map<string, string>();
let fixtureGroups = 0;
const fixtureProgramme = async (own: TestOrg, h: Helpers): Promise<string> => {
  const known = fixtureProgrammes.get(own.id);
  if (known) return known;
  const [pap] = builtInProgrammes;
  if (!pap?.template) throw new Error('no built-in template');
  const template = { ...pap.template, sessionCount: 2, curriculum: pap.template.curriculum.slice(0, 2), completionMinSessions: 1 };
  const [id] = await createProgrammes(h.ctx.db.db, own.id, [{ ...pap, name: 'Matrix programme', facilitatorRule: 'one', template }]);
  if (!id) throw new Error('fixture programme');
  fixtureProgrammes.set(own.id, id);
  return id;
};
const daysFromNow = (n: number): string => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
type FixtureGroup = { id: string; version: number; sessions: { id: string; onDate: string; version: number }[] };
const newGroup = async (own: TestOrg, h: Helpers): Promise<FixtureGroup> => {
  fixtureGroups += 1;
  const res = await call(h.ctx.app, h.ownManager, 'POST', '/api/groups', {
    programmeId: await fixtureProgramme(own, h),
    name: `Matrix group ${unique()}`,
    site: 'Northgate',
    startDate: daysFromNow(-30 - 14 * fixtureGroups),
    startTime: '10:00',
    facilitatorIds: [own.users.facilitator.id],
  });
  if (res.statusCode !== 201) throw new Error(`fixture group: ${res.body}`);
  return res.json();
};
// Routes that read (or change what a read can reset) share one group per organisation, so the table stays quick.
const sharedGroups = new Map<string, Promise<FixtureGroup>>();
const sharedGroup = (own: TestOrg, h: Helpers): Promise<FixtureGroup> => {
  const known = sharedGroups.get(own.id);
  if (known) return known;
  const created = newGroup(own, h);
  sharedGroups.set(own.id, created);
  return created;
};
const waitingCase = async (h: Helpers, caseWorkerId?: string): Promise<{ id: string; version: number }> => {
  let c = await newCase(h);
  if (caseWorkerId) c = (await call(h.ctx.app, h.ownManager, 'PUT', `/api/cases/${c.id}/case-worker`, { caseWorkerId, version: c.version })).json();
  for (const to of ['assessment_booked', 'assessed', 'awaiting_group']) {
    const moved = await call(h.ctx.app, h.ownManager, 'POST', `/api/cases/${c.id}/stage`, { to, version: c.version });
    if (moved.statusCode !== 200) throw new Error(`fixture waiting case: ${moved.body}`);
    c = moved.json();
  }
  return c;
};
const newPlacement = async (own: TestOrg, h: Helpers, caseWorkerId?: string): Promise<{ id: string; version: number }> => {
  const g = await newGroup(own, h);
  const c = await waitingCase(h, caseWorkerId);
  const res = await call(h.ctx.app, h.ownManager, 'POST', `/api/groups/${g.id}/placements`, { caseId: c.id, caseVersion: c.version });
  if (res.statusCode !== 201) throw new Error(`fixture placement: ${res.body}`);
  return res.json();
};

// Therapy (issue 5): a consultation for a fresh case with the organisation's facilitator as therapist, each on its
// own early-morning day so fixture bookings never clash with each other or with the fixture groups.
let fixtureSeries = 0;
type FixtureSeries = { id: string; appointments: { id: string; onDate: string; version: number }[] };
const newSeries = async (own: TestOrg, h: Helpers): Promise<FixtureSeries> => {
  fixtureSeries += 1;
  const c = await newCase(h);
  const res = await call(h.ctx.app, h.ownManager, 'POST', `/api/cases/${c.id}/therapy-series`, {
    therapistId: own.users.facilitator.id,
    kind: 'consultation',
    firstDate: daysFromNow(200 + fixtureSeries),
    startTime: '07:00',
    count: 1,
    caseVersion: c.version,
  });
  if (res.statusCode !== 201) throw new Error(`fixture therapy series: ${res.body}`);
  return res.json();
};
const sharedSeriesOf = new Map<string, Promise<FixtureSeries>>();
const sharedSeries = (own: TestOrg, h: Helpers): Promise<FixtureSeries> => {
  const known = sharedSeriesOf.get(own.id);
  if (known) return known;
  const created = newSeries(own, h);
  sharedSeriesOf.set(own.id, created);
  return created;
};

// Crèche (issue 5, item 4): a group with no facilitators, so the organisation's facilitator can staff its crèche;
// in the future for bookings (a past session takes none), in the past for the register (it opens on the day).
let fixtureCreches = 0;
const newCrecheSession = async (own: TestOrg, h: Helpers, when: 'future' | 'past'): Promise<{ sessionId: string; childId: string }> => {
  fixtureCreches += 1;
  const g = await call(h.ctx.app, h.ownManager, 'POST', '/api/groups', {
    programmeId: await fixtureProgramme(own, h),
    name: `Crèche group ${unique()}`,
    site: 'Northgate',
    startDate: daysFromNow(when === 'future' ? 400 + 14 * fixtureCreches : -400 - 14 * fixtureCreches),
    startTime: '10:00',
  });
  if (g.statusCode !== 201) throw new Error(`fixture crèche group: ${g.body}`);
  const sessionId = g.json().sessions[0].id as string;
  const staffed = await call(h.ctx.app, h.ownManager, 'PUT', `/api/sessions/${sessionId}/creche/staff`, { staffIds: [own.users.facilitator.id] });
  if (staffed.statusCode !== 200) throw new Error(`fixture crèche staff: ${staffed.body}`);
  const c = await waitingCase(h);
  const placed = await call(h.ctx.app, h.ownManager, 'POST', `/api/groups/${g.json().id}/placements`, { caseId: c.id, caseVersion: c.version });
  if (placed.statusCode !== 201) throw new Error(`fixture crèche placement: ${placed.body}`);
  const childId = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json().members.find((m: { isChild: boolean }) => m.isChild).personId as string;
  return { sessionId, childId };
};
const crecheBooking = (childId: string) => ({
  personId: childId,
  needs: '',
  allergies: 'None known',
  medicalNotes: '',
  consentGivenBy: 'Parent',
  consentOn: daysFromNow(0),
  laterSessions: false,
});
const sharedPastCreches = new Map<string, ReturnType<typeof newCrecheSession>>();
const sharedPastCreche = (own: TestOrg, h: Helpers): ReturnType<typeof newCrecheSession> => {
  const known = sharedPastCreches.get(own.id);
  if (known) return known;
  const created = newCrecheSession(own, h, 'past');
  sharedPastCreches.set(own.id, created);
  return created;
};

// Fund applications: one draft per organisation for the routes that read or edit one (a read resets nothing).
const sharedDrafts = new Map<string, ReturnType<typeof draftApplication>>();
const sharedDraft = (own: TestOrg, h: Helpers): ReturnType<typeof draftApplication> => {
  const known = sharedDrafts.get(own.id);
  if (known) return known;
  const created = fixtureProgramme(own, h).then((programmeId) => draftApplication(h.ctx, h.ownManager, own.id, programmeId));
  sharedDrafts.set(own.id, created);
  return created;
};

/** Read-only measures fixtures, made once per organisation (issue 4): an own instrument, and a paper administration. */
const sharedOwnInstrumentOf = new Map<string, Promise<string>>();
const sharedOwnInstrument = (own: TestOrg, h: Helpers): Promise<string> => {
  const known = sharedOwnInstrumentOf.get(own.id);
  if (known) return known;
  const made = (async () => {
    const id = `own-${unique()}`;
    const res = await call(h.ctx.app, h.ownManager, 'POST', `/api/measures/instruments/fhir?id=${id}`, {
      resourceType: 'Questionnaire',
      title: 'Own',
      status: 'active',
      item: [{ linkId: '1', type: 'choice', answerOption: [{ valueCoding: { code: '0' } }, { valueCoding: { code: '1' } }] }],
    });
    if (res.statusCode !== 201) throw new Error(`fixture instrument: ${res.body}`);
    return id;
  })();
  sharedOwnInstrumentOf.set(own.id, made);
  return made;
};
const sharedAdministrationOf = new Map<string, Promise<string>>();
const sharedAdministration = (own: TestOrg, h: Helpers): Promise<string> => {
  const known = sharedAdministrationOf.get(own.id);
  if (known) return known;
  const made = (async () => {
    const c = await newCase(h);
    const detail = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json();
    const personId = detail.members.find((m: { isChild: boolean }) => !m.isChild).personId as string;
    const paper = await call(h.ctx.app, h.ownManager, 'POST', `/api/cases/${c.id}/paper-forms`, { ...paperCore10, personId });
    if (paper.statusCode !== 201) throw new Error(`fixture administration: ${paper.body}`);
    return paper.json().id as string;
  })();
  sharedAdministrationOf.set(own.id, made);
  return made;
};

const matrix: Record<string, Entry> = {
  ...fundingMatrix,
  'GET /api/health': { who: 'public', ok: 200, request: () => ({ path: '/api/health' }) },
  'POST /api/auth/sign-in': {
    who: 'public',
    ok: 401,
    request: () => ({ path: '/api/auth/sign-in', body: { email: `nobody.${unique()}@test.example`, password: 'wrong-password' } }),
  },
  'POST /api/auth/sign-out': { who: 'signed_in', ok: 204, freshSession: true, request: () => ({ path: '/api/auth/sign-out' }) },
  'GET /api/session': { who: 'signed_in', ok: 200, request: () => ({ path: '/api/session' }) },
  'POST /api/session/organisation': {
    who: 'signed_in',
    ok: 200,
    request: (own) => ({ path: '/api/session/organisation', body: { organisationId: own.id } }),
  },
  'POST /api/auth/password-reset/request': {
    who: 'public',
    ok: 202,
    request: () => ({ path: '/api/auth/password-reset/request', body: { email: `nobody.${unique()}@test.example` } }),
  },
  'POST /api/auth/password-reset/complete': {
    who: 'public',
    ok: 400,
    request: () => ({ path: '/api/auth/password-reset/complete', body: { token: 'x'.repeat(40), password: 'a-good-long-password' } }),
  },
  'POST /api/auth/invitations/accept': {
    who: 'public',
    ok: 400,
    request: () => ({ path: '/api/auth/invitations/accept', body: { token: 'x'.repeat(40), password: 'a-good-long-password' } }),
  },
  'POST /api/auth/totp/setup': { who: 'signed_in', ok: 200, request: () => ({ path: '/api/auth/totp/setup' }) },
  'POST /api/auth/totp/confirm': { who: 'signed_in', ok: 400, request: () => ({ path: '/api/auth/totp/confirm', body: { code: '000000' } }) },
  'GET /api/users': { who: ['org_admin', 'service_manager'], ok: 200, request: () => ({ path: '/api/users' }) },
  'POST /api/users': {
    who: ['org_admin'],
    ok: 201,
    request: () => ({ path: '/api/users', body: { email: `invitee.${unique()}@test.example`, name: 'Invitee', role: 'case_worker' } }),
  },
  'GET /api/users/{userId}': {
    who: ['org_admin', 'service_manager'],
    ok: 200,
    request: (own) => ({ path: `/api/users/${own.users.facilitator.id}` }),
  },
  'PATCH /api/users/{userId}': {
    who: ['org_admin'],
    ok: 200,
    request: (own) => ({ path: `/api/users/${own.users.facilitator.id}`, body: { active: true, version: 1 } }),
  },
  'GET /api/audit': { who: ['org_admin'], ok: 200, request: () => ({ path: '/api/audit?limit=5' }) },
  // The outcomes report is aggregate; the CSV is the cheapest export to call for every role (the PDF is tested in evaluation-report).
  'GET /api/evaluation/report': { who: evaluationReaders, ok: 200, request: () => ({ path: '/api/evaluation/report' }) },
  'GET /api/evaluation/report.csv': { who: evaluationReaders, ok: 200, request: () => ({ path: '/api/evaluation/report.csv' }) },
  'GET /api/evaluation/report.html': { who: evaluationReaders, ok: 200, request: () => ({ path: '/api/evaluation/report.html?site=none' }) },
  'GET /api/evaluation/report.pdf': { who: evaluationReaders, ok: 400, request: () => ({ path: '/api/evaluation/report.pdf?from=2024-02-01&to=2024-01-01' }) },
  'GET /api/evaluation/report/page': { who: evaluationReaders, ok: 200, request: () => ({ path: '/api/evaluation/report/page?site=none' }) },
  'GET /api/cases/{caseId}/scores': {
    who: [...casework, 'facilitator'],
    ok: 200,
    scoped: { facilitator: 404 },
    request: async (_own, _role, h) => ({ path: `/api/cases/${(await newCase(h)).id}/scores` }),
  },
  'GET /api/evaluation/pseudonymised.csv': { who: ['org_admin', 'evaluator'], ok: 200, request: () => ({ path: '/api/evaluation/pseudonymised.csv?site=none' }) },
  'GET /api/evaluation/returns': { who: returnManagers, ok: 200, request: () => ({ path: '/api/evaluation/returns' }) },
  'POST /api/evaluation/returns': { who: returnManagers, ok: 201, request: () => ({ path: '/api/evaluation/returns', body: aReturn() }) },
  'GET /api/evaluation/returns/{funderReturnId}': {
    who: returnManagers,
    ok: 200,
    request: async (_own, _role, h) => ({ path: `/api/evaluation/returns/${(await newReturn(h)).id}` }),
  },
  'PUT /api/evaluation/returns/{funderReturnId}': {
    who: returnManagers,
    ok: 200,
    request: async (_own, _role, h) => {
      const r = await newReturn(h);
      return { path: `/api/evaluation/returns/${r.id}`, body: { ...aReturn(), version: r.version } };
    },
  },
  'GET /api/evaluation/returns/{funderReturnId}/report.csv': {
    who: returnManagers,
    ok: 200,
    request: async (_own, _role, h) => ({ path: `/api/evaluation/returns/${(await newReturn(h)).id}/report.csv?quarter=2024-Q1` }),
  },
  'GET /api/evaluation/returns/{funderReturnId}/report.html': {
    who: returnManagers,
    ok: 200,
    request: async (_own, _role, h) => ({ path: `/api/evaluation/returns/${(await newReturn(h)).id}/report.html?quarter=2024-Q1` }),
  },
  // An allowed caller gets 400 for a quarter that ends before the return starts (checked after the return is found,
  // so another organisation still gets 404): the PDF itself is printed in evaluation-outputs.
  'GET /api/evaluation/returns/{funderReturnId}/report.pdf': {
    who: returnManagers,
    ok: 400,
    request: async (_own, _role, h) => ({ path: `/api/evaluation/returns/${(await newReturn(h, { period: 'since_start', startDate: '2030-01-01' })).id}/report.pdf?quarter=2024-Q1` }),
  },
  // The body must be text/csv, which this table's JSON calls cannot send: an allowed caller gets 400 for the missing
  // file (measures-import.int.test.ts covers real uploads); everyone else is stopped before the body is read.
  'POST /api/measures/imports': {
    who: ['org_admin', 'service_manager'],
    ok: 400,
    request: () => ({ path: '/api/measures/imports?dryRun=true' }),
  },
  'GET /api/programmes': { who: ['org_admin', 'service_manager', 'case_worker', 'facilitator'], ok: 200, request: () => ({ path: '/api/programmes' }) },
  'GET /api/public/referral-forms/{orgSlug}': { who: 'public', ok: 200, request: (own) => ({ path: `/api/public/referral-forms/${own.slug}` }) },
  'POST /api/public/referral-forms/{orgSlug}': {
    who: 'public',
    ok: 201,
    request: (own) => ({ path: `/api/public/referral-forms/${own.slug}`, body: { submission: aReferral() } }),
  },
  'POST /api/referrals': { who: casework, ok: 201, request: () => ({ path: '/api/referrals', body: { submission: aReferral() } }) },
  'GET /api/referrals': { who: casework, ok: 200, request: () => ({ path: '/api/referrals' }) },
  'GET /api/referrals/{referralId}': {
    who: casework,
    ok: 200,
    request: async (_own, _role, h) => ({ path: `/api/referrals/${(await newReferral(h)).id}` }),
  },
  'POST /api/referrals/{referralId}/decision': {
    who: casework,
    ok: 200,
    request: async (_own, _role, h) => {
      const r = await newReferral(h);
      return { path: `/api/referrals/${r.id}/decision`, body: { decision: 'waiting_list', reason: 'The next group is full', version: r.version } };
    },
  },
  'GET /api/cases': { who: [...casework, 'facilitator'], ok: 200, request: () => ({ path: '/api/cases' }) },
  'GET /api/cases/{caseId}': {
    who: [...casework, 'facilitator'],
    ok: 200,
    scoped: { facilitator: 404 },
    request: async (_own, _role, h) => ({ path: `/api/cases/${(await newCase(h)).id}` }),
  },
  'POST /api/cases/{caseId}/stage': {
    who: casework,
    ok: 200,
    request: async (_own, _role, h) => {
      const c = await newCase(h);
      return { path: `/api/cases/${c.id}/stage`, body: { to: 'assessment_booked', version: c.version } };
    },
  },
  'PUT /api/cases/{caseId}/case-worker': {
    who: ['service_manager'],
    ok: 200,
    request: async (own, _role, h) => {
      const c = await newCase(h);
      return { path: `/api/cases/${c.id}/case-worker`, body: { caseWorkerId: own.users.case_worker.id, version: c.version } };
    },
  },
  'POST /api/cases/{caseId}/assessments': {
    who: casework,
    ok: 201,
    request: async (own, _role, h) => {
      const c = await newCase(h);
      return { path: `/api/cases/${c.id}/assessments`, body: { scheduledAt: '2026-12-01T10:00:00Z', facilitatorIds: [own.users.facilitator.id], caseVersion: c.version } };
    },
  },
  'GET /api/assessments/{assessmentId}': {
    who: [...casework, 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => ({ path: `/api/assessments/${(await newAssessment(own, h)).id}` }),
  },
  'PUT /api/assessments/{assessmentId}/joint-interview': {
    who: [...casework, 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => {
      const a = await newAssessment(own, h);
      return { path: `/api/assessments/${a.id}/joint-interview`, body: { notes: 'Both parents attended.', version: a.version } };
    },
  },
  'PUT /api/assessments/{assessmentId}/risk/{personId}': {
    who: [...casework, 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => {
      const a = await newAssessment(own, h);
      return { path: `/api/assessments/${a.id}/risk/${a.adults[0]}`, body: { ...calmRisk, version: 0 } };
    },
  },
  'POST /api/assessments/{assessmentId}/outcome': {
    who: [...casework, 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => {
      const a = await newAssessment(own, h);
      for (const personId of a.adults) await call(h.ctx.app, h.ownManager, 'PUT', `/api/assessments/${a.id}/risk/${personId}`, { ...calmRisk, version: 0 });
      return { path: `/api/assessments/${a.id}/outcome`, body: { outcome: 'not_suitable', onwardReferral: 'Local counselling service', version: a.version } };
    },
  },
  'GET /api/safeguarding-flags': { who: casework, ok: 200, request: () => ({ path: '/api/safeguarding-flags' }) },
  'POST /api/safeguarding-flags/{flagId}/resolve': {
    who: ['service_manager'],
    ok: 200,
    request: async (own, _role, h) => {
      const a = await newAssessment(own, h);
      const risk = await call(h.ctx.app, h.ownManager, 'PUT', `/api/assessments/${a.id}/risk/${a.adults[0]}`, { ...calmRisk, riskToChild: 'high', version: 0 });
      const caseId = risk.json().caseId as string;
      const flag = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${caseId}`)).json().safeguardingFlags[0];
      return { path: `/api/safeguarding-flags/${flag.id}/resolve`, body: { decision: 'Reviewed; no further action.', version: flag.version } };
    },
  },
  'GET /api/cases/{caseId}/notes': {
    who: [...casework, 'facilitator'],
    ok: 200,
    scoped: { facilitator: 404 },
    request: async (_own, _role, h) => ({ path: `/api/cases/${(await newCase(h)).id}/notes` }),
  },
  'POST /api/cases/{caseId}/notes': {
    who: casework,
    ok: 201,
    request: async (_own, _role, h) => ({ path: `/api/cases/${(await newCase(h)).id}/notes`, body: { kind: 'contact', occurredOn: '2026-11-01', body: 'Called.' } }),
  },
  'GET /api/cases/{caseId}/documents': {
    who: [...casework, 'facilitator'],
    ok: 200,
    scoped: { facilitator: 404 },
    request: async (_own, _role, h) => ({ path: `/api/cases/${(await newCase(h)).id}/documents` }),
  },
  'POST /api/cases/{caseId}/documents': {
    who: casework,
    ok: 201,
    request: async (_own, _role, h) => ({ path: `/api/cases/${(await newCase(h)).id}/documents?fileName=form.pdf`, body: PDF, contentType: 'application/pdf' }),
  },
  'GET /api/documents/{documentId}': {
    who: [...casework, 'facilitator'],
    ok: 200,
    scoped: { facilitator: 404 },
    request: async (_own, _role, h) => {
      const c = await newCase(h);
      const up = await send(h, h.ownManager, 'POST', { path: `/api/cases/${c.id}/documents?fileName=form.pdf`, body: PDF, contentType: 'application/pdf' });
      return { path: `/api/documents/${up.json().id}` };
    },
  },
  'GET /api/people/{personId}/subject-access': {
    who: ['org_admin'],
    ok: 200,
    request: async (_own, _role, h) => ({ path: `/api/people/${await newPerson(h)}/subject-access` }),
  },
  'POST /api/people/{personId}/erasure': {
    who: ['org_admin'],
    ok: 200,
    request: async (_own, _role, h) => ({ path: `/api/people/${await newPerson(h)}/erasure`, body: { reason: 'Erasure request' } }),
  },
  'GET /api/retention': { who: ['org_admin'], ok: 200, request: () => ({ path: '/api/retention' }) },
  'PUT /api/retention': { who: ['org_admin'], ok: 200, request: () => ({ path: '/api/retention', body: { policies: [{ recordType: 'case_note', keepMonths: 84 }] } }) },
  'POST /api/retention/run': { who: ['org_admin'], ok: 200, request: () => ({ path: '/api/retention/run' }) },
  'POST /api/cases/{caseId}/take': {
    who: casework,
    ok: 200,
    request: async (_own, _role, h) => {
      const c = await newCase(h);
      return { path: `/api/cases/${c.id}/take`, body: { version: c.version } };
    },
  },
  'POST /api/notifications/{notificationId}/read': {
    who: [...casework, 'facilitator'],
    ok: 204,
    request: async (own, role, h) => {
      // A notification of the caller's own: allocate a fresh case to them (a manager can be allocated; others get one by booking).
      const c = await newCase(h);
      if (role === 'facilitator') {
        await call(h.ctx.app, h.ownManager, 'POST', `/api/cases/${c.id}/assessments`, { scheduledAt: '2026-12-01T10:00:00Z', facilitatorIds: [own.users.facilitator.id], caseVersion: c.version });
      } else if (role === 'case_worker') {
        await call(h.ctx.app, h.ownManager, 'PUT', `/api/cases/${c.id}/case-worker`, { caseWorkerId: own.users.case_worker.id, version: c.version });
      }
      const latest = await inScope(h.ctx.db.db, { organisationId: own.id, userId: null }, (trx) =>
        trx.selectFrom('notification').select('id').where('userId', '=', own.users[role].id).orderBy('createdAt', 'desc').executeTakeFirst(),
      );
      return { path: `/api/notifications/${latest?.id ?? '00000000-0000-4000-8000-000000000000'}/read` };
    },
  },
  // Questionnaires (issue 4): the case's list, links for parents, paper entry, and the parent's public side.
  'GET /api/measures/questionnaire-forms': { who: [...casework, 'facilitator'], ok: 200, request: () => ({ path: '/api/measures/questionnaire-forms' }) },
  'GET /api/cases/{caseId}/questionnaires': {
    who: [...casework, 'facilitator'],
    ok: 200,
    scoped: { facilitator: 404 },
    request: async (_own, _role, h) => ({ path: `/api/cases/${(await newCase(h)).id}/questionnaires` }),
  },
  'POST /api/cases/{caseId}/questionnaire-links': {
    who: casework,
    ok: 201,
    request: async (_own, _role, h) => {
      const c = await newCase(h);
      const detail = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json();
      return { path: `/api/cases/${c.id}/questionnaire-links`, body: { personId: detail.members.find((m: { isChild: boolean }) => !m.isChild).personId, instrumentId: 'core-10', timepoint: 'pre' } };
    },
  },
  'POST /api/cases/{caseId}/paper-forms': {
    who: casework,
    ok: 201,
    request: async (_own, _role, h) => {
      const c = await newCase(h);
      const detail = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json();
      return { path: `/api/cases/${c.id}/paper-forms`, body: { ...paperCore10, personId: detail.members.find((m: { isChild: boolean }) => !m.isChild).personId } };
    },
  },
  'GET /api/public/questionnaires/{token}': { who: 'public', ok: 200, request: async (_own, _role, h) => ({ path: `/api/public/questionnaires/${await newQuestionnaireLink(h)}` }) },
  'PUT /api/public/questionnaires/{token}': {
    who: 'public',
    ok: 200,
    request: async (_own, _role, h) => ({ path: `/api/public/questionnaires/${await newQuestionnaireLink(h)}`, body: { answers: { '1': 2 } } }),
  },
  'POST /api/public/questionnaires/{token}': {
    who: 'public',
    ok: 200,
    request: async (_own, _role, h) => ({ path: `/api/public/questionnaires/${await newQuestionnaireLink(h)}`, body: { answers: paperCore10.responses } }),
  },
  // Instruments, organisations' own instruments and FHIR (issue 4 items 1–2).
  'GET /api/measures/instruments': { who: ['org_admin', 'service_manager', 'case_worker', 'facilitator'], ok: 200, request: () => ({ path: '/api/measures/instruments' }) },
  // An own instrument of the organisation (the built-ins are everyone's, so they cannot show a 404 to others).
  'GET /api/measures/instruments/{instrumentId}/fhir': {
    who: ['org_admin', 'service_manager', 'case_worker', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => ({ path: `/api/measures/instruments/${await sharedOwnInstrument(own, h)}/fhir` }),
  },
  'GET /api/measures/licences/{instrument}': { who: ['org_admin', 'service_manager'], ok: 200, request: () => ({ path: '/api/measures/licences/bcap' }) },
  'PUT /api/measures/licences/{instrument}': {
    who: ['org_admin', 'service_manager'],
    ok: 200,
    request: () => ({ path: '/api/measures/licences/sdq-p4-17', body: { licenceReference: 'youthinmind agreement 42', wording: { items: { '1': 'Licensed wording' } } } }),
  },
  'POST /api/cases/{caseId}/questionnaire-links/{linkId}/cancel': {
    who: casework,
    ok: 200,
    request: async (_own, _role, h) => {
      const c = await newCase(h);
      const detail = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json();
      const personId = detail.members.find((m: { isChild: boolean }) => !m.isChild).personId as string;
      const link = await call(h.ctx.app, h.ownManager, 'POST', `/api/cases/${c.id}/questionnaire-links`, { personId, instrumentId: 'core-10', timepoint: 'pre' });
      if (link.statusCode !== 201) throw new Error(`fixture link: ${link.body}`);
      return { path: `/api/cases/${c.id}/questionnaire-links/${link.json().linkId}/cancel` };
    },
  },
  'GET /api/cases/{caseId}/administrations/{administrationId}': {
    who: [...casework, 'facilitator'],
    ok: 200,
    scoped: { facilitator: 404 },
    request: async (_own, _role, h) => {
      const c = await newCase(h);
      const detail = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json();
      const personId = detail.members.find((m: { isChild: boolean }) => !m.isChild).personId as string;
      const paper = await call(h.ctx.app, h.ownManager, 'POST', `/api/cases/${c.id}/paper-forms`, { ...paperCore10, personId });
      if (paper.statusCode !== 201) throw new Error(`fixture administration: ${paper.body}`);
      return { path: `/api/cases/${c.id}/administrations/${paper.json().id}` };
    },
  },
  'PUT /api/cases/{caseId}/administrations/{administrationId}': {
    who: casework,
    ok: 200,
    request: async (_own, _role, h) => {
      const c = await newCase(h);
      const detail = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json();
      const personId = detail.members.find((m: { isChild: boolean }) => !m.isChild).personId as string;
      const paper = await call(h.ctx.app, h.ownManager, 'POST', `/api/cases/${c.id}/paper-forms`, { ...paperCore10, personId });
      if (paper.statusCode !== 201) throw new Error(`fixture administration: ${paper.body}`);
      return {
        path: `/api/cases/${c.id}/administrations/${paper.json().id}`,
        body: { completedOn: paperCore10.completedOn, responses: { ...paperCore10.responses, '1': 3 }, reason: 'Item 1 keyed in the wrong column', version: 1 },
      };
    },
  },
  'POST /api/measures/instruments/fhir': {
    who: ['org_admin', 'service_manager'],
    ok: 201,
    request: () => ({
      path: `/api/measures/instruments/fhir?id=own-${unique()}`,
      body: { resourceType: 'Questionnaire', title: 'Own', status: 'active', item: [{ linkId: '1', type: 'choice', answerOption: [{ valueCoding: { code: '0' } }, { valueCoding: { code: '1' } }] }] },
    }),
  },
  'GET /api/measures/administrations/{administrationId}/fhir': {
    who: [...casework, 'facilitator'],
    ok: 200,
    scoped: { facilitator: 404 },
    request: async (own, _role, h) => ({ path: `/api/measures/administrations/${await sharedAdministration(own, h)}/fhir` }),
  },
  'GET /api/my-work': { who: [...casework, 'facilitator'], ok: 200, request: () => ({ path: '/api/my-work' }) },
  'GET /api/programmes/{programmeId}': {
    who: ['org_admin', 'service_manager', 'case_worker', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => ({ path: `/api/programmes/${await fixtureProgramme(own, h)}` }),
  },
  'POST /api/programmes/{programmeId}/copy': {
    who: ['service_manager'],
    ok: 201,
    request: async (own, _role, h) => ({ path: `/api/programmes/${await fixtureProgramme(own, h)}/copy`, body: { name: `Copy ${unique()}` } }),
  },
  'GET /api/programmes/{programmeId}/measurement-schedule': {
    who: ['org_admin', 'service_manager', 'case_worker', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => ({ path: `/api/programmes/${await fixtureProgramme(own, h)}/measurement-schedule` }),
  },
  'PUT /api/programmes/{programmeId}/measurement-schedule': {
    who: ['service_manager'],
    ok: 200,
    request: async (own, _role, h) => {
      // A fresh copy each time: it has no stored schedule yet (version null).
      const copy = (await call(h.ctx.app, h.ownManager, 'POST', `/api/programmes/${await fixtureProgramme(own, h)}/copy`, { name: `Schedule ${unique()}` })).json();
      return {
        path: `/api/programmes/${copy.id}/measurement-schedule`,
        body: { entries: [{ instrumentId: 'core-10', respondents: 'each_parent', aboutEachChild: false, timepoints: [{ timepoint: 'pre', windowDays: 14 }] }], version: null },
      };
    },
  },
  'PUT /api/programmes/{programmeId}': {
    who: ['service_manager'],
    ok: 200,
    request: async (own, _role, h) => {
      const copy = (await call(h.ctx.app, h.ownManager, 'POST', `/api/programmes/${await fixtureProgramme(own, h)}/copy`, { name: `Copy ${unique()}` })).json();
      const { id, copiedFrom: _from, kind: _kind, ...body } = copy;
      return { path: `/api/programmes/${id}`, body: { ...body, description: 'Adjusted' } };
    },
  },
  'GET /api/groups': { who: groupStaff, ok: 200, request: () => ({ path: '/api/groups' }) },
  'POST /api/groups': {
    who: ['service_manager'],
    ok: 201,
    request: async (own, _role, h) => ({
      path: '/api/groups',
      body: { programmeId: await fixtureProgramme(own, h), name: `Planned ${unique()}`, site: 'Northgate', startDate: daysFromNow(30), startTime: '18:00' },
    }),
  },
  'GET /api/groups/{groupId}': { who: groupStaff, ok: 200, request: async (own, _role, h) => ({ path: `/api/groups/${(await sharedGroup(own, h)).id}` }) },
  'PATCH /api/groups/{groupId}': {
    who: ['service_manager'],
    ok: 200,
    request: async (own, _role, h) => {
      const g = (await call(h.ctx.app, h.ownManager, 'GET', `/api/groups/${(await sharedGroup(own, h)).id}`)).json();
      return { path: `/api/groups/${g.id}`, body: { venue: 'Main hall', version: g.version } };
    },
  },
  'PUT /api/sessions/{sessionId}/facilitators': {
    who: ['service_manager'],
    ok: 200,
    request: async (own, _role, h) => {
      const g = (await call(h.ctx.app, h.ownManager, 'GET', `/api/groups/${(await sharedGroup(own, h)).id}`)).json();
      const s = g.sessions[1];
      return { path: `/api/sessions/${s?.id}/facilitators`, body: { facilitatorIds: [own.users.facilitator.id], version: s?.version } };
    },
  },
  'POST /api/sessions/{sessionId}/move': {
    who: ['service_manager'],
    ok: 200,
    request: async (own, _role, h) => {
      const s = (await newGroup(own, h)).sessions[1];
      const next = new Date(Date.parse(`${s?.onDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      return { path: `/api/sessions/${s?.id}/move`, body: { onDate: next, rescheduleRest: false, version: s?.version } };
    },
  },
  'POST /api/groups/{groupId}/placements': {
    who: ['service_manager'],
    ok: 201,
    request: async (own, _role, h) => {
      const g = await newGroup(own, h);
      const c = await waitingCase(h);
      return { path: `/api/groups/${g.id}/placements`, body: { caseId: c.id, caseVersion: c.version } };
    },
  },
  'POST /api/placements/{placementId}/withdraw': {
    who: casework,
    ok: 200,
    request: async (own, role, h) => {
      // A case worker records the drop-out of a family on their own caseload.
      const p = await newPlacement(own, h, role === 'case_worker' ? own.users.case_worker.id : undefined);
      return { path: `/api/placements/${p.id}/withdraw`, body: { on: daysFromNow(0), reason: 'Moved away', version: p.version } };
    },
  },
  'GET /api/sessions/{sessionId}/register': {
    who: ['service_manager', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => ({ path: `/api/sessions/${(await sharedGroup(own, h)).sessions[0]?.id}/register` }),
  },
  'PUT /api/sessions/{sessionId}/register': {
    who: ['service_manager', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => {
      const path = `/api/sessions/${(await sharedGroup(own, h)).sessions[0]?.id}/register`;
      return { path, body: { marks: [], version: (await call(h.ctx.app, h.ownManager, 'GET', path)).json().version } };
    },
  },
  // Fund applications (issue 7, item 3): a fresh draft for each call that changes one.
  'GET /api/cases/{caseId}/fund-applications': { who: casework, ok: 200, request: async (_own, _role, h) => ({ path: `/api/cases/${(await newCase(h)).id}/fund-applications` }) },
  'POST /api/cases/{caseId}/fund-applications': {
    who: casework,
    ok: 201,
    request: async (own, _role, h) => {
      const c = await newCase(h);
      const childId = (await call(h.ctx.app, h.ownManager, 'GET', `/api/cases/${c.id}`)).json().members.find((m: { isChild: boolean }) => m.isChild).personId as string;
      return { path: `/api/cases/${c.id}/fund-applications`, body: applicationBody(await fixtureFunder(h.ctx, own.id), await fixtureProgramme(own, h), childId) };
    },
  },
  'GET /api/fund-applications': { who: ['service_manager', 'commissioner'], ok: 200, request: () => ({ path: '/api/fund-applications' }) },
  'GET /api/fund-applications/{applicationId}': {
    who: casework,
    ok: 200,
    request: async (own, _role, h) => ({ path: `/api/fund-applications/${(await sharedDraft(own, h)).id}` }),
  },
  'PATCH /api/fund-applications/{applicationId}': {
    who: casework,
    ok: 200,
    request: async (own, _role, h) => {
      const a = await sharedDraft(own, h);
      const { version } = (await call(h.ctx.app, h.ownManager, 'GET', `/api/fund-applications/${a.id}`)).json();
      const { kind: _kind, funderId: _funder, ...body } = applicationBody(await fixtureFunder(h.ctx, own.id), await fixtureProgramme(own, h), a.childId);
      return { path: `/api/fund-applications/${a.id}`, body: { ...body, amountPence: 130000, version } };
    },
  },
  'POST /api/fund-applications/{applicationId}/status': {
    who: casework,
    ok: 200,
    request: async (own, _role, h) => {
      const a = await draftApplication(h.ctx, h.ownManager, own.id, await fixtureProgramme(own, h));
      return { path: `/api/fund-applications/${a.id}/status`, body: { to: 'withdrawn', note: 'No longer needed', version: a.version } };
    },
  },
  'GET /api/fund-application-rules': { who: casework, ok: 200, request: () => ({ path: '/api/fund-application-rules' }) },
  'PUT /api/fund-application-rules/{funderId}': {
    who: ['service_manager'],
    ok: 200,
    request: async (own, _role, h) => ({
      path: `/api/fund-application-rules/${await newFunder(h.ctx, own.id, `Fund ${unique()}`)}`,
      body: { annualLimitPence: 500000, assessmentValidMonths: 12, yearStartMonth: 4, version: 0 },
    }),
  },
  'GET /api/groups/{groupId}/dose': { who: groupStaff, ok: 200, request: async (own, _role, h) => ({ path: `/api/groups/${(await sharedGroup(own, h)).id}/dose` }) },
  'GET /api/me/calendar.ics': { who: groupStaff, ok: 200, request: () => ({ path: '/api/me/calendar.ics' }) },
  'GET /api/therapy-series': { who: groupStaff, ok: 200, request: () => ({ path: '/api/therapy-series' }) },
  'POST /api/cases/{caseId}/therapy-series': {
    who: ['service_manager'],
    ok: 201,
    request: async (own, _role, h) => {
      fixtureSeries += 1;
      const c = await newCase(h);
      return {
        path: `/api/cases/${c.id}/therapy-series`,
        body: { therapistId: own.users.facilitator.id, kind: 'consultation', firstDate: daysFromNow(200 + fixtureSeries), startTime: '07:00', count: 1, caseVersion: c.version },
      };
    },
  },
  'GET /api/therapy-series/{therapySeriesId}': { who: groupStaff, ok: 200, request: async (own, _role, h) => ({ path: `/api/therapy-series/${(await sharedSeries(own, h)).id}` }) },
  'POST /api/therapy-appointments/{therapyAppointmentId}/reschedule': {
    who: ['service_manager', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => {
      const a = (await newSeries(own, h)).appointments[0];
      const next = new Date(Date.parse(`${a?.onDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      return { path: `/api/therapy-appointments/${a?.id}/reschedule`, body: { onDate: next, startTime: '06:00', reason: 'Asked to move', version: a?.version } };
    },
  },
  'POST /api/therapy-appointments/{therapyAppointmentId}/outcome': {
    who: ['service_manager', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => {
      const series = await sharedSeries(own, h);
      const a = (await call(h.ctx.app, h.ownManager, 'GET', `/api/therapy-series/${series.id}`)).json().appointments[0];
      return { path: `/api/therapy-appointments/${a?.id}/outcome`, body: { outcome: 'cancelled_by_service', version: a?.version } };
    },
  },
  'GET /api/diary': { who: groupStaff, ok: 200, request: () => ({ path: '/api/diary' }) },
  'GET /api/therapists/{userId}/availability': { who: ['service_manager', 'facilitator'], ok: 200, request: (own) => ({ path: `/api/therapists/${own.users.facilitator.id}/availability` }) },
  'PUT /api/therapists/{userId}/availability': {
    who: ['service_manager', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => {
      const path = `/api/therapists/${own.users.facilitator.id}/availability`;
      // An empty week: declaring one here would hold back the fixtures' own bookings for this therapist.
      const current = (await call(h.ctx.app, h.ownManager, 'GET', path)).json();
      return { path, body: { windows: [], version: current.version } };
    },
  },
  'GET /api/programmes-overview': { who: ['service_manager'], ok: 200, request: () => ({ path: '/api/programmes-overview' }) },
  'GET /api/me/calendar-feed': { who: groupStaff, ok: 200, request: () => ({ path: '/api/me/calendar-feed' }) },
  'POST /api/me/calendar-feed': { who: groupStaff, ok: 201, request: () => ({ path: '/api/me/calendar-feed' }) },
  'DELETE /api/me/calendar-feed': { who: groupStaff, ok: 200, request: () => ({ path: '/api/me/calendar-feed' }) },
  'GET /api/calendar-feeds/{token}': {
    // The secret URL is the credential: a fresh one of the organisation's manager each time.
    who: 'public',
    ok: 200,
    request: async (_own, _role, h) => ({ path: (await call(h.ctx.app, h.ownManager, 'POST', '/api/me/calendar-feed')).json().path }),
  },
  'GET /api/sessions/{sessionId}/record': {
    who: ['service_manager', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => ({ path: `/api/sessions/${(await sharedGroup(own, h)).sessions[0]?.id}/record` }),
  },
  'PUT /api/sessions/{sessionId}/record': {
    who: ['service_manager', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => {
      const path = `/api/sessions/${(await sharedGroup(own, h)).sessions[0]?.id}/record`;
      return { path, body: { items: [{ key: 'topic', status: 'covered', note: '' }], notes: 'Went well', version: (await call(h.ctx.app, h.ownManager, 'GET', path)).json().version } };
    },
  },
  'POST /api/sessions/{sessionId}/concerns': {
    who: ['service_manager', 'facilitator'],
    ok: 201,
    request: async (own, _role, h) => {
      const g = await newGroup(own, h);
      const c = await waitingCase(h);
      const placed = await call(h.ctx.app, h.ownManager, 'POST', `/api/groups/${g.id}/placements`, { caseId: c.id, caseVersion: c.version });
      if (placed.statusCode !== 201) throw new Error(`fixture placement: ${placed.body}`);
      return { path: `/api/sessions/${g.sessions[0]?.id}/concerns`, body: { caseId: c.id, reason: 'A worrying remark in the group' } };
    },
  },
  'GET /api/sessions/{sessionId}/creche': { who: groupStaff, ok: 200, request: async (own, _role, h) => ({ path: `/api/sessions/${(await sharedGroup(own, h)).sessions[0]?.id}/creche` }) },
  'POST /api/sessions/{sessionId}/creche/bookings': {
    who: casework,
    ok: 201,
    request: async (own, _role, h) => {
      const { sessionId, childId } = await newCrecheSession(own, h, 'future');
      return { path: `/api/sessions/${sessionId}/creche/bookings`, body: crecheBooking(childId) };
    },
  },
  'PATCH /api/creche-bookings/{crecheBookingId}': {
    who: casework,
    ok: 200,
    request: async (own, _role, h) => {
      const { sessionId, childId } = await newCrecheSession(own, h, 'future');
      const booked = await call(h.ctx.app, h.ownManager, 'POST', `/api/sessions/${sessionId}/creche/bookings`, crecheBooking(childId));
      if (booked.statusCode !== 201) throw new Error(`fixture crèche booking: ${booked.body}`);
      const b = booked.json().bookings[0];
      return { path: `/api/creche-bookings/${b.id}`, body: { needs: 'Likes the sand tray', version: b.version } };
    },
  },
  'PUT /api/sessions/{sessionId}/creche/staff': {
    who: ['service_manager'],
    ok: 200,
    request: async (own, _role, h) => ({ path: `/api/sessions/${(await sharedPastCreche(own, h)).sessionId}/creche/staff`, body: { staffIds: [own.users.facilitator.id] } }),
  },
  'PUT /api/sessions/{sessionId}/creche/register': {
    // A facilitator takes it because they are rostered on this crèche; a case worker, not crèche staff, is refused.
    who: ['service_manager', 'facilitator'],
    ok: 200,
    request: async (own, _role, h) => {
      const path = `/api/sessions/${(await sharedPastCreche(own, h)).sessionId}/creche`;
      return { path: `${path}/register`, body: { marks: [], version: (await call(h.ctx.app, h.ownManager, 'GET', path)).json().registerVersion } };
    },
  },
};

const isAllowed = (who: Who, role: Role): boolean => who === 'public' || who === 'signed_in' || who.includes(role);

describe(`authorization matrix on ${engineName()}`, () => {
  let ctx: TestContext;
  let own: TestOrg;
  let other: TestOrg;
  const sessions = new Map<string, Session>();
  let routes: { method: string; path: string; key: string; isPublic: boolean }[] = [];
  let helpers: Helpers;

  const sessionFor = async (org: TestOrg, role: Role, fresh = false): Promise<Session> => {
    const key = `${org.id}:${role}`;
    const existing = sessions.get(key);
    if (existing && !fresh) return existing;
    const session = await signIn(ctx.app, org.users[role].email);
    if (!fresh) sessions.set(key, session);
    return session;
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    own = await createOrgWithStaff(ctx, 'Own');
    other = await createOrgWithStaff(ctx, 'Other');
    helpers = { ctx, ownManager: await signIn(ctx.app, own.users.service_manager.email) };
    const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        isPublic: Array.isArray(op.security) && op.security.length === 0,
      })),
    );
  });
  afterAll(async () => ctx?.close());

  it('declares every route of the OpenAPI document, and nothing that is not there', () => {
    const documented = routes.map((r) => r.key).sort();
    expect(documented).toEqual(Object.keys(matrix).sort());
    for (const route of routes) {
      expect(route.isPublic, `${route.key} security in OpenAPI`).toBe(matrix[route.key]?.who === 'public');
    }
  });

  it('answers 401 without a session on every non-public route', async () => {
    for (const route of routes) {
      const entry = matrix[route.key];
      if (!entry || entry.who === 'public') continue;
      const req = await entry.request(own, 'org_admin', helpers);
      const res = await send(helpers, null, route.method, req);
      expect(res.statusCode, `${route.key} anonymous`).toBe(401);
    }
  });

  it('gives each role of the same organisation exactly what the table says', async () => {
    for (const route of routes) {
      const entry = matrix[route.key];
      if (!entry) continue;
      for (const role of roles) {
        const session = entry.who === 'public' ? null : await sessionFor(own, role, entry.freshSession);
        const req = await entry.request(own, role, helpers);
        const res = await send(helpers, session, route.method, req);
        const expected = isAllowed(entry.who, role) ? (entry.scoped?.[role] ?? entry.ok) : 403;
        expect(res.statusCode, `${route.key} as ${role}: ${res.body.slice(0, 200)}`).toBe(expected);
      }
    }
  });

  it("never shows another organisation's records: 404 for their ids, nothing of theirs in any answer", async () => {
    const foreignMarkers = [own.id, ...Object.values(own.users).flatMap((u) => [u.id, u.email])];
    for (const route of routes) {
      const entry = matrix[route.key];
      if (!entry || entry.who === 'public') continue;
      const hasRecordId = /\{[a-zA-Z]+Id\}/.test(route.path);
      for (const role of roles) {
        const session = await sessionFor(other, role, entry.freshSession);
        const req = await entry.request(own, role, helpers);
        // Switching into an organisation one does not belong to is the one "record" of this kind.
        const res = await send(helpers, session, route.method, req);
        let expected: number | null = null;
        if (!isAllowed(entry.who, role)) expected = 403;
        else if (hasRecordId || route.key === 'POST /api/session/organisation') expected = 404;
        if (expected !== null) expect(res.statusCode, `${route.key} as ${role} of another organisation`).toBe(expected);
        for (const marker of foreignMarkers) {
          expect(res.body.includes(marker), `${route.key} as ${role} of another organisation leaked ${marker}`).toBe(false);
        }
      }
    }
  });
});
