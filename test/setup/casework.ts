import type { LightMyRequestResponse } from 'fastify';
import { builtInProgrammes, createProgrammes } from '../../src/server/modules/programmes/index.ts';
import { call, type Session, type TestContext, type TestOrg } from './harness.ts';
import type { Route } from './openapi-routes.ts';
import { aReferral } from './referrals.ts';

/*
 * One organisation's casework, made through the API: a pending referral, a case with a booked assessment, a
 * safeguarding flag raised by a high risk, a note, a document and a notification. The adversarial and fuzz tests
 * use its ids in every path, so each route is reached with a real record behind it.
 */

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
export const calmRisk = { riskToChild: 'low', domesticAbuse: 'none', domesticAbuseIndicated: false, mentalHealth: 'none', substanceUse: 'none' };

export type CaseworkNames = { given: string; family: string; child: string; note: string; disclosure: string };
export const ordinaryNames: CaseworkNames = { given: 'Dana', family: 'Fielding', child: 'Lily', note: 'Called.', disclosure: 'Said little.' };

export type Casework = {
  org: TestOrg;
  referralId: string;
  referralVersion: number;
  caseId: string;
  caseVersion: number;
  personId: string;
  assessmentId: string;
  assessmentVersion: number;
  flagId: string;
  flagVersion: number;
  documentId: string;
  notificationId: string;
  programmeId: string;
};

/** A request through app.inject with the session's cookie and CSRF token; a content type means a raw body. */
export const sendAs = (ctx: TestContext, session: Session | null, method: string, url: string, body?: unknown, contentType?: string): Promise<LightMyRequestResponse> =>
  contentType
    ? ctx.app.inject({
        method: method as 'POST',
        url,
        headers: { ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}), 'content-type': contentType },
        payload: body as Buffer,
      })
    : call(ctx.app, session, method as 'GET', url, body);

const ok = (res: LightMyRequestResponse, what: string): LightMyRequestResponse => {
  if (res.statusCode >= 300) throw new Error(`fixture ${what}: ${res.statusCode} ${res.body}`);
  return res;
};

export const buildCasework = async (ctx: TestContext, org: TestOrg, manager: Session, names: CaseworkNames = ordinaryNames): Promise<Casework> => {
  // Test organisations start without programmes; the built-in ones give each a real programme id.
  const [programmeId] = await createProgrammes(ctx.db.db, org.id, builtInProgrammes);
  if (!programmeId) throw new Error('fixture: no programme');
  const referral = aReferral({
    parents: [
      { givenName: names.given, familyName: names.family, dateOfBirth: '1987-03-14', gender: 'female', relationship: 'birth_parent', email: `${names.given.toLowerCase()}@family.example`, willingToAttend: true },
      { givenName: 'Marcus', familyName: names.family, dateOfBirth: '1985-07-02', gender: 'male', relationship: 'birth_parent', phone: '07700 900123', willingToAttend: true },
    ],
    children: [{ givenName: names.child, familyName: names.family, dateOfBirth: '2020-05-05' }],
  });
  const pending = ok(await call(ctx.app, manager, 'POST', '/api/referrals', { submission: referral }), 'referral').json() as { id: string; version: number };
  const toAccept = ok(await call(ctx.app, manager, 'POST', '/api/referrals', { submission: referral }), 'referral').json() as { id: string; version: number };
  const accepted = ok(await call(ctx.app, manager, 'POST', `/api/referrals/${toAccept.id}/decision`, { decision: 'accept', version: toAccept.version }), 'accept').json() as {
    caseId: string;
  };
  const caseId = accepted.caseId;
  const first = ok(await call(ctx.app, manager, 'GET', `/api/cases/${caseId}`), 'case').json() as { version: number; members: { personId: string; isChild: boolean }[] };
  const adults = first.members.filter((m) => !m.isChild).map((m) => m.personId);
  const booked = ok(
    await call(ctx.app, manager, 'POST', `/api/cases/${caseId}/assessments`, { scheduledAt: '2026-12-01T10:00:00Z', facilitatorIds: [org.users.facilitator.id], caseVersion: first.version }),
    'assessment',
  ).json() as { id: string };
  ok(await call(ctx.app, manager, 'PUT', `/api/assessments/${booked.id}/risk/${adults[0]}`, { ...calmRisk, riskToChild: 'high', disclosure: names.disclosure, version: 0 }), 'risk');
  ok(await call(ctx.app, manager, 'POST', `/api/cases/${caseId}/notes`, { kind: 'contact', occurredOn: '2026-11-01', body: names.note }), 'note');
  const documentId = (ok(await sendAs(ctx, manager, 'POST', `/api/cases/${caseId}/documents?fileName=letter.pdf`, PDF, 'application/pdf'), 'document').json() as { id: string }).id;
  const detail = ok(await call(ctx.app, manager, 'GET', `/api/cases/${caseId}`), 'case').json() as { version: number; safeguardingFlags: { id: string; version: number }[] };
  const flag = detail.safeguardingFlags[0];
  if (!flag) throw new Error('fixture: no safeguarding flag');
  const assessment = ok(await call(ctx.app, manager, 'GET', `/api/assessments/${booked.id}`), 'assessment').json() as { version: number };
  const work = ok(await call(ctx.app, manager, 'GET', '/api/my-work'), 'my work').json() as { notifications: { id: string }[] };
  const notificationId = work.notifications[0]?.id;
  if (!notificationId) throw new Error('fixture: no notification');
  // A couple-therapy consultation with the facilitator (issue 5), so therapy series and appointments have real ids.
  ok(
    await call(ctx.app, manager, 'POST', `/api/cases/${caseId}/therapy-series`, { therapistId: org.users.facilitator.id, kind: 'consultation', firstDate: '2026-12-08', startTime: '09:00', count: 1, caseVersion: detail.version }),
    'therapy consultation',
  );
  const fresh = ok(await call(ctx.app, manager, 'GET', `/api/referrals/${pending.id}`), 'referral').json() as { version: number };
  return {
    org,
    referralId: pending.id,
    referralVersion: fresh.version,
    caseId,
    caseVersion: detail.version,
    personId: adults[0] ?? '',
    assessmentId: booked.id,
    assessmentVersion: assessment.version,
    flagId: flag.id,
    flagVersion: flag.version,
    documentId,
    notificationId,
    programmeId,
  };
};

