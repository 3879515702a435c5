import type { z } from 'zod';
import type { InstrumentLicenceBody, InstrumentLicenceState, InstrumentSummary, instrumentLicenceResult } from '../../../shared/contracts/measures.ts';
import { can } from '../../../shared/permissions.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { caseForQuestionnaires } from '../cases/index.ts';
import { FhirImportError, fromQuestionnaire, toQuestionnaire, toQuestionnaireResponse, type Questionnaire, type QuestionnaireResponse } from './fhir.ts';
import { builtInInstruments, getBuiltInInstrument, instrumentDefinitionSchema, type InstrumentDefinition } from './instruments/index.ts';
import { entryFormFor, licenceProblems, takesLicensedWording, takesScoringKey, type EntryForm, type KeyEntry, type LicensedContent, type LicensedWording } from './licensed-form.ts';

/*
 * The instrument library of an organisation: the built-ins, and its own instruments (migration 0013), versioned. An
 * own instrument is validated by the same schema as the built-ins and scored by the same engine. Built-in ids are
 * reserved, so an id always means one thing inside an organisation.
 */

const orgOf = (actor: Actor): string => {
  if (!actor.organisationId) throw new AppError('forbidden', 'Choose an organisation first');
  return actor.organisationId;
};

/** The definition as stored, checked again on the way out: a row that no longer validates is not scored from. */
const storedDefinition = (definition: unknown, instrumentId: string, version: number): InstrumentDefinition => {
  const parsed = instrumentDefinitionSchema.safeParse(definition);
  if (!parsed.success) throw new AppError('internal', `Stored instrument ${instrumentId} version ${version} no longer validates`);
  return parsed.data;
};

/**
 * A built-in instrument, or the organisation's own (its latest version, or the version asked for). Built-ins have one
 * version each; asking for another is "not found".
 */
export const resolveInstrument = async (trx: Trx, organisationId: string, instrumentId: string, version?: number): Promise<InstrumentDefinition | undefined> => {
  const builtIn = getBuiltInInstrument(instrumentId);
  if (builtIn) return version === undefined || String(version) === builtIn.version ? builtIn : undefined;
  let query = trx
    .selectFrom('organisationInstrument')
    .select(['definition', 'version'])
    .where('organisationId', '=', organisationId)
    .where('instrumentId', '=', instrumentId);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  return row ? storedDefinition(row.definition, instrumentId, row.version) : undefined;
};

/** The latest version of each of the organisation's own instruments. */
export const ownInstruments = async (trx: Trx, organisationId: string): Promise<InstrumentDefinition[]> => {
  const rows = await trx
    .selectFrom('organisationInstrument')
    .select(['instrumentId', 'version', 'definition'])
    .where('organisationId', '=', organisationId)
    .orderBy('instrumentId')
    .orderBy('version', 'desc')
    .execute();
  const latest = new Map<string, InstrumentDefinition>();
  for (const row of rows) if (!latest.has(row.instrumentId)) latest.set(row.instrumentId, storedDefinition(row.definition, row.instrumentId, row.version));
  return [...latest.values()];
};

export const listInstruments = async (db: Db, actor: Actor): Promise<InstrumentSummary[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const own = await ownInstruments(trx, organisationId);
    const licences = await trx.selectFrom('instrumentLicence').select(['instrumentId', 'wording', 'scoringKey']).where('organisationId', '=', organisationId).execute();
    const summary = (instrument: InstrumentDefinition, origin: 'built_in' | 'own'): InstrumentSummary => {
      const licence = licences.find((l) => l.instrumentId === instrument.id);
      return {
        instrumentId: instrument.id,
        title: instrument.title,
        origin,
        version: instrument.version,
        itemCount: instrument.items.length,
        wordingAllowed: instrument.licence.wordingAllowed,
        licensedWording: Boolean(licence?.wording),
        licensedKey: Boolean(licence?.scoringKey),
      };
    };
    return [...builtInInstruments.map((i) => summary(i, 'built_in')), ...own.map((i) => summary(i, 'own'))];
  });

/** JSON with keys in a fixed order, so a definition read back from jsonb compares equal to the one imported. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

const withoutVersion = ({ version: _version, ...rest }: InstrumentDefinition): Omit<InstrumentDefinition, 'version'> => rest;

export type ImportedInstrument = { instrumentId: string; version: number; created: boolean; title: string; itemCount: number; scales: string[] };

/**
 * Imports a FHIR Questionnaire as the organisation's own instrument. A new id starts at version 1; a changed
 * definition becomes the next version (administrations keep the version they were scored with); the same definition
 * again stores nothing.
 */
