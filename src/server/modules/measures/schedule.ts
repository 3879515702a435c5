import { z } from 'zod';
import { scheduleEntry, type Timepoint } from '../../../shared/contracts/questionnaires.ts';
import { getBuiltInInstrument, type InstrumentDefinition } from './instruments/index.ts';

/*
 * A programme's measurement schedule as data (issue 4 item 5): which instruments, for which respondents, at which
 * timepoints, each within a window. Pure: the dates a schedule hangs on (the anchors) come from the case.
 */

/** A schedule entry (the shape shared with the web page) whose instrument must be one `known` accepts (the built-ins, or an organisation's too). */
const scheduleEntryFor = (known: (id: string) => boolean) => scheduleEntry.extend({ instrumentId: z.string().refine(known, { message: 'is not a known instrument' }) });
export const scheduleEntrySchema = scheduleEntryFor((id) => getBuiltInInstrument(id) !== undefined);
export type ScheduleEntry = z.infer<typeof scheduleEntrySchema>;

/** A schedule of built-in instruments. */
export const measurementScheduleSchema = z.array(scheduleEntrySchema);
/** A schedule that may also name the organisation's own instruments (`known` says which ids exist). */
export const scheduleSchemaFor = (known: (id: string) => boolean) => z.array(scheduleEntryFor(known));
export type MeasurementSchedule = z.infer<typeof measurementScheduleSchema>;

/** Six months after the programme ends (Parents as Partners' follow-up point). */
export const FOLLOW_UP_DAYS = 182;

const allTimepoints = (pre: number, post: number, followup: number): ScheduleEntry['timepoints'] => [
  { timepoint: 'pre', windowDays: pre },
  { timepoint: 'post', windowDays: post },
  { timepoint: 'followup', windowDays: followup },
];

/**
 * Parents as Partners: each parent completes CORE-10, QMI and BCAP, and an SDQ about each child, before, at the end
 * and six months after. Windows: two weeks either side of the assessment and the last session (the forms are given
 * in the room), a month either side of the follow-up (families are harder to reach by then).
 */
export const parentsAsPartnersSchedule: MeasurementSchedule = [
  { instrumentId: 'core-10', respondents: 'each_parent', aboutEachChild: false, timepoints: allTimepoints(14, 14, 30) },
  { instrumentId: 'qmi', respondents: 'each_parent', aboutEachChild: false, timepoints: allTimepoints(14, 14, 30) },
  { instrumentId: 'sdq-p4-17', respondents: 'each_parent', aboutEachChild: true, childAge: { min: 4, max: 17 }, timepoints: allTimepoints(14, 14, 30) },
  { instrumentId: 'bcap', respondents: 'each_parent', aboutEachChild: false, timepoints: allTimepoints(14, 14, 30) },
];

/** Built-in schedules by programme name; a programme with its own stored schedule uses that instead. */
export const builtInSchedules: Readonly<Record<string, MeasurementSchedule>> = {
  'Parents as Partners': parentsAsPartnersSchedule,
  'Parents as Partners (8 weeks)': parentsAsPartnersSchedule,
};

/** The dates a case's timepoints hang on: pre = the assessment, post = the end of the programme, follow-up = six months on. */
export type Anchors = { pre: string | null; post: string | null; followup: string | null };

export const anchorsFrom = (input: { assessmentOn: string | null; programmeEndedOn: string | null }): Anchors => ({
  pre: input.assessmentOn,
  post: input.programmeEndedOn,
  followup: input.programmeEndedOn ? addDays(input.programmeEndedOn, FOLLOW_UP_DAYS) : null,
});

export type SchedulePerson = { personId: string; name: string; isChild: boolean; dateOfBirth: string | null };

export type Expected = {
  instrument: InstrumentDefinition;
  personId: string;
  personName: string;
  subjectPersonId: string | null;
  subjectName: string | null;
  timepoint: Timepoint;
  opensOn: string;
  dueOn: string;
};

export const addDays = (isoDay: string, days: number): string => {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const ageOn = (dateOfBirth: string, day: string): number => {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  if (by === undefined || bm === undefined || bd === undefined || y === undefined || m === undefined || d === undefined) return 0;
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};

/**
 * Every administration the schedule expects of this family whose anchor date is known: one per parent, per child
 * for child-focused instruments, per timepoint. A timepoint opens `windowDays` before its anchor and is due by
 * `windowDays` after it.
 */
export const expectedAdministrations = (
  schedule: MeasurementSchedule,
  people: readonly SchedulePerson[],
  anchors: Anchors,
  instrumentOf: (id: string) => InstrumentDefinition | undefined = getBuiltInInstrument,
): Expected[] => {
  const parents = people.filter((p) => !p.isChild);
  const children = people.filter((p) => p.isChild);
  const out: Expected[] = [];
  for (const entry of schedule) {
    const instrument = instrumentOf(entry.instrumentId);
    if (!instrument) continue;
    for (const { timepoint, windowDays } of entry.timepoints) {
      const anchor = anchors[timepoint];
      if (!anchor) continue;
      const subjects: (SchedulePerson | null)[] = entry.aboutEachChild
        ? children.filter((child) => {
            if (!entry.childAge || !child.dateOfBirth) return true;
            const age = ageOn(child.dateOfBirth, anchor);
            return age >= entry.childAge.min && age <= entry.childAge.max;
          })
        : [null];
      for (const parent of parents) {
        for (const subject of subjects) {
          out.push({
            instrument,
            personId: parent.personId,
            personName: parent.name,
            subjectPersonId: subject?.personId ?? null,
            subjectName: subject?.name ?? null,
            timepoint,
            opensOn: addDays(anchor, -windowDays),
            dueOn: addDays(anchor, windowDays),
          });
        }
      }
    }
  }
  return out;
};

export type ExpectedState = 'not_yet_open' | 'due' | 'overdue' | 'done';

/** Where one expected administration stands today. */
export const stateOf = (expected: Pick<Expected, 'opensOn' | 'dueOn'>, done: boolean, today: string): ExpectedState => {
  if (done) return 'done';
  if (today < expected.opensOn) return 'not_yet_open';
  return today > expected.dueOn ? 'overdue' : 'due';
};

/** The key that says an expected administration has been given: respondent, subject, instrument, timepoint. */
export const expectationKey = (x: { personId: string; subjectPersonId: string | null; instrumentId: string; timepoint: string }): string =>
  JSON.stringify([x.personId, x.subjectPersonId ?? '', x.instrumentId, x.timepoint]);
