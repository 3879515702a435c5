import type { z } from 'zod';
import { instrumentDefinitionSchema, type InstrumentDefinition, type ItemDefinition, type ItemsScale, type ScaleDefinition } from './instruments/index.ts';
import type { ScoreResult } from './scoring/index.ts';

/*
 * FHIR R4 for instruments and administrations (issue 4 item 1), pure: no I/O. The mapping is in docs/measures.md
 * ("FHIR").
 *
 * - An instrument is a Questionnaire. Each item is a `choice` item whose answerOptions carry the answer's position on
 *   the printed scale as the code and the item score as its weight (SDC: the R4 `ordinalValue` extension and the
 *   R5/SDC `itemWeight` one, same number), so reverse scoring is in the weights: CORE-10 item 2's "Not at all" has code
 *   0 and weight 4. Every scale is a read-only `decimal` item with an SDC calculatedExpression (FHIRPath) where the
 *   rule can be said in FHIRPath (not conversion tables).
 * - FHIR has no place for proration limits, bands, thresholds, flags, reliable change or citations, so the rest of the
 *   definition travels in one Tandem extension (JSON). Importing our own export gives back the same definition; a
 *   Questionnaire from elsewhere gets a plain sum of its weights.
 * - Wording only where the licence allows it: SDQ and BCAP items go out with their numbers (linkId, prefix) and no text.
 */

/** Namespace of Tandem's own FHIR identifiers. `.invalid` never resolves: these name things, they are not addresses. */
export const TANDEM_FHIR = 'https://tandem.invalid/fhir';
export const SCORING_EXTENSION = `${TANDEM_FHIR}/StructureDefinition/instrument-scoring`;
export const SCALE_EXTENSION = `${TANDEM_FHIR}/StructureDefinition/scale`;
export const TIMEPOINT_EXTENSION = `${TANDEM_FHIR}/StructureDefinition/timepoint`;
export const FLAG_EXTENSION = `${TANDEM_FHIR}/StructureDefinition/flag`;
export const BAND_EXTENSION = `${TANDEM_FHIR}/StructureDefinition/band`;
export const ANSWER_SYSTEM = `${TANDEM_FHIR}/CodeSystem/answer-position`;
export const ORDINAL_VALUE = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
export const ITEM_WEIGHT = 'http://hl7.org/fhir/StructureDefinition/itemWeight';
export const CALCULATED_EXPRESSION = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression';
export const HIDDEN = 'http://hl7.org/fhir/StructureDefinition/questionnaire-hidden';

export const questionnaireUrl = (instrumentId: string): string => `${TANDEM_FHIR}/Questionnaire/${instrumentId}`;
/** linkId of a scale's calculated item; `.` cannot occur in an item key, so it never clashes with one. */
export const scoreLinkId = (scaleKey: string): string => `score.${scaleKey}`;

export type FhirExtension = {
  url: string;
  valueDecimal?: number;
  valueString?: string;
  valueCode?: string;
  valueBoolean?: boolean;
  valueExpression?: { language: string; expression: string; description?: string };
};
export type FhirCoding = { system?: string; code?: string; display?: string; extension?: FhirExtension[] };
export type AnswerOption = { valueCoding?: FhirCoding; valueInteger?: number; valueString?: string; extension?: FhirExtension[] };
export type QuestionnaireItem = {
  linkId: string;
  prefix?: string;
  text?: string;
  type: string;
  required?: boolean;
  readOnly?: boolean;
  answerOption?: AnswerOption[];
  item?: QuestionnaireItem[];
  extension?: FhirExtension[];
};
export type Questionnaire = {
  resourceType: 'Questionnaire';
  id?: string;
  url?: string;
  version?: string;
  name?: string;
  title?: string;
  status: string;
  subjectType?: string[];
  publisher?: string;
  description?: string;
  copyright?: string;
  extension?: FhirExtension[];
  item?: QuestionnaireItem[];
};
export type ResponseItem = { linkId: string; answer?: { valueCoding?: FhirCoding; valueDecimal?: number }[]; extension?: FhirExtension[] };
export type QuestionnaireResponse = {
  resourceType: 'QuestionnaireResponse';
  id: string;
  identifier: { system: string; value: string };
  questionnaire: string;
  status: 'completed';
  authored: string;
  subject: { identifier: { system: string; value: string }; display?: string };
  source: { identifier: { system: string; value: string } };
  extension: FhirExtension[];
  item: ResponseItem[];
};

