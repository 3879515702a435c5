import type { z } from 'zod';
import { adultRelationships, contactPreferences, genders, referralSubmission, type ReferralSubmission } from '../../../shared/contracts/journey.ts';
import { isApiError } from '../../api/client.ts';
import { emptyDate, type DateParts } from '../../components/form.tsx';
import type { FormProblems } from '../../lib/form-problems.ts';

/** What the referral form holds while someone fills it in: text as typed, answers not yet chosen as ''. */
export type YesNo = '' | 'yes' | 'no';

export type AdultValues = {
  givenName: string;
  familyName: string;
  dateOfBirth: DateParts;
  gender: string;
  relationship: string;
  email: string;
  phone: string;
  willingToAttend: YesNo;
};

export type ChildValues = { givenName: string; familyName: string; dateOfBirth: DateParts };

export type ReferralValues = {
  referrer: { kind: string; name: string; agency: string; role: string; email: string; phone: string };
  programmeId: string;
  parents: AdultValues[];
  children: ChildValues[];
  reason: string;
  circumstances: { activeCourtProceedings: string; adoptiveFamily: YesNo };
  consent: { toReferral: boolean; toShareInformation: YesNo };
  contact: { preference: string; safeTimes: string; safeToLeaveMessage: YesNo };
};

export const MAX_ADULTS = 4;
export const MAX_CHILDREN = 10;
/** The programme answer for "not sure yet": sent as no programme. */
export const NOT_SURE = 'not_sure';

export const emptyAdult = (): AdultValues => ({
  givenName: '',
  familyName: '',
  dateOfBirth: { ...emptyDate },
  gender: '',
  relationship: '',
  email: '',
  phone: '',
  willingToAttend: '',
});

export const emptyChild = (): ChildValues => ({ givenName: '', familyName: '', dateOfBirth: { ...emptyDate } });

export const emptyReferral = (referrerKind: '' | 'self' | 'professional' = ''): ReferralValues => ({
  referrer: { kind: referrerKind, name: '', agency: '', role: '', email: '', phone: '' },
  programmeId: '',
  parents: [emptyAdult()],
  children: [emptyChild()],
  reason: '',
  circumstances: { activeCourtProceedings: '', adoptiveFamily: '' },
  consent: { toReferral: false, toShareInformation: '' },
  contact: { preference: '', safeTimes: '', safeToLeaveMessage: '' },
});

export const genderLabels: Record<(typeof genders)[number], string> = {
  female: 'Female',
  male: 'Male',
  other: 'Another gender',
  not_stated: 'Prefer not to say',
};

export const relationshipLabels: Record<(typeof adultRelationships)[number] | 'child', string> = {
  birth_parent: 'Birth parent',
  adoptive_parent: 'Adoptive parent',
  step_parent: 'Step-parent',
  special_guardian: 'Special guardian',
  foster_carer: 'Foster carer',
  co_parent_living_apart: 'Co-parent living apart',
  other_carer: 'Other carer',
  child: 'Child',
};

export const contactPreferenceLabels: Record<(typeof contactPreferences)[number], string> = {
  phone: 'Phone call',
  email: 'Email',
  text: 'Text message',
  letter: 'Letter',
};

export const courtLabels = { yes: 'Yes', no: 'No', unknown: 'Don’t know' } as const;

/** The audience changes the wording: a parent reads "you", staff read "the referrer". */
export type Audience = 'public' | 'staff';

type FieldText = { label: string; blank: string };

const ordinal = (index: string | undefined): number => Number(index ?? 0) + 1;

