import type { FieldProblem } from '../../platform/http/app-error.ts';
import type { InstrumentDefinition, ItemDefinition } from './instruments/index.ts';

/*
 * Licensed wording and the BCAP key (issue 4 item 2), pure. Tandem ships no SDQ or BCAP wording and no BCAP key; an
 * organisation holding a licence loads them, and they change only what its own staff and parents see and key:
 *
 * - wording: the text of each item (and the instructions) shown on the form;
 * - the BCAP key: which printed form item is which role (R1–R24 risk, L1–L6 lie, RR1–RR3 random response, or none for
 *   a filler item) and which answer is the keyed one. The form is then keyed as printed (item 1, 2, … with Agree /
 *   Disagree) and each answer is turned into the role's 1 (keyed) or 0 before scoring.
 *
 * The instrument definition itself never changes, so exports and other organisations never see any of it.
 */

export type LicensedWording = { stem?: string | undefined; items: Record<string, string> };
export type KeyEntry = { formItem: string; role: string | null; keyedAnswer: 'agree' | 'disagree' };
export type LicensedContent = { wording: LicensedWording | null; scoringKey: KeyEntry[] | null };

/** The printed answers of a keyed form item: positions 0 = Disagree, 1 = Agree. */
export const AGREE = 1;
export const DISAGREE = 0;

/** Instruments whose wording may be loaded: the built-ins that do not ship theirs. Only BCAP takes a key. */
export const takesLicensedWording = (instrument: InstrumentDefinition): boolean => !instrument.licence.wordingAllowed;
export const takesScoringKey = (instrument: InstrumentDefinition): boolean => instrument.id === 'bcap';

const byFormOrder = (a: KeyEntry, b: KeyEntry): number => {
  const [na, nb] = [Number.parseInt(a.formItem, 10), Number.parseInt(b.formItem, 10)];
  return na !== nb ? na - nb : a.formItem < b.formItem ? -1 : a.formItem > b.formItem ? 1 : 0;
};

/** Every problem with an upload, each at its field, so nothing half-right is stored. */
export const licenceProblems = (instrument: InstrumentDefinition, content: LicensedContent): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  if (!takesLicensedWording(instrument)) {
    problems.push({ path: 'params.instrument', message: `${instrument.id} ships its own wording; there is nothing to license` });
    return problems;
  }
  if (!content.wording && !content.scoringKey) problems.push({ path: 'body', message: 'give the wording, the scoring key, or both' });
  if (content.scoringKey && !takesScoringKey(instrument)) {
    problems.push({ path: 'body.scoringKey', message: `${instrument.id} is scored by its item numbers and takes no key` });
  }
  const key = takesScoringKey(instrument) ? content.scoringKey : null;
  if (key) {
    const roles = new Set(instrument.items.map((item) => item.key));
    const seenForm = new Map<string, number>();
    const seenRole = new Map<string, number>();
    key.forEach((entry, i) => {
      if (seenForm.has(entry.formItem)) problems.push({ path: `body.scoringKey.${i}.formItem`, message: `form item ${entry.formItem} is listed twice (first at ${seenForm.get(entry.formItem)})` });
      else seenForm.set(entry.formItem, i);
      if (entry.role === null) return;
      if (!roles.has(entry.role)) problems.push({ path: `body.scoringKey.${i}.role`, message: `"${entry.role}" is not a ${instrument.id} role (R1–R24, L1–L6, RR1–RR3)` });
      else if (seenRole.has(entry.role)) problems.push({ path: `body.scoringKey.${i}.role`, message: `role ${entry.role} is already form item ${key[seenRole.get(entry.role) ?? 0]?.formItem}` });
      else seenRole.set(entry.role, i);
    });
    const unmapped = instrument.items.map((item) => item.key).filter((role) => !seenRole.has(role));
    if (unmapped.length > 0) problems.push({ path: 'body.scoringKey', message: `every role needs a form item; not mapped: ${unmapped.join(', ')}` });
  }
  if (content.wording) {
    // With a key the wording follows the printed form's numbers; without, the instrument's item numbers.
    const known = new Set(key ? key.map((entry) => entry.formItem) : instrument.items.map((item) => item.key));
    for (const item of Object.keys(content.wording.items)) {
      if (!known.has(item)) problems.push({ path: `body.wording.items.${item}`, message: key ? `is not a form item of the key` : `is not an item of ${instrument.id}` });
    }
  }
  return problems;
};

export type EntryForm = {
  /** What is shown and keyed: the instrument with the licensed wording, or the printed BCAP form. Never exported. */
  entry: InstrumentDefinition;
  /** Answers keyed on the entry form, as the instrument's own answers (form items → roles through the key). */
  toScoring: (answers: Readonly<Record<string, number | null>>) => Record<string, number | null>;
  /**
   * Stored answers back as the entry form keys them, to correct a form as it was keyed. A BCAP filler item is not
   * stored, so it comes back unanswered.
   */
  fromScoring: (answers: Readonly<Record<string, number | null>>) => Record<string, number | null>;
};

const withText = (item: ItemDefinition, text: string | undefined): ItemDefinition => {
  const { text: _old, ...rest } = item;
  return text ? { ...rest, text } : rest;
};

/** The form an organisation's staff and parents see and key for an instrument, given its licensed content if any. */
export const entryFormFor = (instrument: InstrumentDefinition, content: LicensedContent | null): EntryForm => {
  const identity: EntryForm = { entry: instrument, toScoring: (answers) => ({ ...answers }), fromScoring: (answers) => ({ ...answers }) };
  if (!content || !takesLicensedWording(instrument)) return identity;
  const wording = content.wording;
  const licence = wording ? { ...instrument.licence, wordingAllowed: true } : instrument.licence;
  const stem = wording?.stem ?? instrument.stem;
  const key = takesScoringKey(instrument) ? content.scoringKey : null;
  if (!key) {
    if (!wording) return identity;
    return { entry: { ...instrument, ...(stem ? { stem } : {}), licence, items: instrument.items.map((item) => withText(item, wording.items[item.key])) }, toScoring: identity.toScoring, fromScoring: identity.fromScoring };
  }
  const ordered = [...key].sort(byFormOrder);
  const entry: InstrumentDefinition = {
    ...instrument,
    ...(stem ? { stem } : {}),
    licence,
    items: ordered.map((e) => withText({ key: e.formItem, options: [{ value: DISAGREE, label: 'Disagree' }, { value: AGREE, label: 'Agree' }], reversed: false }, wording?.items[e.formItem])),
  };
  const toScoring = (answers: Readonly<Record<string, number | null>>): Record<string, number | null> => {
    const out: Record<string, number | null> = {};
    for (const e of ordered) {
      if (!e.role) continue;
      const answer = answers[e.formItem];
      out[e.role] = answer === null || answer === undefined ? null : answer === (e.keyedAnswer === 'agree' ? AGREE : DISAGREE) ? 1 : 0;
    }
    return out;
  };
  const fromScoring = (answers: Readonly<Record<string, number | null>>): Record<string, number | null> => {
    const out: Record<string, number | null> = {};
    for (const e of ordered) {
      const scored = e.role ? answers[e.role] : null;
      const keyed = e.keyedAnswer === 'agree' ? AGREE : DISAGREE;
      out[e.formItem] = scored === null || scored === undefined ? null : scored === 1 ? keyed : AGREE + DISAGREE - keyed;
    }
    return out;
  };
  return { entry, toScoring, fromScoring };
};
