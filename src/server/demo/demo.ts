import { randomBytes } from 'node:crypto';
import type { OrganisationKind, Role } from '../../shared/permissions.ts';
import { sql } from 'kysely';
import type { CaseStage, ReferralSubmission } from '../../shared/contracts/journey.ts';
import type { Db } from '../db.ts';
import { changeStage } from '../modules/cases/index.ts';
import { seedDemoOutcomes } from '../modules/evaluation/index.ts';
import { seedDemoFundApplications, seedDemoFunding } from '../modules/funding/index.ts';
import { createOrganisation, createUserWithPassword } from '../modules/identity/index.ts';
import { decideReferral, submitStaffReferral } from '../modules/intake/index.ts';
import { builtInProgrammes, createProgrammes, seedDemoGroups } from '../modules/programmes/index.ts';
import { inScope } from '../platform/db/scope.ts';
import type { Actor } from '../platform/http/actor.ts';

/**
 * A clearly marked synthetic demo: every organisation is flagged is_demo and named "(demo)", every person is
 * invented, and addresses use the reserved .example domain. Later modules add families, groups and questionnaires.
 */
type DemoOrganisation = { key: string; name: string; kind: OrganisationKind; domain: string };
type DemoPerson = { org: string; name: string; local: string; role: Role; gender?: 'female' | 'male' };

const organisations: DemoOrganisation[] = [
  { key: 'provider', name: 'Northgate Family Relationships (demo)', kind: 'provider', domain: 'northgate.example' },
  { key: 'raa', name: 'Riverside Regional Adoption Agency (demo)', kind: 'regional_adoption_agency', domain: 'riverside-raa.example' },
  { key: 'funder', name: 'Family Relationships Fund (demo)', kind: 'commissioner', domain: 'frfund.example' },
  { key: 'evaluator', name: 'Hartley Evaluation Unit (demo)', kind: 'evaluator', domain: 'hartley-eval.example' },
];

const people: DemoPerson[] = [
  { org: 'provider', name: 'Alex Morgan', local: 'admin', role: 'org_admin' },
  { org: 'provider', name: 'Priya Shah', local: 'manager', role: 'service_manager' },
  { org: 'provider', name: 'Sam Okafor', local: 'caseworker', role: 'case_worker' },
  { org: 'provider', name: 'Rebecca Hale', local: 'facilitator.f', role: 'facilitator', gender: 'female' },
  { org: 'provider', name: 'David Lowe', local: 'facilitator.m', role: 'facilitator', gender: 'male' },
  // Staffs the running group's crèche, so only she reads the children's allergies and medical notes.
  { org: 'provider', name: 'Hannah Reid', local: 'creche', role: 'facilitator' },
  { org: 'raa', name: 'Jordan Price', local: 'admin', role: 'org_admin' },
  { org: 'raa', name: 'Morgan Ellis', local: 'manager', role: 'service_manager' },
  { org: 'funder', name: 'Chris Taylor', local: 'commissioner', role: 'commissioner' },
  { org: 'evaluator', name: 'Dr Nia Evans', local: 'evaluator', role: 'evaluator' },
];

export type DemoSignIn = { organisation: string; role: Role; email: string; password: string };

export const seedDemo = async (db: Db, options: { password?: string } = {}): Promise<DemoSignIn[]> => {
  // A fresh password per demo database: the demo is meant for a laptop, but it should not share a password
  // with every other copy in the world.
  const password = options.password ?? `demo-${randomBytes(6).toString('base64url')}`;
  const ids = new Map<string, { id: string; domain: string; name: string }>();
  for (const org of organisations) {
    const created = await createOrganisation(db, { name: org.name, kind: org.kind, isDemo: true, slug: `demo-${org.key}` });
    ids.set(org.key, { id: created.id, domain: org.domain, name: org.name });
  }
  const signIns: DemoSignIn[] = [];
  const userIds = new Map<string, string>();
  for (const person of people) {
    const org = ids.get(person.org);
    if (!org) continue;
    const email = `${person.local}@${org.domain}`;
    const user = await createUserWithPassword(db, { organisationId: org.id, email, name: person.name, role: person.role, password, ...(person.gender ? { gender: person.gender } : {}) });
    userIds.set(`${person.org}:${person.local}`, user.id);
    signIns.push({ organisation: org.name, role: person.role, email, password });
  }
  const provider = ids.get('provider');
  const caseWorker = userIds.get('provider:caseworker');
  if (provider && caseWorker) await seedFamilies(db, provider.id, caseWorker);
  // Funding: the demo funder leads a block contract with the agency as partner, on the provider's planned group.
  const funder = ids.get('funder');
  const raa = ids.get('raa');
  if (provider && funder && raa) await seedDemoFunding(db, provider.id, funder.id, raa.id);
  // Fund applications rest on the demo's Adoption Support Fund funder, so they come after the funding.
  if (provider) await seedDemoFundApplications(db, provider.id);
  return signIns;
};