// ---- Export ----

const optionValues = (item: ItemDefinition): number[] => item.options.map((option) => option.value);

/** The item score an answer gives: the engine's reversal, min + max − answer. */
export const weightOf = (item: ItemDefinition, value: number): number => {
  if (!item.reversed) return value;
  const values = optionValues(item);
  return Math.min(...values) + Math.max(...values) - value;
};

const fhirString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const answerOf = (key: string): string => `%resource.item.where(linkId=${fhirString(key)}).answer.valueCoding.code.toInteger()`;
const scoreOf = (key: string): string => `%resource.item.where(linkId=${fhirString(scoreLinkId(key))}).answer.valueDecimal`;

/** An item's score term: its answer, reversed and recoded as the engine does; empty when unanswered. */
const itemTerm = (scale: ItemsScale, item: ItemDefinition): string => {
  const values = optionValues(item);
  const base = item.reversed ? `(${Math.min(...values) + Math.max(...values)} - ${answerOf(item.key)})` : answerOf(item.key);
  if (!scale.recode) return base;
  // A chain of iif over the scores the recode table names; every possible score has an entry (definition.ts).
  const entries = Object.entries(scale.recode);
  const chain = entries.reduceRight<string>((rest, [from, to]) => `iif($this = ${from}, ${to}, ${rest})`, '{}');
  return `${base}.select(${chain})`;
};

/**
 * The FHIRPath an SDC form filler evaluates for a scale, or null where FHIRPath would be a poor place for the rule (a
 * conversion table). Missing items: the score is given when at least (n − maxMissing) items are answered, prorated
 * from the answered items' mean exactly as the engine does; rounding half up is floor(x + 0.5).
 */
export const calculatedExpressionFor = (instrument: InstrumentDefinition, scale: ScaleDefinition): string | null => {
  if (scale.kind === 'lookup') return null;
  if (scale.kind === 'sum_of_scales') return scale.scales.map(scoreOf).join(' + ');
  const items = scale.items.map((key) => instrument.items.find((item) => item.key === key));
  if (items.some((item) => item === undefined)) return null;
  const terms = (items as ItemDefinition[]).map((item) => `(${itemTerm(scale, item)})`);
  const collection = terms.length === 1 ? (terms[0] ?? '{}') : `${terms[0]}${terms.slice(1).map((t) => `.combine(${t})`).join('')}`;
  const n = scale.items.length;
  const needed = Math.max(1, n - scale.maxMissing);
  // sum: answered mean × n × multiplier (= the sum × multiplier when complete); mean: answered mean × multiplier.
  const perItem = scale.aggregate === 'sum' ? n * scale.multiplier : scale.multiplier;
  let value = `(${collection}).sum() * ${perItem} / (${collection}).count()`;
  if (scale.rounding === 'half_up') value = `(${value} + 0.5).floor()`;
  let expression = `iif((${collection}).count() >= ${needed}, ${value}, {})`;
  if (scale.gate) {
    const gate = answerOf(scale.gate.item);
    expression = `iif(${gate}.empty(), {}, iif(${gate} = ${scale.gate.value}, ${scale.gate.score}, ${expression}))`;
  }
  return expression;
};

const machineName = (id: string): string =>
  id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
    .replace(/^(\d)/, 'Q$1');

