import type { ColumnType, Generated } from 'kysely';
import type { EligibilityRule } from '../../../shared/contracts/journey.ts';
import type { AppointmentStatus } from './therapy-schedule.ts';
import type { AttendanceMeaning, AttendanceStatus, ClosureInput, CurriculumSession } from '../../../shared/contracts/programmes.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** jsonb: read as the parsed value, written as a JSON string. */
type Json<T> = ColumnType<T, string | undefined, string>;

export type ProgrammeTable = {
  id: Generated<string>;
  organisationId: string;
  name: string;
  kind: 'group' | 'couple_therapy' | 'course';
  description: Generated<string>;
  eligibility: ColumnType<EligibilityRule[], string | undefined, string>;
  facilitatorRule: Generated<'male_female_pair' | 'pair' | 'one' | 'any'>;
  offersCoupleWork: Generated<boolean>;
  acceptsReferrals: Generated<boolean>;
  version: Generated<number>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  sessionCount: Generated<number>;
  sessionMinutes: Generated<number>;
  frequency: Generated<'weekly'>;
  curriculum: Json<CurriculumSession[]>;
  capacity: Generated<number>;
  capacityUnit: Generated<'couples' | 'people'>;
  creche: Generated<boolean>;
  completionMinSessions: Generated<number>;
  attendanceStatuses: Json<AttendanceStatus[]>;
  copiedFrom: ColumnType<string | null, string | null | undefined, string | null>;
};

export type ProgrammeGroupTable = {
  id: Generated<string>;
  organisationId: string;
  programmeId: string;
  name: string;
  site: string;
  venue: Generated<string>;
  startDate: string;
  startTime: string;
  sessionMinutes: number;
  closures: Json<ClosureInput[]>;
  capacity: number;
  capacityUnit: 'couples' | 'people';
  creche: Generated<boolean>;
  status: Generated<'planned' | 'running' | 'finished' | 'cancelled'>;
  createdBy: string | null;
  createdAt: CreatedAt;
  version: Generated<number>;
};

export type GroupSessionTable = {
  id: Generated<string>;
  organisationId: string;
  groupId: string;
  number: number;
  onDate: string;
  startTime: string;
  minutes: number;
  strand: Generated<string>;
  topic: Generated<string>;
  splitByGender: Generated<boolean>;
  childrenJoin: Generated<boolean>;
  creche: Generated<boolean>;
  ruleOverrideReason: ColumnType<string | null, string | null | undefined, string | null>;
  ruleOverrideBy: ColumnType<string | null, string | null | undefined, string | null>;
  registerVersion: Generated<number>;
  registerSavedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  crecheVersion: Generated<number>;
  version: Generated<number>;
};

export type SessionFacilitatorTable = { organisationId: string; sessionId: string; userId: string };

export type PlacementTable = {
  id: Generated<string>;
  organisationId: string;
  groupId: string;
  caseId: string;
  familyId: string;
  status: Generated<'placed' | 'withdrawn'>;
  placedBy: string | null;
  placedAt: CreatedAt;
  withdrawnOn: ColumnType<string | null, string | null | undefined, string | null>;
  withdrawalReason: ColumnType<string | null, string | null | undefined, string | null>;
  version: Generated<number>;
};

export type PlacementParticipantTable = { organisationId: string; placementId: string; personId: string };

