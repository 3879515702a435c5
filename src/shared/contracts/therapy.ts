import { z } from 'zod';
import { isoTimestamp, uuid, version } from './common.ts';
import { clockTime, closure, isoDate } from './programmes.ts';

/* Therapy appointments (issue 5): a therapist's diary, weekly series for a couple's case, reschedules and outcomes. */

const text = (max: number) => z.string().trim().max(max, { message: `must be at most ${max} characters` });
const required = (max: number) => text(max).min(1, { message: 'is required' });
const int = (min: number, max: number) =>
  z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` });

export const seriesKinds = ['consultation', 'therapy'] as const;
export const appointmentKinds = ['consultation', 'session'] as const;
export const appointmentStatuses = ['booked', 'attended', 'did_not_attend', 'cancelled_by_family', 'late_cancellation', 'cancelled_by_service'] as const;
export const appointmentOutcomes = ['attended', 'did_not_attend', 'cancelled_by_family', 'cancelled_by_service'] as const;

export const bookSeriesBody = z
  .object({
    therapistId: uuid,
    kind: z.enum(seriesKinds, { message: 'must be consultation or therapy' }).describe('An initial consultation is one appointment; therapy is a weekly series'),
    firstDate: isoDate.describe('The first appointment; the rest follow weekly'),
    startTime: clockTime.describe('Local time at the venue'),
    count: int(1, 20).describe('How many weekly appointments (1 for a consultation)'),
    minutes: int(15, 240).optional().describe('Defaults to 50'),
    venue: text(300).optional(),
    closures: z.array(closure).max(50, { message: 'at most 50 closures' }).optional().describe('Weeks whose date falls in one are skipped'),
    caseVersion: version,
    outsideAvailabilityReason: required(1000).optional().describe("Books outside the therapist's declared availability; refused without it"),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'consultation' && b.count !== 1) ctx.addIssue({ code: 'custom', path: ['count'], message: 'a consultation is a single appointment' });
  })
  .meta({ id: 'BookTherapySeriesBody' });

export const rescheduleBody = z
  .object({
    onDate: isoDate,
    startTime: clockTime.optional().describe('Keeps the time when left out'),
    reason: required(1000),
    outsideAvailabilityReason: required(1000).optional().describe("Moves it outside the therapist's declared availability; refused without it"),
    version,
  })
  .meta({ id: 'RescheduleAppointmentBody' });

export const availabilityWindow = z
  .object({
    weekday: int(1, 7).describe('ISO weekday: 1 Monday … 7 Sunday'),
    startTime: clockTime.describe('Local time at the venue'),
    endTime: clockTime,
  })
  .meta({ id: 'TherapistAvailabilityWindow' });

export const therapistAvailabilityBody = z
  .object({
    windows: z.array(availabilityWindow).max(50, { message: 'at most 50 windows' }).describe('The whole week; an empty list declares none (not restricted)'),
    version: z.number().int().min(0).describe('The version you last read (0 before any was declared); a stale one gets 409'),
  })
  .meta({ id: 'TherapistAvailabilityBody' });

export const therapistAvailability = z
  .object({
    therapistId: uuid,
    therapistName: z.string(),
    windows: z.array(availabilityWindow).describe('Sorted by weekday and time; empty when none is declared'),
    version: z.number().int().min(0),
  })
  .meta({ id: 'TherapistAvailability' });
export const therapistIdParams = z.object({ userId: uuid });

export const outcomeBody = z
  .object({
    outcome: z.enum(appointmentOutcomes, { message: 'must be attended, did_not_attend, cancelled_by_family or cancelled_by_service' }),
    note: text(1000).optional(),
    version,
  })
  .meta({ id: 'AppointmentOutcomeBody' });

export const therapySeriesIdParams = z.object({ therapySeriesId: uuid });
export const therapyAppointmentIdParams = z.object({ therapyAppointmentId: uuid });
export const therapySeriesQuery = z.object({ caseId: uuid.optional(), therapistId: uuid.optional() });
export const diaryQuery = z.object({
  therapistId: uuid.optional().describe('Defaults to the signed-in person; only a service manager may read another diary'),
  from: isoDate.optional().describe('Defaults to today'),
  to: isoDate.optional().describe('Defaults to eight weeks after from'),
});

export const appointmentChange = z.object({ fromDate: isoDate, fromTime: clockTime, toDate: isoDate, toTime: clockTime, reason: z.string(), changedBy: z.string(), changedAt: isoTimestamp });

export const therapyAppointment = z
  .object({
    id: uuid,
    seriesId: uuid,
    number: z.number().int(),
    kind: z.enum(appointmentKinds),
    onDate: isoDate,
    startTime: clockTime,
    endTime: clockTime,
    minutes: z.number().int(),
    status: z.enum(appointmentStatuses),
    outcomeNote: z.string().nullable(),
    changes: z.array(appointmentChange).describe('Every reschedule, oldest first'),
    version,
  })
  .meta({ id: 'TherapyAppointment' });

export const therapyDose = z
  .object({
    booked: z.number().int(),
    attended: z.number().int(),
    didNotAttend: z.number().int(),
    cancelledByFamily: z.number().int(),
    lateCancellations: z.number().int(),
    cancelledByService: z.number().int(),
    attendanceRate: z.number().nullable().describe('Attended ÷ (attended + missed); cancellations by the service are left out'),
    missedInARow: z.number().int(),
    completer: z.boolean(),
  })
  .meta({ id: 'TherapyDose' });

export const therapySeriesSummary = z
  .object({
    id: uuid,
    caseId: uuid,
    caseReference: z.string(),
    familyLabel: z.string(),
    therapistId: uuid,
    therapistName: z.string(),
    kind: z.enum(seriesKinds),
    firstDate: isoDate,
    lastDate: isoDate.nullable(),
    startTime: clockTime,
    minutes: z.number().int(),
    venue: z.string(),
    appointmentCount: z.number().int(),
    nextAppointment: isoDate.nullable(),
    version,
  })
  .meta({ id: 'TherapySeriesSummary' });
export const therapySeriesList = z.object({ series: z.array(therapySeriesSummary) }).meta({ id: 'TherapySeriesList' });

export const therapySeriesDetail = therapySeriesSummary
  .extend({
    closures: z.array(closure),
    appointments: z.array(therapyAppointment),
    dose: therapyDose,
  })
  .meta({ id: 'TherapySeriesDetail' });

export const diaryEntry = z.object({
  kind: z.enum(['appointment', 'group_session']),
  id: uuid,
  onDate: isoDate,
  startTime: clockTime,
  endTime: clockTime,
  title: z.string(),
  status: z.string().describe("An appointment's status, or the group's"),
  link: z.string(),
});
export const diary = z
  .object({ therapistId: uuid, therapistName: z.string(), from: isoDate, to: isoDate, entries: z.array(diaryEntry) })
  .meta({ id: 'TherapistDiary' });