/** What the scoring extension carries: the definition without its items and (when the licence says so) its wording. */
type ScoringRules = Omit<InstrumentDefinition, 'id' | 'version' | 'title' | 'items'>;

/** An instrument as a FHIR R4 Questionnaire. `wording` false (the licence's default) leaves every text out. */
export const toQuestionnaire = (instrument: InstrumentDefinition, wording = instrument.licence.wordingAllowed): Questionnaire => {
  const { id, version, title, items, ...rules } = instrument;
  const carried: Partial<ScoringRules> = { ...rules };
  if (!wording) delete carried.stem;
  const answerItems: QuestionnaireItem[] = items.map((item) => ({
    linkId: item.key,
    prefix: item.key,
    ...(wording && item.text ? { text: item.text } : {}),
    type: 'choice',
    answerOption: item.options.map((option) => {
      const weight = weightOf(item, option.value);
      return {
        valueCoding: { system: ANSWER_SYSTEM, code: String(option.value), ...(option.label ? { display: option.label } : {}) },
        extension: [
          { url: ORDINAL_VALUE, valueDecimal: weight },
          { url: ITEM_WEIGHT, valueDecimal: weight },
        ],
      };
    }),
  }));
  const scoreItems: QuestionnaireItem[] = instrument.scales.map((scale) => {
    const expression = calculatedExpressionFor(instrument, scale);
    return {
      linkId: scoreLinkId(scale.key),
      text: scale.label,
      type: 'decimal',
      readOnly: true,
      extension: [
        { url: SCALE_EXTENSION, valueCode: scale.key },
        ...(expression ? [{ url: CALCULATED_EXPRESSION, valueExpression: { language: 'text/fhirpath', expression, description: scale.source } }] : []),
        ...(scale.reported ? [] : [{ url: HIDDEN, valueBoolean: true }]),
      ],
    };
  });
  return {
    resourceType: 'Questionnaire',
    id,
    url: questionnaireUrl(id),
    version,
    name: machineName(id),
    title,
    status: 'active',
    subjectType: ['Patient'],
    publisher: instrument.licence.holder,
    ...(wording && instrument.stem ? { description: instrument.stem } : {}),
    copyright: instrument.licence.copyrightNotice ?? `${instrument.licence.name}. ${instrument.licence.summary}`,
    extension: [{ url: SCORING_EXTENSION, valueString: JSON.stringify(carried) }],
    item: [...answerItems, ...scoreItems],
  };
};

// ---- Import ----

/** One thing wrong with a Questionnaire, at its place in the resource (`Questionnaire.item[3].answerOption[1]`). */
export type FhirProblem = { path: string; message: string };