/** The value for each kind of path parameter, from one organisation's casework (users: its facilitator). */
export const pathValuesOf = (r: Casework): Record<string, string> => ({
  userId: r.org.users.facilitator.id,
  referralId: r.referralId,
  caseId: r.caseId,
  assessmentId: r.assessmentId,
  personId: r.personId,
  flagId: r.flagId,
  documentId: r.documentId,
  notificationId: r.notificationId,
  orgSlug: r.org.slug,
  programmeId: r.programmeId,
});

const fundApplicationBody = (r: Casework) => ({
  childIds: [r.personId],
  programmeId: r.programmeId,
  assessmentId: r.assessmentId,
  serviceFrom: '2026-11-01',
  amountPence: 120000,
  matchFundingPence: 0,
  matchFunder: null,
  fundReference: null,
});

export type ValidRequest = { body?: unknown; contentType?: string; query?: string };

/**
 * A request each route would accept for these records, so that a test changing one thing (the id, one field, the
 * CSRF token) knows that one thing is why it was refused. Null for a write route nobody has described yet.
 */
export const validRequestFor = (route: Route, r: Casework): ValidRequest | null => {
  const requests: Record<string, ValidRequest> = {
    'POST /api/auth/sign-in': { body: { email: 'nobody@test.example', password: 'a-wrong-password' } },
    'POST /api/session/organisation': { body: { organisationId: r.org.id } },
    'POST /api/auth/password-reset/request': { body: { email: 'nobody@test.example' } },
    'POST /api/auth/password-reset/complete': { body: { token: 'x'.repeat(40), password: 'a-good-long-password' } },
    'POST /api/auth/invitations/accept': { body: { token: 'x'.repeat(40), password: 'a-good-long-password' } },
    'POST /api/auth/totp/confirm': { body: { code: '000000' } },
    'POST /api/users': { body: { email: 'invitee@test.example', name: 'Invitee', role: 'case_worker' } },
    'PATCH /api/users/{userId}': { body: { active: true, version: 1 } },
    'POST /api/public/referral-forms/{orgSlug}': { body: { submission: aReferral() } },
    'POST /api/referrals': { body: { submission: aReferral() } },
    'POST /api/referrals/{referralId}/decision': { body: { decision: 'waiting_list', reason: 'Group full', version: r.referralVersion } },
    'POST /api/cases/{caseId}/stage': { body: { to: 'withdrawn', reason: 'Moved away', version: r.caseVersion } },
    'PUT /api/cases/{caseId}/case-worker': { body: { caseWorkerId: null, version: r.caseVersion } },
    'POST /api/cases/{caseId}/assessments': { body: { scheduledAt: '2026-12-02T10:00:00Z', facilitatorIds: [r.org.users.facilitator.id], caseVersion: r.caseVersion } },
    'PUT /api/assessments/{assessmentId}/joint-interview': { body: { notes: 'Both parents came.', version: r.assessmentVersion } },
    'PUT /api/assessments/{assessmentId}/risk/{personId}': { body: { ...calmRisk, version: 1 } },
    'POST /api/assessments/{assessmentId}/outcome': { body: { outcome: 'not_suitable', onwardReferral: 'Elsewhere', version: r.assessmentVersion } },
    'POST /api/safeguarding-flags/{flagId}/resolve': { body: { decision: 'Reviewed.', version: r.flagVersion } },
    'POST /api/cases/{caseId}/take': { body: { version: r.caseVersion } },
    'POST /api/notifications/{notificationId}/read': {},
    'POST /api/cases/{caseId}/notes': { body: { kind: 'contact', occurredOn: '2026-11-03', body: 'A note' } },
    'POST /api/cases/{caseId}/documents': { body: PDF, contentType: 'application/pdf', query: 'fileName=letter.pdf' },
    'POST /api/people/{personId}/erasure': { body: { reason: 'Erasure request' } },
    'PUT /api/retention': { body: { policies: [{ recordType: 'case_note', keepMonths: 84 }] } },
    'POST /api/measures/imports': { body: 'respondent_id\n', contentType: 'text/csv', query: 'dryRun=true' },
    // Questionnaires (issue 4): a link for the case's first parent, and that parent's CORE-10 keyed from paper.
    'POST /api/cases/{caseId}/questionnaire-links': { body: { personId: r.personId, instrumentId: 'core-10', timepoint: 'pre' } },
    'POST /api/cases/{caseId}/paper-forms': {
      body: { personId: r.personId, instrumentId: 'core-10', timepoint: 'pre', completedOn: '2024-01-15', responses: { '1': 1, '2': 2, '3': 2, '4': 1, '5': 1, '6': 0, '7': 1, '8': 1, '9': 1, '10': 1 } },
    },
    // Fund applications (issue 7, item 3): any well-formed ids; the record lookup must refuse them.
    'POST /api/cases/{caseId}/fund-applications': { body: { ...fundApplicationBody(r), kind: 'child', funderId: r.programmeId } },
    'PATCH /api/fund-applications/{applicationId}': { body: { ...fundApplicationBody(r), version: 1 } },
    'POST /api/fund-applications/{applicationId}/status': { body: { to: 'withdrawn', note: null, version: 1 } },
    'PUT /api/fund-application-rules/{funderId}': { body: { annualLimitPence: 500000, assessmentValidMonths: 12, yearStartMonth: 4, version: 0 } },
    // Therapy (issue 5): a consultation for the case, a move and an outcome of an appointment.
    'POST /api/cases/{caseId}/therapy-series': { body: { therapistId: r.org.users.facilitator.id, kind: 'consultation', firstDate: '2026-12-15', startTime: '08:00', count: 1, caseVersion: r.caseVersion } },
    'POST /api/therapy-appointments/{therapyAppointmentId}/reschedule': { body: { onDate: '2027-01-05', reason: 'Asked to move', version: 1 } },
    'POST /api/therapy-appointments/{therapyAppointmentId}/outcome': { body: { outcome: 'cancelled_by_service', version: 1 } },
    'PUT /api/therapists/{userId}/availability': { body: { windows: [{ weekday: 1, startTime: '09:00', endTime: '17:00' }], version: 0 } },
    // Crèche (issue 5, item 4): a booking for the case's person, a correction, a roster and a register.
    'POST /api/sessions/{sessionId}/creche/bookings': {
      body: { personId: r.personId, needs: '', allergies: '', medicalNotes: '', consentGivenBy: 'Parent', consentOn: '2026-01-05', laterSessions: false },
    },
    'PATCH /api/creche-bookings/{crecheBookingId}': { body: { needs: 'Likes the sand tray', version: 1 } },
    'PUT /api/sessions/{sessionId}/creche/staff': { body: { staffIds: [r.org.users.facilitator.id] } },
    'PUT /api/sessions/{sessionId}/creche/register': { body: { marks: [], version: 1 } },
    // Session records (issue 5, item 5).
    'PUT /api/sessions/{sessionId}/record': { body: { items: [], notes: '', version: 0 } },
    'POST /api/sessions/{sessionId}/concerns': { body: { caseId: r.caseId, reason: 'A concern' } },
    'POST /api/auth/sign-out': {},
    'POST /api/auth/totp/setup': {},
    'POST /api/retention/run': {},
  };
  const entry = requests[route.key];
  if (entry) return entry;
  return route.method === 'GET' ? {} : null;
};