export type AttendanceTable = {
  organisationId: string;
  sessionId: string;
  placementId: string;
  personId: string;
  statusCode: string;
  meaning: AttendanceMeaning;
  recordedBy: string | null;
  recordedAt: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type CrecheAttendanceTable = {
  organisationId: string;
  sessionId: string;
  placementId: string;
  personId: string;
  present: boolean;
  collectedBy: ColumnType<string | null, string | null | undefined, string | null>;
  recordedBy: string | null;
  recordedAt: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type CrecheStaffTable = { organisationId: string; sessionId: string; userId: string };

export type CrecheBookingTable = {
  id: Generated<string>;
  organisationId: string;
  sessionId: string;
  placementId: string;
  personId: string;
  needs: Generated<string>;
  allergies: Generated<string>;
  medicalNotes: Generated<string>;
  consentGivenBy: string;
  consentOn: string;
  status: Generated<'booked' | 'cancelled'>;
  bookedBy: string | null;
  bookedAt: CreatedAt;
  version: Generated<number>;
};

export type SessionRecordTable = {
  sessionId: string;
  organisationId: string;
  fidelity: Json<{ key: string; status: 'covered' | 'partly' | 'not_covered'; note: string }[]>;
  notes: Generated<string>;
  updatedBy: string | null;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
};

export type SessionConcernTable = {
  id: Generated<string>;
  organisationId: string;
  sessionId: string;
  flagId: string;
  caseId: string;
  raisedBy: string | null;
  raisedAt: CreatedAt;
};

export type CalendarFeedTable = {
  id: Generated<string>;
  organisationId: string;
  userId: string;
  tokenHash: string;
  createdAt: CreatedAt;
  revokedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
};

export type AbsenceAlertTable = { organisationId: string; placementId: string; personId: string; streakStart: number; raisedAt: CreatedAt };

export type TherapySeriesTable = {
  id: Generated<string>;
  organisationId: string;
  caseId: string;
  familyId: string;
  programmeId: string | null;
  therapistId: string;
  kind: 'consultation' | 'therapy';
  firstDate: string;
  startTime: string;
  minutes: number;
  venue: Generated<string>;
  closures: Json<ClosureInput[]>;
  createdBy: string | null;
  createdAt: CreatedAt;
  version: Generated<number>;
};

export type TherapyAppointmentTable = {
  id: Generated<string>;
  organisationId: string;
  seriesId: string;
  caseId: string;
  therapistId: string;
  number: number;
  kind: 'consultation' | 'session';
  onDate: string;
  startTime: string;
  minutes: number;
  status: Generated<AppointmentStatus>;
  outcomeNote: ColumnType<string | null, string | null | undefined, string | null>;
  outcomeBy: ColumnType<string | null, string | null | undefined, string | null>;
  outcomeAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  version: Generated<number>;
};

export type TherapyAppointmentChangeTable = {
  id: Generated<string>;
  organisationId: string;
  appointmentId: string;
  fromDate: string;
  fromTime: string;
  toDate: string;
  toTime: string;
  reason: string;
  changedBy: string | null;
  changedAt: CreatedAt;
};

export type TherapistAvailabilityTable = {
  id: Generated<string>;
  organisationId: string;
  userId: string;
  /** ISO weekday: 1 Monday … 7 Sunday. */
  weekday: number;
  startTime: string;
  endTime: string;
};

export type TherapistAvailabilityWeekTable = {
  organisationId: string;
  userId: string;
  version: Generated<number>;
  updatedBy: string | null;
  updatedAt: Generated<Date>;
};

export type ProgrammesTables = {
  programme: ProgrammeTable;
  programmeGroup: ProgrammeGroupTable;
  groupSession: GroupSessionTable;
  sessionFacilitator: SessionFacilitatorTable;
  placement: PlacementTable;
  placementParticipant: PlacementParticipantTable;
  attendance: AttendanceTable;
  crecheAttendance: CrecheAttendanceTable;
  crecheStaff: CrecheStaffTable;
  crecheBooking: CrecheBookingTable;
  sessionRecord: SessionRecordTable;
  sessionConcern: SessionConcernTable;
  calendarFeed: CalendarFeedTable;
  absenceAlert: AbsenceAlertTable;
  therapySeries: TherapySeriesTable;
  therapyAppointment: TherapyAppointmentTable;
  therapyAppointmentChange: TherapyAppointmentChangeTable;
  therapistAvailability: TherapistAvailabilityTable;
  therapistAvailabilityWeek: TherapistAvailabilityWeekTable;
};