export class FhirImportError extends Error {
  readonly problems: FhirProblem[];
  constructor(problems: FhirProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    this.name = 'FhirImportError';
    this.problems = problems;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const arrayAt = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const extensionsOf = (value: Record<string, unknown>): Record<string, unknown>[] => arrayAt(value.extension).filter(isObject);
const extensionValue = (value: Record<string, unknown>, url: string): Record<string, unknown> | undefined => extensionsOf(value).find((e) => e.url === url);

const weightIn = (option: Record<string, unknown>): number | undefined => {
  const coding = isObject(option.valueCoding) ? option.valueCoding : {};
  for (const holder of [option, coding]) {
    for (const url of [ITEM_WEIGHT, ORDINAL_VALUE]) {
      const found = extensionValue(holder, url);
      if (found && typeof found.valueDecimal === 'number') return found.valueDecimal;
    }
  }
  return undefined;
};

type ImportedItem = { item: ItemDefinition; path: string };

const readChoiceItem = (raw: Record<string, unknown>, path: string, problems: FhirProblem[]): ItemDefinition | null => {
  const key = raw.linkId;
  if (typeof key !== 'string' || !/^[A-Za-z0-9_]+$/.test(key)) {
    problems.push({ path: `${path}.linkId`, message: `${JSON.stringify(key ?? null)} must be the item number as printed: letters, digits and underscores only` });
    return null;
  }
  if (raw.type !== 'choice' && raw.type !== 'coding') {
    problems.push({ path: `${path}.type`, message: `item "${key}" is "${String(raw.type)}"; Tandem scores choice items with answer options only` });
    return null;
  }
  const rawOptions = arrayAt(raw.answerOption);
  if (rawOptions.length < 2) {
    problems.push({ path: `${path}.answerOption`, message: `item "${key}" needs at least two answer options (answerValueSet is not supported)` });
    return null;
  }
  const options: { value: number; label?: string; weight: number }[] = [];
  rawOptions.forEach((rawOption, j) => {
    const at = `${path}.answerOption[${j}]`;
    if (!isObject(rawOption)) {
      problems.push({ path: at, message: 'must be an object' });
      return;
    }
    let value: number | undefined;
    let label: string | undefined;
    if (typeof rawOption.valueInteger === 'number') value = rawOption.valueInteger;
    else if (isObject(rawOption.valueCoding)) {
      const code = rawOption.valueCoding.code;
      if (typeof code === 'string' && /^-?\d+$/.test(code)) value = Number(code);
      else {
        problems.push({ path: `${at}.valueCoding.code`, message: `${JSON.stringify(code ?? null)} is not a whole number: the code must be the answer's position on the printed scale` });
        return;
      }
      if (typeof rawOption.valueCoding.display === 'string' && rawOption.valueCoding.display.trim()) label = rawOption.valueCoding.display;
    } else {
      problems.push({ path: at, message: 'must have valueCoding (code = position on the printed scale) or valueInteger' });
      return;
    }
    if (!Number.isSafeInteger(value)) {
      problems.push({ path: at, message: `${value} is not a whole number` });
      return;
    }
    options.push({ value, weight: weightIn(rawOption) ?? value, ...(label ? { label } : {}) });
  });
  if (options.length !== rawOptions.length) return null;
  const values = options.map((o) => o.value);
  if (new Set(values).size !== values.length) {
    problems.push({ path: `${path}.answerOption`, message: `item "${key}" repeats an answer code` });
    return null;
  }
  // Weights are the engine's item scores: the answer itself, or reversed (min + max − answer). Nothing else can be
  // scored by the engine, so other weights are refused rather than silently changed.
  const low = Math.min(...values);
  const high = Math.max(...values);
  const plain = options.every((o) => o.weight === o.value);
  const reversed = !plain && options.every((o) => o.weight === low + high - o.value);
  if (!plain && !reversed) {
    const bad = options.findIndex((o) => o.weight !== o.value && o.weight !== low + high - o.value);
    problems.push({
      path: `${path}.answerOption[${bad < 0 ? 0 : bad}]`,
      message: `item "${key}": weights must equal the codes or reverse them (${low} + ${high} − code); other weights cannot be scored`,
    });
    return null;
  }
  const text = typeof raw.text === 'string' && raw.text.trim() ? raw.text : undefined;
  return {
    key,
    ...(text ? { text } : {}),
    options: options.map(({ value, label }) => ({ value, ...(label ? { label } : {}) })),
    reversed,
  };
};

/** Answerable items in document order; groups are walked, display items and calculated (score) items skipped. */
const readItems = (list: unknown, path: string, problems: FhirProblem[], out: ImportedItem[]): void => {
  arrayAt(list).forEach((raw, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(raw)) {
      problems.push({ path: at, message: 'must be an object' });
      return;
    }
    if (raw.type === 'group') {
      readItems(raw.item, `${at}.item`, problems, out);
      return;
    }
    if (raw.type === 'display') return;
    if (extensionValue(raw, SCALE_EXTENSION) || extensionValue(raw, CALCULATED_EXPRESSION)) return;
    const item = readChoiceItem(raw, at, problems);
    if (item) out.push({ item, path: at });
  });
};

/** A plain sum of every item's weight: what a Questionnaire without Tandem's scoring rules is scored as. */
const defaultRules = (q: Record<string, unknown>, items: ItemDefinition[]): ScoringRules => {
  const min = items.reduce((sum, item) => sum + Math.min(...item.options.map((o) => weightOf(item, o.value))), 0);
  const max = items.reduce((sum, item) => sum + Math.max(...item.options.map((o) => weightOf(item, o.value))), 0);
  const source = `Imported FHIR Questionnaire ${typeof q.url === 'string' ? q.url : String(q.id ?? '')}: sum of item weights`.trim();
  const holder = typeof q.publisher === 'string' && q.publisher.trim() ? q.publisher : 'The organisation that imported it';
  return {
    respondent: 'adult',
    ...(typeof q.description === 'string' && q.description.trim() ? { stem: q.description } : {}),
    scales: [{ key: 'total', label: 'Total', kind: 'items', items: items.map((i) => i.key), aggregate: 'sum', multiplier: 1, maxMissing: 0, rounding: 'none', range: [min, max], improvement: 'lower', reported: true, source }],
    primaryScale: 'total',
    scorableWhen: ['total'],
    bandings: [],
    thresholds: [],
    itemFlags: [],
    invalidWhenFlags: [],
    reliableChange: [],
    licence: {
      name: 'Own instrument',
      holder,
      wordingAllowed: true,
      ...(typeof q.copyright === 'string' && q.copyright.trim() ? { copyrightNotice: q.copyright } : {}),
      summary: 'Imported from a FHIR Questionnaire; the organisation that imported it answers for its rights.',
    },
    citations: [typeof q.url === 'string' && q.url ? q.url : `FHIR Questionnaire "${String(q.title ?? q.name ?? q.id ?? '')}"`],
    notes: ['Imported without Tandem scoring rules: one total, the sum of the item weights; no item may be missing; no bands.'],
  };
};

/** A Zod issue path inside the definition, said as a place in the Questionnaire. */
const placeOf = (issuePath: readonly PropertyKey[], items: ImportedItem[], rulesPath: string | null): string => {
  const [head, index, ...rest] = issuePath;
  if (head === 'items' && typeof index === 'number' && items[index]) {
    return [items[index].path, ...rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('').replace(/\.\[/g, '[');
  }
  if (head === 'id') return 'Questionnaire.id';
  if (head === 'title') return 'Questionnaire.title';
  if (head === 'items') return 'Questionnaire.item';
  const inner = issuePath.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return rulesPath ? `${rulesPath} (scoring rules)${inner}` : `Questionnaire${inner}`;
};

/**
 * A Questionnaire as an instrument definition, validated by the same schema as the built-ins. `id` overrides the
 * Questionnaire's own id (an organisation's copy of a built-in needs a new one). Throws FhirImportError listing every
 * problem with its path in the resource.
 */
export const fromQuestionnaire = (resource: unknown, options: { id?: string | undefined; version?: string } = {}): InstrumentDefinition => {
  const problems: FhirProblem[] = [];
  if (!isObject(resource) || resource.resourceType !== 'Questionnaire') {
    throw new FhirImportError([{ path: 'resourceType', message: 'must be "Questionnaire" (a FHIR R4 Questionnaire resource as JSON)' }]);
  }
  const id = options.id ?? (typeof resource.id === 'string' ? resource.id.toLowerCase() : undefined);
  if (!id) problems.push({ path: 'Questionnaire.id', message: 'is required (or give an id for the instrument)' });
  const title = typeof resource.title === 'string' && resource.title.trim() ? resource.title : typeof resource.name === 'string' ? resource.name : undefined;
  if (!title) problems.push({ path: 'Questionnaire.title', message: 'is required (a title or a name)' });

  const items: ImportedItem[] = [];
  readItems(resource.item, 'Questionnaire.item', problems, items);
  if (items.length === 0 && problems.length === 0) problems.push({ path: 'Questionnaire.item', message: 'has no choice items to score' });

  const extensionIndex = extensionsOf(resource).findIndex((e) => e.url === SCORING_EXTENSION);
  const rulesPath = extensionIndex >= 0 ? `Questionnaire.extension[${extensionIndex}].valueString` : null;
  let rules: unknown = null;
  if (extensionIndex >= 0) {
    const text = extensionsOf(resource)[extensionIndex]?.valueString;
    try {
      rules = typeof text === 'string' ? JSON.parse(text) : null;
    } catch {
      rules = null;
    }
    if (!isObject(rules)) problems.push({ path: rulesPath ?? 'Questionnaire.extension', message: 'the Tandem scoring rules are not a JSON object' });
  }
  if (problems.length > 0) throw new FhirImportError(problems);

  const itemDefinitions = items.map((i) => i.item);
  const candidate = {
    ...(isObject(rules) ? rules : defaultRules(resource, itemDefinitions)),
    id,
    version: options.version ?? (typeof resource.version === 'string' && resource.version ? resource.version : '1'),
    title,
    items: itemDefinitions,
  };
  const parsed = instrumentDefinitionSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new FhirImportError(parsed.error.issues.map((issue: z.core.$ZodIssue) => ({ path: placeOf(issue.path, items, rulesPath), message: issue.message })));
  }
  return parsed.data;
};

// ---- QuestionnaireResponse ----

export type StoredAdministration = {
  id: string;
  instrumentVersion: number | string;
  respondentRef: string;
  subjectRef: string;
  timepoint: string;
  completedOn: string;
  responses: Record<string, number | null>;
  result: Pick<ScoreResult, 'scores' | 'bands' | 'flags' | 'valid' | 'status'>;
};

/**
 * A completed administration as a QuestionnaireResponse of its instrument's Questionnaire: each answered item as the
 * coding of its answer, each stored score as the answer of its scale's calculated item, timepoint and flags as
 * extensions. People are named by the organisation's references only (respondent and, for SDQ, the child).
 */
export const toQuestionnaireResponse = (instrument: InstrumentDefinition, administration: StoredAdministration): QuestionnaireResponse => {
  const answers: ResponseItem[] = instrument.items.flatMap((item) => {
    const value = administration.responses[item.key];
    if (value === null || value === undefined) return [];
    const option = item.options.find((o) => o.value === value);
    return [{ linkId: item.key, answer: [{ valueCoding: { system: ANSWER_SYSTEM, code: String(value), ...(option?.label ? { display: option.label } : {}) } }] }];
  });
  const scores: ResponseItem[] = instrument.scales.flatMap((scale) => {
    const value = administration.result.scores[scale.key];
    if (value === null || value === undefined) return [];
    const band = administration.result.bands[scale.key];
    return [{ linkId: scoreLinkId(scale.key), answer: [{ valueDecimal: value }], ...(band ? { extension: [{ url: BAND_EXTENSION, valueCode: band }] } : {}) }];
  });
  const respondent = { system: `${TANDEM_FHIR}/respondent`, value: administration.respondentRef };
  return {
    resourceType: 'QuestionnaireResponse',
    id: administration.id,
    identifier: { system: `${TANDEM_FHIR}/administration`, value: administration.id },
    questionnaire: `${questionnaireUrl(instrument.id)}|${String(administration.instrumentVersion)}`,
    status: 'completed',
    authored: administration.completedOn,
    subject: administration.subjectRef ? { identifier: { system: `${TANDEM_FHIR}/subject`, value: administration.subjectRef } } : { identifier: respondent },
    source: { identifier: respondent },
    extension: [
      { url: TIMEPOINT_EXTENSION, valueCode: administration.timepoint },
      ...administration.result.flags.map((flag) => ({ url: FLAG_EXTENSION, valueCode: flag })),
    ],
    item: [...answers, ...scores],
  };
};