export const importQuestionnaire = async (db: Db, actor: Actor, resource: unknown, options: { id?: string | undefined }): Promise<ImportedInstrument> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    let definition: InstrumentDefinition;
    try {
      definition = fromQuestionnaire(resource, { id: options.id });
    } catch (error) {
      if (!(error instanceof FhirImportError)) throw error;
      throw new AppError('bad_request', `The Questionnaire was not imported: ${error.message}`, { fields: error.problems });
    }
    if (getBuiltInInstrument(definition.id)) {
      const path = options.id ? 'query.id' : 'Questionnaire.id';
      throw new AppError('bad_request', `${path}: "${definition.id}" is a built-in instrument; import it under another id (id=…)`, {
        fields: [{ path, message: `"${definition.id}" is a built-in instrument; import it under another id` }],
      });
    }
    const latest = await trx
      .selectFrom('organisationInstrument')
      .select(['version', 'definition'])
      .where('organisationId', '=', organisationId)
      .where('instrumentId', '=', definition.id)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const summary = (version: number, created: boolean): ImportedInstrument => ({
      instrumentId: definition.id,
      version,
      created,
      title: definition.title,
      itemCount: definition.items.length,
      scales: definition.scales.filter((s) => s.reported).map((s) => s.key),
    });
    if (latest && canonical(withoutVersion(storedDefinition(latest.definition, definition.id, latest.version))) === canonical(withoutVersion(definition))) {
      return summary(latest.version, false);
    }
    const version = (latest?.version ?? 0) + 1;
    const stored: InstrumentDefinition = { ...definition, version: String(version) };
    const inserted = await trx
      .insertInto('organisationInstrument')
      .values({ organisationId, instrumentId: definition.id, version, definition: JSON.stringify(stored), createdBy: actor.userId })
      .onConflict((oc) => oc.columns(['organisationId', 'instrumentId', 'version']).doNothing())
      .returning('version')
      .executeTakeFirst();
    if (!inserted) throw new AppError('conflict', `Someone else imported ${definition.id} at the same moment; reload and try again`);
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'import:instrument',
      entityType: 'organisation_instrument',
      entityId: null,
      ip: actor.ip,
      detail: { instrumentId: definition.id, version, via: 'fhir', items: definition.items.length },
    });
    return summary(version, true);
  });

/** An instrument as a FHIR Questionnaire: the built-ins under their licences, the organisation's own as stored. */
export const exportQuestionnaire = async (db: Db, actor: Actor, instrumentId: string, version?: number): Promise<Questionnaire> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const instrument = await resolveInstrument(trx, orgOf(actor), instrumentId, version);
    if (!instrument) throw notFound('Instrument');
    // Licensed wording (instrument_licence) is never part of the definition, so it cannot reach an export.
    return toQuestionnaire(instrument);
  });

/**
 * A completed administration as a FHIR QuestionnaireResponse. Answers are personal data: the same visibility as the
 * case it belongs to (administrations without a case, from imports, only for managers), and audited.
 */
export const exportAdministrationResponse = async (db: Db, actor: Actor, administrationId: string): Promise<QuestionnaireResponse> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const row = await trx
      .selectFrom('administration')
      .innerJoin('respondent', 'respondent.id', 'administration.respondentId')
      .select([
        'administration.id',
        'administration.caseId',
        'administration.instrumentId',
        'administration.instrumentVersion',
        'administration.subjectRef',
        'administration.timepoint',
        'administration.completedOn',
        'administration.responses',
        'administration.status',
        'administration.scores',
        'administration.bands',
        'administration.flags',
        'administration.valid',
        'respondent.externalRef',
      ])
      .where('administration.organisationId', '=', organisationId)
      .where('administration.id', '=', administrationId)
      .executeTakeFirst();
    if (!row) throw notFound('Administration');
    if (row.caseId) await caseForQuestionnaires(trx, actor, row.caseId);
    else if (!can(actor.role, 'allocate:case')) throw notFound('Administration');
    const instrument = await resolveInstrument(trx, organisationId, row.instrumentId, row.instrumentVersion);
    if (!instrument) throw new AppError('internal', `Instrument ${row.instrumentId} version ${row.instrumentVersion} is not known`);
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'export:administration',
      entityType: 'administration',
      entityId: row.id,
      ip: actor.ip,
      detail: { format: 'fhir:QuestionnaireResponse', instrument: row.instrumentId, caseId: row.caseId },
    });
    return toQuestionnaireResponse(instrument, {
      id: row.id,
      instrumentVersion: row.instrumentVersion,
      respondentRef: row.externalRef,
      subjectRef: row.subjectRef,
      timepoint: row.timepoint,
      completedOn: row.completedOn,
      responses: row.responses,
      result: { status: row.status, scores: row.scores, bands: row.bands, flags: row.flags, valid: row.valid },
    });
  });

