import { z } from 'zod';

/*
 * An instrument is data, not code (DESIGN.md: "instruments are data, scoring is a function of
 * (instrument, responses)"). The built-ins are written in TypeScript for type checking and comments,
 * but every one of them must also pass `instrumentDefinitionSchema`, so an organisation can load its
 * own instrument from JSON and the same scoring engine runs it.
 *
 * Conventions the schema encodes (see docs/measures.md):
 * - An item's response value is the position of the answer on the printed scale, e.g. CORE 0 = "Not at
 *   all" … 4 = "Most or all of the time" for every item (issue 4, item 4). Reversal happens in the
 *   engine: item score = (lowest option value + highest option value) − response.
 * - Items that belong to no scale (SDQ duration/burden, PHQ-9 item 10) are accepted but not scored.
 * - Band edges are lower bounds: a score belongs to the last band whose `min` it reaches. A prorated,
 *   non-integer score is banded as it is, never rounded first (CORE-10 10.56 is "low", not "mild",
 *   because Barkham et al. 2013 put the clinical cut-off at 11.0).
 */

const keySchema = z
  .string()
  .regex(/^[A-Za-z0-9_]+$/, 'use letters, digits and underscores only')
  .describe('Stable key: item numbers as printed ("1", "29a", "R1"), scale names in snake_case');

export const responseOptionSchema = z
  .object({
    value: z.number().int().describe('Position of the answer on the printed scale'),
    label: z.string().min(1).optional(),
  })
  .meta({ id: 'InstrumentResponseOption' });

export const itemDefinitionSchema = z
  .object({
    key: keySchema,
    // Wording only where the licence allows it (issue 4 item 2); an organisation with a licence may add it.
    text: z.string().min(1).optional(),
    options: z.array(responseOptionSchema).min(2),
    reversed: z.boolean().describe('Positively worded item: score = min + max − response'),
  })
  .meta({ id: 'InstrumentItem' });

const improvementSchema = z.enum(['lower', 'higher']).describe('Which direction of change is improvement');

const scaleCommon = {
  key: keySchema,
  label: z.string().min(1),
  /** Possible range of the reported score, used for validation, reporting and property tests. */
  range: z.tuple([z.number(), z.number()]),
  improvement: improvementSchema,
  /** false: computed for flags only (e.g. BCAP lie bounds), not printed in `scores`. */
  reported: z.boolean(),
  /** Where the rule comes from (manual, paper, page); every rule must cite its source. */
  source: z.string().min(1),
};

export const itemsScaleSchema = z
  .object({
    ...scaleCommon,
    kind: z.literal('items'),
    items: z.array(keySchema).min(1),
    /*
     * sum: total of item scores; when items are missing and proration is allowed the total is
     *      prorated as mean × number of items (SDQ: floor(0.5 + mean × 5)).
     * mean: mean of answered item scores × multiplier (CORE "clinical score" = mean × 10).
     */
    aggregate: z.enum(['sum', 'mean']),
    multiplier: z.number().positive(),
    /** How many of the scale's items may be missing and the score still given (0 = none). */
    maxMissing: z.number().int().nonnegative(),
    rounding: z.enum(['none', 'half_up']),
    /** Map from item score (after reversal) to the value summed, e.g. SDQ impact 0,1→0; 2→1; 3→2. */
    recode: z.record(z.string(), z.number()).optional(),
    /**
     * A screening item that decides the score: when it has `value` the score is `score` whatever the
     * other items say (SDQ: impact = 0 when item 26 is "No"); when it is missing the score is null.
     */
    gate: z.object({ item: keySchema, value: z.number().int(), score: z.number() }).optional(),
    /**
     * When too many items are missing, the bounds of the score if every missing item had been answered
     * at its lowest or highest. 'reported' prints `<key>_min` and `<key>_max` (BCAP risk); 'internal'
     * only lets thresholds decide a flag when the answer is already certain (BCAP lie, random).
     */
    missingBounds: z.enum(['reported', 'internal']).optional(),
  })
  .meta({ id: 'InstrumentItemsScale' });

export const sumOfScalesSchema = z
  .object({
    ...scaleCommon,
    kind: z.literal('sum_of_scales'),
    /** Null when any component is null (SDQ total difficulties: "counted as missing if one of the component scores is missing"). */
    scales: z.array(keySchema).min(1),
  })
  .meta({ id: 'InstrumentSumOfScales' });

export const lookupScaleSchema = z
  .object({
    ...scaleCommon,
    kind: z.literal('lookup'),
    /** A conversion table from another scale's integer score (SWEMWBS raw → metric). */
    scale: keySchema,
    table: z.record(z.string(), z.number()),
  })
  .meta({ id: 'InstrumentLookupScale' });