/** The name of each field as the messages use it, and what to say when it was left empty. */
const fieldText = (key: string, audience: Audience): FieldText | undefined => {
  const you = audience === 'public';
  const parts = key.split('.');
  const [group, index, leaf] = parts;
  if (group === 'parents' && leaf) {
    const who = `adult ${ordinal(index)}’s`;
    const Who = `Adult ${ordinal(index)}’s`;
    const texts: Record<string, FieldText> = {
      givenName: { label: `${Who} first name`, blank: `Enter ${who} first name` },
      familyName: { label: `${Who} last name`, blank: `Enter ${who} last name` },
      dateOfBirth: { label: `${Who} date of birth`, blank: `Enter ${who} date of birth` },
      gender: { label: `${Who} gender`, blank: `Select ${who} gender` },
      relationship: { label: `${Who} relationship to the children`, blank: `Select ${who} relationship to the children` },
      email: { label: `${Who} email address`, blank: `Enter ${who} email address` },
      phone: { label: `${Who} phone number`, blank: `Enter ${who} phone number` },
      willingToAttend: { label: `Whether adult ${ordinal(index)} is willing to attend`, blank: `Select whether adult ${ordinal(index)} is willing to attend` },
    };
    return texts[leaf];
  }
  if (group === 'children' && leaf) {
    const who = `child ${ordinal(index)}’s`;
    const Who = `Child ${ordinal(index)}’s`;
    const texts: Record<string, FieldText> = {
      givenName: { label: `${Who} first name`, blank: `Enter ${who} first name` },
      familyName: { label: `${Who} last name`, blank: `Enter ${who} last name` },
      dateOfBirth: { label: `${Who} date of birth`, blank: `Enter ${who} date of birth` },
    };
    return texts[leaf];
  }
  const texts: Record<string, FieldText> = {
    'referrer.kind': { label: 'Who is making the referral', blank: 'Select who is making the referral' },
    'referrer.name': you ? { label: 'Your full name', blank: 'Enter your full name' } : { label: 'Referrer’s full name', blank: 'Enter the referrer’s full name' },
    'referrer.agency': you
      ? { label: 'Your agency or organisation', blank: 'Enter your agency or organisation' }
      : { label: 'Referring agency', blank: 'Enter the referring agency' },
    'referrer.role': { label: you ? 'Your role' : 'Referrer’s role', blank: '' },
    'referrer.email': { label: 'Email address', blank: 'Enter an email address or a phone number' },
    'referrer.phone': { label: 'Phone number', blank: '' },
    programmeId: { label: 'Programme', blank: '' },
    reason: { label: 'Reason for the referral', blank: 'Enter the reason for the referral' },
    'circumstances.activeCourtProceedings': {
      label: 'Court proceedings',
      blank: 'Select whether there are court proceedings about the children',
    },
    'circumstances.adoptiveFamily': { label: 'Adoptive family', blank: 'Select whether this is an adoptive family' },
    'consent.toReferral': { label: 'Consent to the referral', blank: 'Confirm that the family agrees to this referral' },
    'consent.toShareInformation': {
      label: 'Consent to sharing information',
      blank: 'Select whether the family agrees to information being shared',
    },
    'contact.preference': { label: 'How to contact the family', blank: 'Select how the family would like to be contacted' },
    'contact.safeTimes': { label: 'Safe times to contact', blank: '' },
    'contact.safeToLeaveMessage': { label: 'Whether it is safe to leave a message', blank: 'Select whether it is safe to leave a message' },
  };
  return texts[key];
};

/** The id of the control a field's error links to (the first radio, the day box of a date). */
export const fieldId = (key: string): string => {
  const id = `referral-${key.replaceAll('.', '-')}`;
  return key.endsWith('dateOfBirth') ? `${id}-day` : id;
};

/** Field keys in the order they appear on the page, for the error summary. */
export const fieldOrder = (values: ReferralValues): { name: string; id: string }[] => {
  const keys = [
    'referrer.kind',
    'referrer.name',
    'referrer.agency',
    'referrer.role',
    'referrer.email',
    'referrer.phone',
    'programmeId',
    ...values.parents.flatMap((_, i) =>
      ['givenName', 'familyName', 'dateOfBirth', 'gender', 'relationship', 'email', 'phone', 'willingToAttend'].map((leaf) => `parents.${i}.${leaf}`),
    ),
    ...values.children.flatMap((_, i) => ['givenName', 'familyName', 'dateOfBirth'].map((leaf) => `children.${i}.${leaf}`)),
    'reason',
    'circumstances.activeCourtProceedings',
    'circumstances.adoptiveFamily',
    'consent.toReferral',
    'consent.toShareInformation',
    'contact.preference',
    'contact.safeTimes',
    'contact.safeToLeaveMessage',
  ];
  return keys.map((name) => ({ name, id: fieldId(name) }));
};

const trimmed = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
const yesNo = (value: YesNo): boolean | undefined => (value === '' ? undefined : value === 'yes');
const chosen = (value: string): string | undefined => (value === '' ? undefined : value);