// Invented families, one per stage of the journey, so a newcomer sees a living service.
const demoFamilies: { parents: [string, string, 'female' | 'male'][]; surname: string; child: [string, number]; stage: CaseStage | 'new' | 'waiting_list'; daysAgo: number }[] = [
  { surname: 'Okonjo', parents: [['Ada', 'Okonjo', 'female'], ['Chidi', 'Okonjo', 'male']], child: ['Zara', 4], stage: 'new', daysAgo: 8 },
  { surname: 'Hughes', parents: [['Megan', 'Hughes', 'female'], ['Rhys', 'Hughes', 'male']], child: ['Owen', 7], stage: 'new', daysAgo: 1 },
  { surname: 'Novak', parents: [['Petra', 'Novak', 'female'], ['Tomas', 'Novak', 'male']], child: ['Ema', 9], stage: 'waiting_list', daysAgo: 20 },
  { surname: 'Bennett', parents: [['Claire', 'Bennett', 'female'], ['Liam', 'Bennett', 'male']], child: ['Mia', 3], stage: 'triaged', daysAgo: 18 },
  { surname: 'Rahman', parents: [['Nadia', 'Rahman', 'female'], ['Imran', 'Rahman', 'male']], child: ['Ayaan', 5], stage: 'assessment_booked', daysAgo: 6 },
  { surname: 'Walsh', parents: [['Siobhan', 'Walsh', 'female'], ['Declan', 'Walsh', 'male']], child: ['Aoife', 8], stage: 'assessed', daysAgo: 4 },
  { surname: 'Mensah', parents: [['Efua', 'Mensah', 'female'], ['Kofi', 'Mensah', 'male']], child: ['Ama', 2], stage: 'awaiting_group', daysAgo: 12 },
  { surname: 'Clarke', parents: [['Jade', 'Clarke', 'female'], ['Nathan', 'Clarke', 'male']], child: ['Leo', 6], stage: 'in_service', daysAgo: 30 },
  { surname: 'Kowalski', parents: [['Anna', 'Kowalski', 'female'], ['Piotr', 'Kowalski', 'male']], child: ['Zofia', 10], stage: 'completed', daysAgo: 40 },
  { surname: 'Patel', parents: [['Priya', 'Patel', 'female'], ['Arjun', 'Patel', 'male']], child: ['Dev', 7], stage: 'follow_up', daysAgo: 185 },
  { surname: 'Evans', parents: [['Carys', 'Evans', 'female'], ['Gareth', 'Evans', 'male']], child: ['Tomos', 9], stage: 'withdrawn', daysAgo: 60 },
  { surname: 'Murphy', parents: [['Aisling', 'Murphy', 'female'], ['Sean', 'Murphy', 'male']], child: ['Niamh', 8], stage: 'closed', daysAgo: 250 },
];

const pathTo: Record<CaseStage, CaseStage[]> = {
  referred: [],
  triaged: [],
  assessment_booked: ['assessment_booked'],
  assessed: ['assessment_booked', 'assessed'],
  awaiting_group: ['assessment_booked', 'assessed', 'awaiting_group'],
  in_service: ['assessment_booked', 'assessed', 'awaiting_group', 'in_service'],
  completed: ['assessment_booked', 'assessed', 'awaiting_group', 'in_service', 'completed'],
  withdrawn: ['assessment_booked', 'assessed', 'withdrawn'],
  follow_up: ['assessment_booked', 'assessed', 'awaiting_group', 'in_service', 'completed', 'follow_up'],
  closed: ['assessment_booked', 'assessed', 'awaiting_group', 'in_service', 'completed', 'follow_up', 'closed'],
};

