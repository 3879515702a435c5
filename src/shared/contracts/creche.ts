import { z } from 'zod';
import { isoTimestamp, uuid, version } from './common.ts';
import { clockTime, isoDate } from './programmes.ts';

// Crèche (issue 5, item 4). No transforms or defaults in schemas that also describe responses.
const text = (max: number) => z.string().trim().max(max, { message: `must be at most ${max} characters` });
const required = (max: number) => text(max).min(1, { message: 'is required' });

export const crecheBookingIdParams = z.object({ crecheBookingId: uuid });

export const crecheRatio = z
  .object({
    bands: z.array(z.object({ label: z.string(), children: z.number().int(), childrenPerStaff: z.number().int() })),
    staffNeeded: z.number().int(),
    staffRostered: z.number().int(),
    ok: z.boolean(),
  })
  .meta({ id: 'CrecheRatio' });

export const crecheBooking = z.object({
  id: uuid,
  personId: uuid,
  name: z.string(),
  familyLabel: z.string(),
  placementId: uuid,
  ageMonths: z.number().int(),
  needs: z.string(),
  allergies: z.string().nullable().describe('Null unless you are rostered on this crèche'),
  medicalNotes: z.string().nullable().describe('Null unless you are rostered on this crèche'),
  consentGivenBy: z.string(),
  consentOn: isoDate,
  present: z.boolean().nullable(),
  collectedBy: z.string().nullable(),
  version,
});

export const crecheSession = z
  .object({
    sessionId: uuid,
    groupId: uuid,
    groupName: z.string(),
    number: z.number().int(),
    onDate: isoDate,
    startTime: clockTime,
    minutes: z.number().int(),
    creche: z.boolean(),
    staff: z.array(z.object({ id: uuid, name: z.string() })),
    ratio: crecheRatio,
    medicalNotesVisible: z.boolean().describe('Whether you are rostered on this crèche and so read allergies and medical notes'),
    canTakeRegister: z.boolean(),
    bookings: z.array(crecheBooking),
    unbooked: z
      .array(z.object({ personId: uuid, name: z.string(), familyLabel: z.string(), ageMonths: z.number().int().nullable() }))
      .describe('Children of the families in the group not booked into this crèche'),
    registerSavedAt: isoTimestamp.nullable(),
    registerVersion: version,
  })
  .meta({ id: 'CrecheSession' });

export const bookCrecheBody = z
  .object({
    personId: uuid,
    needs: text(2000),
    allergies: text(2000),
    medicalNotes: text(4000),
    consentGivenBy: required(200).describe('The parent who agreed to the crèche caring for the child'),
    consentOn: isoDate,
    laterSessions: z.boolean({ message: 'must be yes or no' }).describe("Book every later crèche session of the group too (each one's ratio is checked)"),
  })
  .meta({ id: 'BookCrecheBody' });

export const updateCrecheBookingBody = z
  .object({
    needs: text(2000).optional(),
    allergies: text(2000).optional(),
    medicalNotes: text(4000).optional(),
    consentGivenBy: required(200).optional(),
    cancel: z.boolean({ message: 'must be yes or no' }).optional(),
    version,
  })
  .meta({ id: 'UpdateCrecheBookingBody' });

export const crecheStaffBody = z
  .object({
    staffIds: z
      .array(uuid)
      .max(20, { message: 'must be at most 20 people' })
      .refine((ids) => new Set(ids).size === ids.length, { message: 'names someone twice' }),
  })
  .meta({ id: 'CrecheStaffBody' });

export const crecheRegisterBody = z
  .object({
    marks: z
      .array(z.object({ personId: uuid, present: z.boolean({ message: 'must be yes or no' }), collectedBy: text(200).nullable() }))
      .max(100)
      .refine((marks) => new Set(marks.map((m) => m.personId)).size === marks.length, { message: 'marks a child twice' }),
    version,
  })
  .meta({ id: 'CrecheRegisterBody' });