/** A date from its three boxes: the ISO day, or what is wrong with it (GOV.UK's date input messages). */
export const readDate = (parts: DateParts): { iso?: string; problem?: 'blank' | string } => {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return { problem: 'blank' };
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean);
  if (missing.length > 0) return { problem: `must include ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d+$/.test(year)) return { problem: 'must be a real date, in numbers' };
  if (year.length !== 4) return { problem: 'must include a year with 4 numbers, for example 2019' };
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) return { problem: 'must be a real date' };
  return { iso };
};

/** Turns the form into the submission the API takes; dates that are not dates come back as problems by field. */
const toSubmission = (values: ReferralValues): { submission: unknown; dateProblems: Record<string, string> } => {
  const dateProblems: Record<string, string> = {};
  const date = (key: string, parts: DateParts, required: boolean): string | undefined => {
    const read = readDate(parts);
    if (read.problem === 'blank') {
      if (required) dateProblems[key] = 'blank';
      return undefined;
    }
    if (read.problem) {
      dateProblems[key] = read.problem;
      return undefined;
    }
    return read.iso;
  };
  const { referrer, circumstances, consent, contact } = values;
  const programme = values.programmeId === NOT_SURE ? undefined : chosen(values.programmeId);
  const submission = {
    referrer: {
      kind: chosen(referrer.kind),
      name: referrer.name,
      agency: referrer.kind === 'professional' ? trimmed(referrer.agency) : undefined,
      role: referrer.kind === 'professional' ? trimmed(referrer.role) : undefined,
      email: trimmed(referrer.email),
      phone: trimmed(referrer.phone),
    },
    programmeId: programme,
    parents: values.parents.map((adult, i) => ({
      givenName: adult.givenName,
      familyName: adult.familyName,
      dateOfBirth: date(`parents.${i}.dateOfBirth`, adult.dateOfBirth, false),
      gender: chosen(adult.gender),
      relationship: chosen(adult.relationship),
      email: trimmed(adult.email),
      phone: trimmed(adult.phone),
      willingToAttend: yesNo(adult.willingToAttend),
    })),
    children: values.children.map((child, i) => ({
      givenName: child.givenName,
      familyName: child.familyName,
      dateOfBirth: date(`children.${i}.dateOfBirth`, child.dateOfBirth, true),
    })),
    reason: values.reason,
    circumstances: { activeCourtProceedings: chosen(circumstances.activeCourtProceedings), adoptiveFamily: yesNo(circumstances.adoptiveFamily) },
    consent: { toReferral: consent.toReferral, toShareInformation: yesNo(consent.toShareInformation) },
    contact: { preference: chosen(contact.preference), safeTimes: trimmed(contact.safeTimes), safeToLeaveMessage: yesNo(contact.safeToLeaveMessage) },
  };
  return { submission, dateProblems };
};

/** The value a field key points at in the form, to tell "left empty" from "filled in wrongly". */
const valueAt = (values: ReferralValues, key: string): unknown => {
  let current: unknown = values;
  for (const part of key.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
};

const isBlank = (value: unknown): boolean => {
  if (value === '' || value === undefined || value === false) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (value && typeof value === 'object' && 'day' in value) return readDate(value as DateParts).problem === 'blank';
  return false;
};

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** "is required" becomes "Adult 1’s first name is required"; a message that is a sentence of its own keeps its words. */
const messageFor = (key: string, message: string, values: ReferralValues, audience: Audience): string | undefined => {
  const text = fieldText(key, audience);
  if (!text) return undefined;
  if (isBlank(valueAt(values, key)) && text.blank) return text.blank;
  if (/^(give|say|the|at most|select|enter)\b/.test(message)) return sentence(message);
  return /^[a-z]/.test(message) ? `${text.label} ${message}` : message;
};

const addProblem = (problems: FormProblems, key: string, message: string, values: ReferralValues, audience: Audience): void => {
  const text = messageFor(key, message, values, audience);
  if (text) problems.fields[key] ??= text;
  else problems.general.push(sentence(message));
};

/** Checks the form with the same schema the server uses: the submission to send, or the problems to show. */
export const checkReferral = (
  values: ReferralValues,
  audience: Audience,
): { ok: true; submission: ReferralSubmission } | { ok: false; problems: FormProblems } => {
  const { submission, dateProblems } = toSubmission(values);
  const result = referralSubmission.safeParse(submission);
  const problems: FormProblems = { fields: {}, general: [] };
  for (const [key, problem] of Object.entries(dateProblems)) {
    addProblem(problems, key, problem === 'blank' ? 'is required' : problem, values, audience);
  }
  if (result.success && Object.keys(dateProblems).length === 0) return { ok: true, submission: result.data };
  if (!result.success) {
    for (const issue of (result.error as z.ZodError).issues) addProblem(problems, issue.path.join('.'), issue.message, values, audience);
  }
  return { ok: false, problems };
};

/** The server names fields `body.submission.children.0.dateOfBirth`; the form knows them as `children.0.dateOfBirth`. */
export const referralProblemsFromError = (error: unknown, values: ReferralValues, audience: Audience): FormProblems => {
  const problems: FormProblems = { fields: {}, general: [] };
  if (!isApiError(error)) {
    problems.general.push('Something went wrong. Try again later.');
    return problems;
  }
  for (const field of error.fields) {
    const key = field.path.replace(/^body\.(submission\.)?/, '');
    if (key === 'website') {
      problems.general.push('Something about this form was not accepted. Reload the page and try again.');
      continue;
    }
    addProblem(problems, key, field.message, values, audience);
  }
  if (problems.general.length === 0 && Object.keys(problems.fields).length === 0) {
    problems.general.push(
      error.status === 429 ? 'Too many referrals have been sent from here in the last minute. Wait a minute and try again.' : error.message,
    );
  }
  if (error.requestId) problems.general.push(`If this keeps happening, quote reference ${error.requestId}.`);
  return problems;
};