export const scaleDefinitionSchema = z.discriminatedUnion('kind', [
  itemsScaleSchema,
  sumOfScalesSchema,
  lookupScaleSchema,
]);

export const bandSchema = z.object({ label: keySchema, min: z.number() });

export const bandingSchema = z
  .object({
    /** Key in ScoreResult.bands, e.g. "total", "emotional_4band". */
    key: keySchema,
    scale: keySchema,
    scheme: z.string().min(1),
    /** Ascending lower bounds; the first band starts at the scale's minimum. */
    bands: z.array(bandSchema).min(1),
    source: z.string().min(1),
  })
  .meta({ id: 'InstrumentBanding' });

export const comparisonSchema = z.enum(['gte', 'gt', 'lte', 'lt']);

export const thresholdSchema = z
  .object({
    key: keySchema,
    scale: keySchema,
    op: comparisonSchema,
    value: z.number(),
    role: z.enum(['clinical_cut_off', 'caseness', 'screening', 'validity', 'retention']),
    /** Whether crossing the threshold raises a flag named `key`. */
    flag: z.boolean(),
    /** Flag raised when missing items leave the answer open (needs `missingBounds` on the scale). */
    indeterminateFlag: keySchema.optional(),
    /** Only raise this flag when all of these flags were raised first (BCAP: retain despite lie). */
    requiresFlags: z.array(keySchema).optional(),
    /** false: a convention in use, not a validated cut-off; reports must say so. */
    validated: z.boolean(),
    source: z.string().min(1),
  })
  .meta({ id: 'InstrumentThreshold' });

export const itemFlagSchema = z
  .object({
    key: keySchema,
    /** Raised when any of these items' response (position on the printed scale) satisfies op/value. */
    items: z.array(keySchema).min(1),
    op: comparisonSchema,
    value: z.number(),
    source: z.string().min(1),
  })
  .meta({ id: 'InstrumentItemFlag' });

export const reliableChangeSchema = z
  .object({
    scale: keySchema,
    /** Smallest change in points that counts as reliable. */
    value: z.number().positive(),
    confidence: z.enum(['90%', '95%']),
    source: z.string().min(1),
  })
  .meta({ id: 'InstrumentReliableChange' });

export const licenceSchema = z
  .object({
    name: z.string().min(1),
    holder: z.string().min(1),
    /** Whether item wording may be shipped in software without a further agreement. */
    wordingAllowed: z.boolean(),
    /** A notice that must be visible wherever the items are shown. */
    copyrightNotice: z.string().min(1).optional(),
    summary: z.string().min(1),
  })
  .meta({ id: 'InstrumentLicence' });

const instrumentObjectSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'),
  version: z.string().min(1),
  title: z.string().min(1),
  /** Instructions / stem shown before the items, where the licence allows. */
  stem: z.string().min(1).optional(),
  respondent: z.enum(['adult', 'parent', 'teacher', 'young_person']),
  recallPeriod: z.string().min(1).optional(),
  items: z.array(itemDefinitionSchema).min(1),
  scales: z.array(scaleDefinitionSchema).min(1),
  /** The headline score (charts, reliable change, alerts). */
  primaryScale: keySchema,
  /** Status is 'scored' only when every one of these scales has a score. */
  scorableWhen: z.array(keySchema).min(1),
  bandings: z.array(bandingSchema),
  thresholds: z.array(thresholdSchema),
  itemFlags: z.array(itemFlagSchema),
  /** Name of the flag raised when any reported score was prorated (CORE-10: "prorated"). */
  prorationFlag: keySchema.optional(),
  /** The protocol is invalid (`valid: false`) when any of these flags is raised (BCAP lie/random). */
  invalidWhenFlags: z.array(keySchema),
  reliableChange: z.array(reliableChangeSchema),
  licence: licenceSchema,
  citations: z.array(z.string().min(1)).min(1),
  /** Decisions taken where sources disagree or are silent; shown in docs and reports. */
  notes: z.array(z.string().min(1)),
});

type InstrumentShape = z.infer<typeof instrumentObjectSchema>;

const duplicates = (keys: string[]): string[] =>
  keys.filter((key, index) => keys.indexOf(key) !== index);