/** Every instrument the organisation can give now: the built-ins and the latest version of its own, by id. */
export const instrumentLibrary = async (trx: Trx, organisationId: string): Promise<ReadonlyMap<string, InstrumentDefinition>> => {
  const library = new Map<string, InstrumentDefinition>(builtInInstruments.map((i) => [i.id, i]));
  for (const own of await ownInstruments(trx, organisationId)) if (!library.has(own.id)) library.set(own.id, own);
  return library;
};

// ---- Licensed wording and the BCAP key ----

/** The organisation's licensed wording and key for an instrument, or null. */
export const licenceOf = async (trx: Trx, organisationId: string, instrumentId: string): Promise<LicensedContent | null> => {
  const row = await trx.selectFrom('instrumentLicence').select(['wording', 'scoringKey']).where('organisationId', '=', organisationId).where('instrumentId', '=', instrumentId).executeTakeFirst();
  return row ? { wording: (row.wording as LicensedWording | null) ?? null, scoringKey: (row.scoringKey as KeyEntry[] | null) ?? null } : null;
};

/** What staff and parents of this organisation see and key for the instrument (licensed wording, the BCAP form). */
export const entryFormOf = async (trx: Trx, organisationId: string, instrument: InstrumentDefinition): Promise<EntryForm> =>
  entryFormFor(instrument, takesLicensedWording(instrument) ? await licenceOf(trx, organisationId, instrument.id) : null);

/**
 * Stores (or replaces) the organisation's licensed wording and key for a built-in instrument. Checked whole first;
 * audited without the wording itself.
 */
export const setInstrumentLicence = async (db: Db, actor: Actor, instrumentId: string, body: InstrumentLicenceBody): Promise<z.infer<typeof instrumentLicenceResult>> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const instrument = getBuiltInInstrument(instrumentId);
    if (!instrument) throw notFound('Instrument');
    const content: LicensedContent = {
      wording: body.wording ? { ...(body.wording.stem ? { stem: body.wording.stem } : {}), items: body.wording.items } : null,
      scoringKey: body.scoringKey ?? null,
    };
    const problems = licenceProblems(instrument, content);
    if (problems.length > 0) throw new AppError('bad_request', `Nothing was stored: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { fields: problems });
    const existing = await trx.selectFrom('instrumentLicence').select('version').where('organisationId', '=', organisationId).where('instrumentId', '=', instrumentId).executeTakeFirst();
    if (existing && body.version !== undefined && body.version !== existing.version) throw staleVersion('The licensed wording');
    const values = {
      licenceReference: body.licenceReference,
      wording: content.wording ? JSON.stringify(content.wording) : null,
      scoringKey: content.scoringKey ? JSON.stringify(content.scoringKey) : null,
      updatedBy: actor.userId,
      updatedAt: new Date(),
    };
    const saved = existing
      ? await trx
          .updateTable('instrumentLicence')
          .set({ ...values, version: existing.version + 1 })
          .where('organisationId', '=', organisationId)
          .where('instrumentId', '=', instrumentId)
          .where('version', '=', existing.version)
          .returning('version')
          .executeTakeFirst()
      : await trx
          .insertInto('instrumentLicence')
          .values({ organisationId, instrumentId, ...values })
          .onConflict((oc) => oc.columns(['organisationId', 'instrumentId']).doNothing())
          .returning('version')
          .executeTakeFirst();
    if (!saved) throw staleVersion('The licensed wording');
    const detail = { instrumentId, licenceReference: body.licenceReference, wordingItems: Object.keys(content.wording?.items ?? {}).length, keyEntries: content.scoringKey?.length ?? 0 };
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'update:instrument_licence', entityType: 'instrument_licence', entityId: null, ip: actor.ip, detail });
    return { ...detail, version: saved.version };
  });

/** The licensed wording and key the organisation has loaded for an instrument (or none), for the page that replaces them. */
export const instrumentLicenceState = async (db: Db, actor: Actor, instrumentId: string): Promise<InstrumentLicenceState> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const instrument = getBuiltInInstrument(instrumentId);
    if (!instrument || !takesLicensedWording(instrument)) throw notFound('Instrument');
    const row = await trx
      .selectFrom('instrumentLicence')
      .select(['licenceReference', 'wording', 'scoringKey', 'version'])
      .where('organisationId', '=', organisationId)
      .where('instrumentId', '=', instrumentId)
      .executeTakeFirst();
    return {
      instrumentId,
      title: instrument.title,
      itemKeys: instrument.items.map((item) => item.key),
      takesKey: takesScoringKey(instrument),
      loaded: row
        ? { licenceReference: row.licenceReference, wording: (row.wording as LicensedWording | null) ?? null, scoringKey: (row.scoringKey as KeyEntry[] | null) ?? null, version: row.version }
        : null,
    };
  });
