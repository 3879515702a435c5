import { z } from 'zod';
import { isoTimestamp, uuid, version } from './common.ts';
import { eligibilityRule, genders, programmeSummary } from './journey.ts';

// No transforms or defaults in schemas that also describe responses: Zod cannot encode through them.
const text = (max: number) => z.string().trim().max(max, { message: `must be at most ${max} characters` });
const required = (max: number) => text(max).min(1, { message: 'is required' });
const int = (min: number, max: number) =>
  z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` });
export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
export const clockTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { message: 'must be a time HH:MM (24-hour)' });

/** The four fixed meanings every attendance label maps to; rates are computed from these, never from labels. */
export const attendanceMeanings = ['present', 'late', 'absent_with_apologies', 'absent'] as const;
export type AttendanceMeaning = (typeof attendanceMeanings)[number];
export const facilitatorRules = ['male_female_pair', 'pair', 'one', 'any'] as const;
export const capacityUnits = ['couples', 'people'] as const;
export const groupStatuses = ['planned', 'running', 'finished', 'cancelled'] as const;

export const curriculumSession = z.object({
  number: int(1, 60),
  strand: text(100),
  topic: text(300),
  splitByGender: z.boolean({ message: 'must be yes or no' }).describe("Mothers' and fathers' groups meet separately"),
  childrenJoin: z.boolean({ message: 'must be yes or no' }).describe('Children join (their fathers, in Parents as Partners) from the crèche'),
});
export type CurriculumSession = z.infer<typeof curriculumSession>;

export const attendanceStatus = z.object({
  code: z.string().regex(/^[a-z0-9_]{1,40}$/, { message: 'must be 1–40 lower-case letters, digits or _' }),
  label: required(60),
  meaning: z.enum(attendanceMeanings, { message: 'must be present, late, absent_with_apologies or absent' }),
});
export type AttendanceStatus = z.infer<typeof attendanceStatus>;

export const programmeTemplate = programmeSummary
  .extend({
    offersCoupleWork: z.boolean(),
    sessionCount: z.number().int(),
    sessionMinutes: z.number().int(),
    frequency: z.literal('weekly'),
    curriculum: z.array(curriculumSession),
    capacity: z.number().int(),
    capacityUnit: z.enum(capacityUnits),
    creche: z.boolean(),
    completionMinSessions: z.number().int().describe('Attending at least this many sessions makes a completer'),
    attendanceStatuses: z.array(attendanceStatus),
    copiedFrom: uuid.nullable(),
  })
  .meta({ id: 'ProgrammeTemplate' });
export const programmeIdParams = z.object({ programmeId: uuid });

export const copyProgrammeBody = z.object({ name: required(200) }).meta({ id: 'CopyProgrammeBody' });

/** Checks that belong to a template as a whole, shared by the body and the built-ins' unit test. */
export const templateProblems = (t: {
  sessionCount: number;
  curriculum: readonly CurriculumSession[];
  completionMinSessions: number;
  attendanceStatuses: readonly AttendanceStatus[];
}): { path: string; message: string }[] => {
  const problems: { path: string; message: string }[] = [];
  if (t.curriculum.length !== t.sessionCount) problems.push({ path: 'curriculum', message: `give one entry per session (${t.sessionCount})` });
  t.curriculum.forEach((s, i) => {
    if (s.number !== i + 1) problems.push({ path: `curriculum.${i}.number`, message: `must be ${i + 1}: sessions are numbered in order` });
  });
  if (t.completionMinSessions > t.sessionCount) problems.push({ path: 'completionMinSessions', message: 'cannot be more than the number of sessions' });
  const codes = new Set<string>();
  t.attendanceStatuses.forEach((s, i) => {
    if (codes.has(s.code)) problems.push({ path: `attendanceStatuses.${i}.code`, message: 'is used twice' });
    codes.add(s.code);
  });
  for (const meaning of attendanceMeanings) {
    if (!t.attendanceStatuses.some((s) => s.meaning === meaning)) problems.push({ path: 'attendanceStatuses', message: `give at least one status meaning ${meaning}` });
  }
  return problems;
};

export const templateBody = z
  .object({
    name: required(200),
    description: text(2000),
    eligibility: z.array(eligibilityRule).max(20),
    facilitatorRule: z.enum(facilitatorRules, { message: 'must be male_female_pair, pair, one or any' }),
    offersCoupleWork: z.boolean({ message: 'must be yes or no' }),
    acceptsReferrals: z.boolean({ message: 'must be yes or no' }),
    sessionCount: int(1, 60),
    sessionMinutes: int(15, 480),
    frequency: z.literal('weekly', { message: 'must be weekly' }),
    curriculum: z.array(curriculumSession).max(60),
    capacity: int(1, 100),
    capacityUnit: z.enum(capacityUnits, { message: 'must be couples or people' }),
    creche: z.boolean({ message: 'must be yes or no' }),
    completionMinSessions: int(1, 60),
    attendanceStatuses: z.array(attendanceStatus).min(4).max(12),
    version,
  })
  .superRefine((t, ctx) => {
    for (const p of templateProblems(t)) ctx.addIssue({ code: 'custom', path: p.path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)), message: p.message });
  })
  .meta({ id: 'ProgrammeTemplateBody' });

export const closure = z
  .object({ from: isoDate, to: isoDate, reason: required(200) })
  .refine((c) => c.from <= c.to, { message: 'must not end before it starts', path: ['to'] });
export type ClosureInput = z.infer<typeof closure>;

const facilitatorIds = z
  .array(uuid)
  .max(3, { message: 'at most 3 facilitators' })
  .refine((ids) => new Set(ids).size === ids.length, { message: 'the same facilitator is chosen twice' });
const overrideReason = required(1000).optional().describe("A service manager's reason for breaking the programme's facilitator rule");

export const createGroupBody = z
  .object({
    programmeId: uuid,
    name: required(200),
    site: required(200),
    venue: text(300).optional(),
    startDate: isoDate.describe('The first session; the rest follow weekly'),
    startTime: clockTime.describe('Local time at the venue'),
    closures: z.array(closure).max(50, { message: 'at most 50 closures' }).optional(),
    capacity: int(1, 100).optional().describe("Defaults to the programme's"),
    facilitatorIds: facilitatorIds.optional().describe('Assigned to every session; change single sessions later'),
    ruleOverrideReason: overrideReason,
  })
  .superRefine((b, ctx) => {
    const c = (b.closures ?? []).find((x) => x.from <= b.startDate && b.startDate <= x.to);
    if (c) ctx.addIssue({ code: 'custom', path: ['startDate'], message: `falls in a closure (${c.reason}); start the group on another day` });
  })
  .meta({ id: 'CreateGroupBody' });

export const updateGroupBody = z
  .object({
    name: required(200).optional(),
    site: required(200).optional(),
    venue: text(300).optional(),
    capacity: int(1, 100).optional(),
    status: z.enum(groupStatuses, { message: 'must be planned, running, finished or cancelled' }).optional(),
    version,
  })
  .meta({ id: 'UpdateGroupBody' });

export const groupQuery = z.object({
  status: z.enum(groupStatuses, { message: 'must be a group status' }).optional(),
  programmeId: uuid.optional(),
});
export const groupIdParams = z.object({ groupId: uuid });
export const sessionIdParams = z.object({ sessionId: uuid });
export const placementIdParams = z.object({ placementId: uuid });

export const staffMember = z.object({ id: uuid, name: z.string(), gender: z.enum(genders).nullable() });

export const groupSummary = z
  .object({
    id: uuid,
    programmeId: uuid,
    programmeName: z.string(),
    name: z.string(),
    site: z.string(),
    venue: z.string(),
    startDate: isoDate,
    endDate: isoDate.nullable().describe('The last session'),
    startTime: clockTime,
    sessionMinutes: z.number().int(),
    capacity: z.number().int(),
    capacityUnit: z.enum(capacityUnits),
    placesFilled: z.number().int(),
    placesFree: z.number().int(),
    creche: z.boolean(),
    status: z.enum(groupStatuses),
    sessionCount: z.number().int(),
    sessionsWithoutValidFacilitators: z.number().int(),
    version,
  })
  .meta({ id: 'GroupSummary' });
export const groupList = z.object({ groups: z.array(groupSummary) }).meta({ id: 'GroupList' });

export const groupSession = z
  .object({
    id: uuid,
    number: z.number().int(),
    onDate: isoDate,
    startTime: clockTime,
    minutes: z.number().int(),
    strand: z.string(),
    topic: z.string(),
    splitByGender: z.boolean(),
    childrenJoin: z.boolean(),
    creche: z.boolean(),
    facilitators: z.array(staffMember),
    facilitatorProblem: z.string().nullable().describe("What breaks the programme's facilitator rule, unless a manager overrode it"),
    ruleOverrideReason: z.string().nullable(),
    registerTaken: z.boolean(),
    version,
  })
  .meta({ id: 'GroupSession' });

export const participant = z.object({ personId: uuid, name: z.string(), gender: z.enum(genders).nullable() });
export const placement = z
  .object({
    id: uuid,
    groupId: uuid,
    caseId: uuid,
    caseReference: z.string(),
    familyLabel: z.string(),
    status: z.enum(['placed', 'withdrawn']),
    placedAt: isoTimestamp,
    withdrawnOn: isoDate.nullable(),
    withdrawalReason: z.string().nullable(),
    participants: z.array(participant),
    version,
  })
  .meta({ id: 'Placement' });

export const groupDetail = groupSummary
  .extend({
    closures: z.array(closure),
    sessions: z.array(groupSession),
    placements: z.array(placement).describe('A case worker sees only the placements of their own cases'),
  })
  .meta({ id: 'GroupDetail' });

export const assignFacilitatorsBody = z
  .object({ facilitatorIds: facilitatorIds.describe('Empty to clear'), ruleOverrideReason: overrideReason, version })
  .meta({ id: 'AssignFacilitatorsBody' });

export const moveSessionBody = z
  .object({
    onDate: isoDate,
    startTime: clockTime.optional(),
    rescheduleRest: z.boolean({ message: 'must be yes or no' }).describe('Move every later session on weekly from the new date'),
    version,
  })
  .meta({ id: 'MoveSessionBody' });

export const placeBody = z.object({ caseId: uuid, caseVersion: version }).meta({ id: 'PlaceBody' });
export const withdrawBody = z
  .object({ on: isoDate.describe('The day the family dropped out'), reason: required(2000), version })
  .meta({ id: 'WithdrawBody' });

export const registerParticipant = z.object({
  personId: uuid,
  name: z.string(),
  gender: z.enum(genders).nullable(),
  placementId: uuid,
  familyLabel: z.string(),
  status: z.string().nullable().describe('A status code of the programme, or null while unmarked'),
});
export const registerChild = z.object({
  personId: uuid,
  name: z.string(),
  ageYears: z.number().int().nullable(),
  placementId: uuid,
  familyLabel: z.string(),
  present: z.boolean().nullable(),
});
export const register = z
  .object({
    sessionId: uuid,
    groupId: uuid,
    groupName: z.string(),
    number: z.number().int(),
    onDate: isoDate,
    startTime: clockTime,
    topic: z.string(),
    splitByGender: z.boolean(),
    childrenJoin: z.boolean(),
    creche: z.boolean(),
    statuses: z.array(attendanceStatus),
    participants: z.array(registerParticipant),
    children: z.array(registerChild).describe('The crèche register; empty when the session has no crèche'),
    savedAt: isoTimestamp.nullable(),
    version: version.describe("The register's version; send it back with the marks"),
  })
  .meta({ id: 'Register' });

export const saveRegisterBody = z
  .object({
    marks: z.array(z.object({ personId: uuid, status: z.string().min(1, { message: 'is required' }).max(40) })).max(200),
    creche: z.array(z.object({ personId: uuid, present: z.boolean({ message: 'must be yes or no' }) })).max(200).optional(),
    version,
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.marks.forEach((m, i) => {
      if (seen.has(m.personId)) ctx.addIssue({ code: 'custom', path: ['marks', i, 'personId'], message: 'is marked twice' });
      seen.add(m.personId);
    });
  })
  .meta({ id: 'SaveRegisterBody' });

export const registerSaved = register
  .extend({
    followUps: z
      .array(z.object({ personId: uuid, name: z.string(), consecutiveAbsences: z.number().int() }))
      .describe('Participants whose absences in a row reached the follow-up threshold with this save; their case worker was told'),
  })
  .meta({ id: 'RegisterSaved' });

export const doseRow = z.object({
  placementId: uuid,
  placementStatus: z.enum(['placed', 'withdrawn']),
  caseId: uuid,
  familyLabel: z.string(),
  personId: uuid,
  name: z.string(),
  sessionsMarked: z.number().int(),
  sessionsAttended: z.number().int(),
  attendanceRate: z.number().nullable(),
  consecutiveAbsences: z.number().int(),
  completer: z.boolean(),
});
export const groupDose = z
  .object({ groupId: uuid, completionMinSessions: z.number().int(), sessionsHeld: z.number().int(), participants: z.array(doseRow) })
  .meta({ id: 'GroupDose' });

// The calendar feed by a secret URL (issue 5, item 2).
export const calendarFeedStatus = z.object({ active: z.boolean(), createdAt: isoTimestamp.nullable() }).meta({ id: 'CalendarFeedStatus' });
export const calendarFeedCreated = z
  .object({ path: z.string().describe('The secret feed URL path; shown once, only its hash is kept'), createdAt: isoTimestamp })
  .meta({ id: 'CalendarFeedCreated' });
export const calendarFeedRevoked = z.object({ revoked: z.boolean() }).meta({ id: 'CalendarFeedRevoked' });
export const calendarTokenParams = z.object({ token: z.string().max(100) });
