import type { ColumnType, Generated } from 'kysely';
import type { CaseStage, Relationship } from '../../../shared/contracts/journey.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Gender = 'female' | 'male' | 'other' | 'not_stated';

export type FamilyTable = { id: Generated<string>; organisationId: string; label: string; version: Generated<number>; createdAt: CreatedAt };

export type PersonTable = {
  id: Generated<string>;
  organisationId: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  gender: Gender | null;
  email: string | null;
  phone: string | null;
  contactPreference: 'phone' | 'email' | 'text' | 'letter' | null;
  safeContactNotes: string | null;
  isChild: Generated<boolean>;
  version: Generated<number>;
  createdAt: CreatedAt;
  erasedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
};

export type FamilyMemberTable = { organisationId: string; familyId: string; personId: string; relationship: Relationship };

export type FamilyCaseTable = {
  id: Generated<string>;
  organisationId: string;
  reference: string;
  familyId: string;
  programmeId: string | null;
  referralId: string | null;
  stage: CaseStage;
  caseWorkerId: string | null;
  stageChangedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  openedAt: CreatedAt;
  closedAt: Date | null;
  version: Generated<number>;
};

export type CaseStageChangeTable = {
  id: Generated<number>;
  organisationId: string;
  caseId: string;
  fromStage: CaseStage | null;
  toStage: CaseStage;
  reason: string;
  changedBy: string | null;
  changedAt: CreatedAt;
};

export type NotificationTable = {
  id: Generated<string>;
  organisationId: string;
  userId: string;
  kind: string;
  message: string;
  link: string | null;
  createdAt: CreatedAt;
  readAt: Date | null;
};

export type CasesTables = {
  family: FamilyTable;
  person: PersonTable;
  familyMember: FamilyMemberTable;
  familyCase: FamilyCaseTable;
  caseStageChange: CaseStageChangeTable;
  notification: NotificationTable;
};

type Rating = 'none' | 'low' | 'medium' | 'high';

export type AssessmentTable = {
  id: Generated<string>;
  organisationId: string;
  caseId: string;
  scheduledAt: Date;
  location: string | null;
  status: Generated<'booked' | 'held' | 'cancelled'>;
  ruleOverrideReason: string | null;
  ruleOverrideBy: string | null;
  jointInterviewNotes: string | null;
  outcome: 'suitable' | 'suitable_with_conditions' | 'not_suitable' | null;
  outcomeConditions: string | null;
  onwardReferral: string | null;
  bookedBy: string | null;
  createdAt: CreatedAt;
  version: Generated<number>;
};

export type AssessmentFacilitatorTable = { organisationId: string; assessmentId: string; userId: string };

export type RiskAssessmentTable = {
  id: Generated<string>;
  organisationId: string;
  assessmentId: string;
  personId: string;
  riskToChild: Rating;
  riskToChildNotes: string;
  domesticAbuse: Rating;
  domesticAbuseNotes: string;
  mentalHealth: Rating;
  mentalHealthNotes: string;
  substanceUse: Rating;
  substanceUseNotes: string;
  domesticAbuseIndicated: boolean;
  recordedBy: string | null;
  recordedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
};

export type PrivateDisclosureTable = {
  id: Generated<string>;
  organisationId: string;
  caseId: string;
  personId: string;
  riskAssessmentId: string | null;
  body: string;
  isSafeguardingConcern: boolean;
  recordedBy: string | null;
  recordedAt: CreatedAt;
};

export type SafeguardingFlagTable = {
  id: Generated<string>;
  organisationId: string;
  familyId: string;
  caseId: string | null;
  kind: 'high_risk' | 'disclosure' | 'domestic_abuse' | 'questionnaire_alert' | 'session_concern';
  reason: string;
  /** The administration that raised a questionnaire alert (null for other kinds). */
  administrationId: ColumnType<string | null, string | null | undefined, string | null>;
  raisedBy: string | null;
  raisedAt: CreatedAt;
  status: Generated<'open' | 'resolved'>;
  decision: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  version: Generated<number>;
};

export type AssessmentTables = {
  assessment: AssessmentTable;
  assessmentFacilitator: AssessmentFacilitatorTable;
  riskAssessment: RiskAssessmentTable;
  privateDisclosure: PrivateDisclosureTable;
  safeguardingFlag: SafeguardingFlagTable;
};

export type NoteKind = 'contact' | 'home_visit' | 'phone_call' | 'follow_up_meeting' | 'other';

export type CaseNoteTable = {
  id: Generated<string>;
  organisationId: string;
  caseId: string;
  kind: NoteKind;
  occurredOn: string;
  body: string;
  authorId: string | null;
  createdAt: CreatedAt;
  version: Generated<number>;
  erasedAt: Date | null;
};

export type CaseDocumentTable = {
  id: Generated<string>;
  organisationId: string;
  caseId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  uploadedBy: string | null;
  uploadedAt: CreatedAt;
  erasedAt: Date | null;
};

export type RetentionRecordType = 'closed_case' | 'declined_referral' | 'case_note' | 'case_document' | 'administration';

export type RetentionPolicyTable = {
  organisationId: string;
  recordType: RetentionRecordType;
  keepMonths: number;
  updatedBy: string | null;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type ErasureLogTable = {
  id: Generated<string>;
  organisationId: string;
  personId: string | null;
  recordType: string;
  recordId: string;
  reason: string;
  erasedBy: string | null;
  erasedAt: CreatedAt;
};

export type RecordsTables = {
  caseNote: CaseNoteTable;
  caseDocument: CaseDocumentTable;
  retentionPolicy: RetentionPolicyTable;
  erasureLog: ErasureLogTable;
};