/** Cross-reference checks a JSON definition must pass before the engine can trust it. */
const checkReferences = (def: InstrumentShape, ctx: z.RefinementCtx): void => {
  const issue = (path: (string | number)[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message });
  };
  const itemKeys = new Set(def.items.map((item) => item.key));
  for (const key of duplicates(def.items.map((item) => item.key))) issue(['items'], `duplicate item "${key}"`);
  for (const key of duplicates(def.scales.map((scale) => scale.key))) issue(['scales'], `duplicate scale "${key}"`);
  def.items.forEach((item, i) => {
    const values = item.options.map((option) => option.value);
    if (duplicates(values.map(String)).length > 0) issue(['items', i, 'options'], `item "${item.key}" repeats an option value`);
  });

  // Scales may only refer to scales defined before them, so one pass in order computes them all.
  const seen = new Set<string>();
  def.scales.forEach((scale, i) => {
    if (scale.range[0] > scale.range[1]) issue(['scales', i, 'range'], `scale "${scale.key}" has min above max`);
    if (scale.kind === 'items') {
      for (const key of scale.items) {
        if (!itemKeys.has(key)) issue(['scales', i, 'items'], `scale "${scale.key}" uses unknown item "${key}"`);
      }
      if (scale.maxMissing >= scale.items.length) {
        issue(['scales', i, 'maxMissing'], `scale "${scale.key}" would score with every item missing`);
      }
      if (scale.gate && !itemKeys.has(scale.gate.item)) {
        issue(['scales', i, 'gate'], `scale "${scale.key}" is gated on unknown item "${scale.gate.item}"`);
      }
    } else {
      const refs = scale.kind === 'sum_of_scales' ? scale.scales : [scale.scale];
      for (const ref of refs) {
        if (!seen.has(ref)) issue(['scales', i], `scale "${scale.key}" refers to "${ref}", which is not defined before it`);
      }
    }
    seen.add(scale.key);
  });

  const scaleKeys = seen;
  const checkScale = (path: (string | number)[], key: string): void => {
    if (!scaleKeys.has(key)) issue(path, `unknown scale "${key}"`);
  };
  checkScale(['primaryScale'], def.primaryScale);
  def.scorableWhen.forEach((key, i) => checkScale(['scorableWhen', i], key));
  def.reliableChange.forEach((rc, i) => checkScale(['reliableChange', i, 'scale'], rc.scale));
  for (const key of duplicates(def.bandings.map((banding) => banding.key))) issue(['bandings'], `duplicate banding "${key}"`);
  def.bandings.forEach((banding, i) => {
    checkScale(['bandings', i, 'scale'], banding.scale);
    const scale = def.scales.find((s) => s.key === banding.scale);
    const mins = banding.bands.map((band) => band.min);
    if (mins.some((min, j) => j > 0 && min <= (mins[j - 1] ?? Number.NEGATIVE_INFINITY))) {
      issue(['bandings', i, 'bands'], `banding "${banding.key}" lower bounds must ascend`);
    }
    if (scale && mins[0] !== scale.range[0]) {
      issue(['bandings', i, 'bands'], `banding "${banding.key}" must start at the scale minimum ${scale.range[0]}`);
    }
  });

  const flagsSoFar = new Set<string>();
  def.thresholds.forEach((threshold, i) => {
    checkScale(['thresholds', i, 'scale'], threshold.scale);
    for (const required of threshold.requiresFlags ?? []) {
      if (!flagsSoFar.has(required)) issue(['thresholds', i, 'requiresFlags'], `flag "${required}" must be defined before "${threshold.key}"`);
    }
    const scale = def.scales.find((s) => s.key === threshold.scale);
    if (threshold.indeterminateFlag && !(scale?.kind === 'items' && scale.missingBounds)) {
      issue(['thresholds', i, 'indeterminateFlag'], `scale "${threshold.scale}" has no missingBounds to be indeterminate about`);
    }
    if (threshold.flag) flagsSoFar.add(threshold.key);
    if (threshold.indeterminateFlag) flagsSoFar.add(threshold.indeterminateFlag);
  });
  def.itemFlags.forEach((flag, i) => {
    for (const key of flag.items) if (!itemKeys.has(key)) issue(['itemFlags', i, 'items'], `unknown item "${key}"`);
    flagsSoFar.add(flag.key);
  });
  if (def.prorationFlag) flagsSoFar.add(def.prorationFlag);
  def.invalidWhenFlags.forEach((key, i) => {
    if (!flagsSoFar.has(key)) issue(['invalidWhenFlags', i], `unknown flag "${key}"`);
  });
};

/** Validates an instrument definition, e.g. one an organisation loads from JSON. */
export const instrumentDefinitionSchema = instrumentObjectSchema
  .superRefine(checkReferences)
  .meta({ id: 'InstrumentDefinition', description: 'A versioned, scorable outcome instrument' });

export type InstrumentDefinition = z.infer<typeof instrumentDefinitionSchema>;
export type ItemDefinition = z.infer<typeof itemDefinitionSchema>;
export type ResponseOption = z.infer<typeof responseOptionSchema>;
export type ScaleDefinition = z.infer<typeof scaleDefinitionSchema>;
export type ItemsScale = z.infer<typeof itemsScaleSchema>;
export type Banding = z.infer<typeof bandingSchema>;
export type Threshold = z.infer<typeof thresholdSchema>;
export type ItemFlag = z.infer<typeof itemFlagSchema>;
export type Comparison = z.infer<typeof comparisonSchema>;
