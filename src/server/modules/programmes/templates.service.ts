import { sql } from 'kysely';
import type { z } from 'zod';
import type { programmeTemplate, templateBody } from '../../../shared/contracts/programmes.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { orgOf } from './group-access.ts';

export type ProgrammeTemplate = z.infer<typeof programmeTemplate>;

const templateColumnNames = [
  'id',
  'name',
  'kind',
  'description',
  'eligibility',
  'facilitatorRule',
  'offersCoupleWork',
  'acceptsReferrals',
  'version',
  'sessionCount',
  'sessionMinutes',
  'frequency',
  'curriculum',
  'capacity',
  'capacityUnit',
  'creche',
  'completionMinSessions',
  'attendanceStatuses',
  'copiedFrom',
] as const;

/** For this module's services, in their transaction. */
export const loadTemplate = async (trx: Trx, organisationId: string, programmeId: string): Promise<ProgrammeTemplate> => {
  const row = await trx.selectFrom('programme').select(templateColumnNames).where('organisationId', '=', organisationId).where('id', '=', programmeId).executeTakeFirst();
  if (!row) throw notFound('Programme');
  return row;
};

export const getTemplate = async (db: Db, actor: Actor, programmeId: string): Promise<ProgrammeTemplate> =>
  inScope(db, scopeOf(actor), (trx) => loadTemplate(trx, orgOf(actor), programmeId));

/** A manager's own copy of a programme (often a built-in one) to adjust; the original is left as it was. */
export const copyProgramme = async (db: Db, actor: Actor, programmeId: string, name: string): Promise<ProgrammeTemplate> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const source = await loadTemplate(trx, organisationId, programmeId);
    const taken = await trx.selectFrom('programme').select('id').where('organisationId', '=', organisationId).where('name', '=', name).executeTakeFirst();
    if (taken) throw new AppError('bad_request', 'body.name: another programme already has this name', { fields: [{ path: 'body.name', message: 'another programme already has this name' }] });
    const created = await trx
      .insertInto('programme')
      .values({
        organisationId,
        name,
        kind: source.kind,
        description: source.description,
        eligibility: JSON.stringify(source.eligibility),
        facilitatorRule: source.facilitatorRule,
        offersCoupleWork: source.offersCoupleWork,
        // A copy is a draft: it takes referrals once the manager says so.
        acceptsReferrals: false,
        sessionCount: source.sessionCount,
        sessionMinutes: source.sessionMinutes,
        frequency: source.frequency,
        curriculum: JSON.stringify(source.curriculum),
        capacity: source.capacity,
        capacityUnit: source.capacityUnit,
        creche: source.creche,
        completionMinSessions: source.completionMinSessions,
        attendanceStatuses: JSON.stringify(source.attendanceStatuses),
        copiedFrom: source.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'create:programme', entityType: 'programme', entityId: created.id, ip: actor.ip, detail: { copiedFrom: source.id } });
    return loadTemplate(trx, organisationId, created.id);
  });

/**
 * Adjusts a template. Groups already planned keep the sessions they were given; the attendance labels apply to
 * every group of the programme at once, which is safe because marks are stored with their fixed meaning.
 */
export const updateTemplate = async (db: Db, actor: Actor, programmeId: string, body: z.infer<typeof templateBody>): Promise<ProgrammeTemplate> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const current = await loadTemplate(trx, organisationId, programmeId);
    if (current.version !== body.version) throw staleVersion('This programme');
    if (body.name !== current.name) {
      const taken = await trx.selectFrom('programme').select('id').where('organisationId', '=', organisationId).where('name', '=', body.name).executeTakeFirst();
      if (taken) throw new AppError('bad_request', 'body.name: another programme already has this name', { fields: [{ path: 'body.name', message: 'another programme already has this name' }] });
    }
    const updated = await trx
      .updateTable('programme')
      .set({
        name: body.name,
        description: body.description,
        eligibility: JSON.stringify(body.eligibility),
        facilitatorRule: body.facilitatorRule,
        offersCoupleWork: body.offersCoupleWork,
        acceptsReferrals: body.acceptsReferrals,
        sessionCount: body.sessionCount,
        sessionMinutes: body.sessionMinutes,
        frequency: body.frequency,
        curriculum: JSON.stringify(body.curriculum),
        capacity: body.capacity,
        capacityUnit: body.capacityUnit,
        creche: body.creche,
        completionMinSessions: body.completionMinSessions,
        attendanceStatuses: JSON.stringify(body.attendanceStatuses),
        version: sql<number>`version + 1`,
      })
      .where('id', '=', programmeId)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This programme');
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'update:programme', entityType: 'programme', entityId: programmeId, ip: actor.ip, detail: { sessionCount: body.sessionCount } });
    return loadTemplate(trx, organisationId, programmeId);
  });