const yearsBefore = (years: number, day = 15, month = 4): string => `${new Date().getUTCFullYear() - years}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

const seedFamilies = async (db: Db, organisationId: string, caseWorkerId: string): Promise<void> => {
  const [papId] = await createProgrammes(db, organisationId, builtInProgrammes);
  const actor: Actor = { userId: caseWorkerId, sessionId: 'demo', organisationId, role: 'service_manager', csrfToken: '', ip: null };
  for (const f of demoFamilies) {
    const submission: ReferralSubmission = {
      referrer: { kind: 'professional', name: 'Health visitor (demo)', agency: 'Northgate Children’s Centre (demo)', email: 'referrals@children-centre.example' },
      programmeId: papId,
      parents: f.parents.map(([given, family, gender], i) => ({
        givenName: given,
        familyName: family,
        dateOfBirth: yearsBefore(30 + i * 3, 3 + i, 6 + i),
        gender,
        relationship: 'birth_parent' as const,
        email: `${given.toLowerCase()}.${family.toLowerCase()}@family.example`,
        willingToAttend: true,
      })),
      children: [{ givenName: f.child[0], familyName: f.surname, dateOfBirth: yearsBefore(f.child[1], 20, 2) }],
      reason: 'Frequent arguments about parenting; both parents want to work on their relationship for the children’s sake. (Synthetic demo family.)',
      circumstances: { activeCourtProceedings: 'no', adoptiveFamily: false },
      consent: { toReferral: true, toShareInformation: true },
      contact: { preference: 'phone', safeTimes: 'Weekdays after 4pm', safeToLeaveMessage: true },
    };
    const referral = await submitStaffReferral(db, actor, submission);
    if (f.stage === 'new') continue;
    if (f.stage === 'waiting_list') {
      await decideReferral(db, actor, referral.id, { decision: 'waiting_list', reason: 'The spring group is full; offered the summer group.', samePeople: [], version: referral.version });
      continue;
    }
    const accepted = await decideReferral(db, actor, referral.id, { decision: 'accept', caseWorkerId, samePeople: [], version: referral.version });
    const caseId = accepted.caseId;
    if (!caseId) continue;
    let version = 1;
    for (const stage of pathTo[f.stage]) {
      const reason = stage === 'withdrawn' ? 'Family moved out of the area.' : stage === 'closed' ? 'Six-month follow-up done.' : '';
      version = (await changeStage(db, actor, caseId, { to: stage, reason, version })).version;
    }
    // Spread the history back in time, so due dates and overdue tasks look like a running service.
    await inScope(db, { organisationId, userId: null }, async (trx) => {
      await sql`UPDATE family_case SET stage_changed_at = now() - make_interval(days => ${f.daysAgo}) WHERE id = ${caseId}`.execute(trx);
      await sql`UPDATE referral SET received_at = now() - make_interval(days => ${f.daysAgo + 10}) WHERE id = ${referral.id}`.execute(trx);
    });
  }
  await inScope(db, { organisationId, userId: null }, async (trx) => {
    await sql`UPDATE referral SET received_at = now() - make_interval(days => 8) WHERE organisation_id = ${organisationId} AND status = 'new' AND submission->'parents'->0->>'familyName' = 'Okonjo'`.execute(trx);
  });
  // Groups: a running Parents as Partners group with the families in service, and one planned.
  if (papId) await seedDemoGroups(db, organisationId, papId);
  // Questionnaires for the outcomes report: two sites of groups, plus the parents of the families who have finished
  // the programme, so their case pages show their own charts.
  const finished = await inScope(db, { organisationId, userId: null }, (trx) =>
    sql<{ personId: string; gender: string | null }>`SELECT p.id AS "personId", p.gender FROM person p
      JOIN family_member fm ON fm.person_id = p.id JOIN family_case c ON c.family_id = fm.family_id
      WHERE c.organisation_id = ${organisationId} AND NOT p.is_child AND c.stage IN ('completed', 'follow_up', 'closed')
      ORDER BY p.id`.execute(trx),
  );
  await seedDemoOutcomes(db, organisationId, finished.rows.map((r) => ({ personId: r.personId, role: r.gender === 'male' ? 'father' : 'mother' })));
};

export const formatSignIns = (signIns: DemoSignIn[]): string => {
  const lines = signIns.map((s) => `  ${s.role.padEnd(16)} ${s.email.padEnd(34)} ${s.organisation}`);
  const password = signIns[0]?.password ?? '';
  return [
    'Demo data (synthetic, for trying Tandem out; not for real families). Sign in as:',
    ...lines,
    `  password for every demo account: ${password}`,
    '',
  ].join('\n');
};
