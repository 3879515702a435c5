import type { AttendanceStatus, CurriculumSession } from '../../../shared/contracts/programmes.ts';

/**
 * The built-in templates. The shapes (session counts, lengths, the pair rule, the split-gender sessions, the
 * crèche) follow the published descriptions of the services in ../shared/seeds; the topics are our own working
 * titles, there for managers to copy and adjust to the manual they deliver.
 */

export type Template = {
  sessionCount: number;
  sessionMinutes: number;
  curriculum: CurriculumSession[];
  capacity: number;
  capacityUnit: 'couples' | 'people';
  creche: boolean;
  completionMinSessions: number;
  attendanceStatuses: AttendanceStatus[];
};

export const defaultAttendanceStatuses: AttendanceStatus[] = [
  { code: 'present', label: 'Present', meaning: 'present' },
  { code: 'late', label: 'Late', meaning: 'late' },
  { code: 'apologies', label: 'Absent with apologies', meaning: 'absent_with_apologies' },
  { code: 'absent', label: 'Absent', meaning: 'absent' },
];

type Row = [strand: string, topic: string, split?: 'split_with_children'];
const curriculumOf = (rows: Row[]): CurriculumSession[] =>
  rows.map(([strand, topic, split], i) => ({ number: i + 1, strand, topic, splitByGender: split !== undefined, childrenJoin: split !== undefined }));

/** The five strands of Parents as Partners. */
export const papStrands = {
  wellbeing: "Each parent's wellbeing",
  couple: 'The couple relationship',
  parentChild: 'The parent–child relationship',
  family: 'The influence of the wider family',
  stress: 'Stress and social support',
} as const;
const s = papStrands;

const papSixteen: Row[] = [
  [s.wellbeing, 'Welcome: hopes for ourselves, our relationship and our children'],
  [s.wellbeing, 'Who am I as a parent?'],
  [s.couple, 'The couple we were and the couple we are now'],
  [s.couple, 'Talking and listening when things are hard'],
  [s.parentChild, "Seeing the world through our children's eyes"],
  [s.parentChild, "Mothers' and fathers' groups: children join their fathers", 'split_with_children'],
  [s.couple, 'Arguments that help and arguments that hurt'],
  [s.family, 'The families we grew up in'],
  [s.family, 'Grandparents, in-laws and the wider family'],
  [s.stress, 'Pressures from outside: work, money and housing'],
  [s.parentChild, 'Sharing the parenting: who does what'],
  [s.parentChild, "Mothers' and fathers' groups: children join their fathers", 'split_with_children'],
  [s.stress, 'Who supports us, and whom do we support?'],
  [s.wellbeing, 'Looking after ourselves under strain'],
  [s.couple, 'Keeping the changes going'],
  [s.couple, 'Looking back, looking ahead: ending the group'],
];

const papEight: Row[] = [
  [s.wellbeing, 'Welcome: hopes for ourselves, our relationship and our children'],
  [s.couple, 'Talking and listening when things are hard'],
  [s.parentChild, "Seeing the world through our children's eyes"],
  [s.parentChild, "Mothers' and fathers' groups: children join their fathers", 'split_with_children'],
  [s.family, 'The families we grew up in, and the family around us now'],
  [s.stress, 'Pressures from outside, and who supports us'],
  [s.parentChild, "Mothers' and fathers' groups: children join their fathers", 'split_with_children'],
  [s.couple, 'Looking back, looking ahead: ending the group'],
];

const coupleTherapy: Row[] = [
  ['Consultation', 'Initial consultation'],
  ...Array.from({ length: 20 }, (_, i): Row => ['Therapy', `Session ${i + 1}`]),
];

const parentingTogether: Row[] = [
  ['Engagement', 'Meeting each parent: what each wants for the children'],
  ['Engagement', 'Agreeing how we will work together'],
  ['The conflict', 'Mapping the conflict and its history'],
  ['The conflict', 'What the children see and hear'],
  ['Communication', 'Business-like communication about the children'],
  ['Communication', 'Handovers and arrangements'],
  ['The children', "Keeping the children's voice in mind"],
  ['The children', 'Agreeing a parenting plan'],
  ['Endings', 'Reviewing the plan; what happens next'],
];

const therapeuticParenting: Row[] = [
  ['Understanding', 'How early experiences shape behaviour'],
  ['Understanding', 'Attachment and trust'],
  ['Connection', 'Playfulness, acceptance, curiosity and empathy'],
  ['Connection', 'Structure and nurture together'],
  ['Responding', 'Staying calm: looking after yourself'],
  ['Responding', 'Resisting violence without escalating'],
  ['Responding', 'Repair after a rupture'],
  ['Endings', 'Putting it into family life; support after the course'],
];

export const papTemplate: Template = {
  sessionCount: 16,
  sessionMinutes: 120,
  curriculum: curriculumOf(papSixteen),
  capacity: 6,
  capacityUnit: 'couples',
  creche: true,
  completionMinSessions: 10,
  attendanceStatuses: defaultAttendanceStatuses,
};

export const papEightTemplate: Template = { ...papTemplate, sessionCount: 8, curriculum: curriculumOf(papEight), completionMinSessions: 5 };

// The consultation is session 1; "up to 20" further sessions, so completion is set low and managers adjust it.
export const coupleTherapyTemplate: Template = {
  sessionCount: 21,
  sessionMinutes: 50,
  curriculum: curriculumOf(coupleTherapy),
  capacity: 1,
  capacityUnit: 'couples',
  creche: false,
  completionMinSessions: 7,
  attendanceStatuses: defaultAttendanceStatuses,
};

export const parentingTogetherTemplate: Template = {
  sessionCount: 9,
  sessionMinutes: 90,
  curriculum: curriculumOf(parentingTogether),
  capacity: 1,
  capacityUnit: 'couples',
  creche: false,
  completionMinSessions: 6,
  attendanceStatuses: defaultAttendanceStatuses,
};

export const therapeuticParentingTemplate: Template = {
  sessionCount: 8,
  sessionMinutes: 150,
  curriculum: curriculumOf(therapeuticParenting),
  capacity: 12,
  capacityUnit: 'people',
  creche: false,
  completionMinSessions: 6,
  attendanceStatuses: defaultAttendanceStatuses,
};

/** For a programme created without a template: one session, adjusted by a manager before it is planned. */
export const singleSessionTemplate: Template = {
  sessionCount: 1,
  sessionMinutes: 120,
  curriculum: [{ number: 1, strand: '', topic: 'Session 1', splitByGender: false, childrenJoin: false }],
  capacity: 6,
  capacityUnit: 'couples',
  creche: false,
  completionMinSessions: 1,
  attendanceStatuses: defaultAttendanceStatuses,
};
