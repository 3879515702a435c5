import { sql } from 'kysely';
import type { z } from 'zod';
import type { raiseSessionConcernBody, saveSessionRecordBody, sessionRecord } from '../../../shared/contracts/session-records.ts';
import { can } from '../../../shared/permissions.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, staleVersion, type FieldProblem } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { caseLabels, flagStatuses, raiseSessionConcern } from '../cases/index.ts';
import { adherence, checklistOf } from './fidelity.ts';
import { loadSession, orgOf, type GroupRow } from './group-access.ts';

type SessionRecord = z.infer<typeof sessionRecord>;
type SessionRow = Awaited<ReturnType<typeof loadSession>>['session'];

const today = (): string => new Date().toISOString().slice(0, 10);

/** Families in the group on the session's day (placed, or withdrawn after it): those a concern may be about. */
const familiesOn = async (trx: Trx, organisationId: string, groupId: string, onDate: string) => {
  const placements = await trx
    .selectFrom('placement')
    .select(['caseId'])
    .where('organisationId', '=', organisationId)
    .where('groupId', '=', groupId)
    .where((eb) => eb.or([eb('status', '=', 'placed'), eb('withdrawnOn', '>', onDate)]))
    .orderBy('placedAt')
    .execute();
  const labels = await caseLabels(trx, organisationId, placements.map((p) => p.caseId));
  return placements.map((p) => ({ caseId: p.caseId, familyLabel: labels.get(p.caseId)?.familyLabel ?? '' }));
};

const buildRecord = async (trx: Trx, organisationId: string, actor: Actor, group: GroupRow, session: SessionRow): Promise<SessionRecord> => {
  const row = await trx
    .selectFrom('sessionRecord')
    .leftJoin('appUser', 'appUser.id', 'sessionRecord.updatedBy')
    .select(['sessionRecord.fidelity', 'sessionRecord.notes', 'sessionRecord.updatedAt', 'sessionRecord.version', 'appUser.name as updatedByName'])
    .where('sessionRecord.sessionId', '=', session.id)
    .executeTakeFirst();
  const checklist = checklistOf(session);
  const items = checklist.map((item) => {
    const rated = row?.fidelity.find((f) => f.key === item.key);
    return { ...item, status: rated?.status ?? null, note: rated?.note ?? '' };
  });
  const families = await familiesOn(trx, organisationId, group.id, session.onDate);
  const concerns = await trx
    .selectFrom('sessionConcern')
    .leftJoin('appUser', 'appUser.id', 'sessionConcern.raisedBy')
    .select(['sessionConcern.id', 'sessionConcern.flagId', 'sessionConcern.caseId', 'sessionConcern.raisedAt', 'appUser.name'])
    .where('sessionConcern.sessionId', '=', session.id)
    .orderBy('sessionConcern.raisedAt')
    .execute();
  const flags = await flagStatuses(trx, organisationId, concerns.map((c) => c.flagId));
  const labels = await caseLabels(trx, organisationId, concerns.map((c) => c.caseId));
  // The concern's words are safeguarding information: only those who decide on flags read them here.
  const readsReasons = can(actor.role, 'view:safeguarding');
  return {
    sessionId: session.id,
    groupId: group.id,
    groupName: group.name,
    number: session.number,
    onDate: session.onDate,
    strand: session.strand,
    topic: session.topic,
    items,
    adherence: adherence(items.map((i) => i.status)),
    notes: row?.notes ?? '',
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedBy: row?.updatedByName ?? null,
    version: row?.version ?? 0,
    families,
    concerns: concerns.map((c) => ({
      id: c.id,
      flagId: c.flagId,
      caseId: c.caseId,
      familyLabel: labels.get(c.caseId)?.familyLabel ?? '',
      raisedBy: c.name ?? '',
      raisedAt: c.raisedAt.toISOString(),
      flagStatus: flags.get(c.flagId)?.status ?? 'open',
      reason: readsReasons ? (flags.get(c.flagId)?.reason ?? null) : null,
    })),
  };
};

const audited = async (trx: Trx, actor: Actor, organisationId: string, record: SessionRecord): Promise<SessionRecord> => {
  await recordAudit(trx, {
    organisationId,
    actorUserId: actor.userId,
    action: 'view:session_record',
    entityType: 'session',
    entityId: record.sessionId,
    ip: actor.ip,
    detail: { groupId: record.groupId, concerns: record.concerns.length },
  });
  return record;
};

export const getSessionRecord = async (db: Db, actor: Actor, sessionId: string): Promise<SessionRecord> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group } = await loadSession(trx, actor, sessionId);
    return audited(trx, actor, organisationId, await buildRecord(trx, organisationId, actor, group, session));
  });

const assertStarted = (session: SessionRow, path: string): void => {
  if (session.onDate > today()) throw badField(path, `the session is on ${session.onDate}; it is recorded on or after the day`);
};

/**
 * Saves the fidelity checklist and the notes as a whole with the record's version (0 for the first save): two
 * facilitators writing up the same session cannot overwrite each other silently.
 */
export const saveSessionRecord = async (db: Db, actor: Actor, sessionId: string, body: z.infer<typeof saveSessionRecordBody>): Promise<SessionRecord> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group } = await loadSession(trx, actor, sessionId);
    assertStarted(session, 'body.items');
    const keys = new Set(checklistOf(session).map((i) => i.key));
    const problems: FieldProblem[] = [];
    body.items.forEach((item, i) => {
      if (!keys.has(item.key)) problems.push({ path: `body.items.${i}.key`, message: `is not on this session's checklist (${[...keys].join(', ')})` });
    });
    if (problems.length > 0) throw new AppError('bad_request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { fields: problems });
    const fidelity = JSON.stringify(body.items);
    if (body.version === 0) {
      const inserted = await trx
        .insertInto('sessionRecord')
        .values({ sessionId, organisationId, fidelity, notes: body.notes, updatedBy: actor.userId })
        .onConflict((oc) => oc.column('sessionId').doNothing())
        .returning('sessionId')
        .executeTakeFirst();
      if (!inserted) throw staleVersion('This session record');
    } else {
      const updated = await trx
        .updateTable('sessionRecord')
        .set({ fidelity, notes: body.notes, updatedBy: actor.userId, updatedAt: new Date(), version: sql<number>`version + 1` })
        .where('sessionId', '=', sessionId)
        .where('version', '=', body.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This session record');
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'record:session_record',
      entityType: 'session',
      entityId: sessionId,
      ip: actor.ip,
      detail: { groupId: group.id, items: body.items.length },
    });
    return buildRecord(trx, organisationId, actor, group, session);
  });

/**
 * A safeguarding concern about a family in the session: raised as a flag through the cases module (the family is
 * marked, the case worker and managers told, a manager records the decision), and linked to this session.
 */
export const raiseConcern = async (db: Db, actor: Actor, sessionId: string, body: z.infer<typeof raiseSessionConcernBody>): Promise<SessionRecord> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { session, group } = await loadSession(trx, actor, sessionId);
    assertStarted(session, 'body.caseId');
    const families = await familiesOn(trx, organisationId, group.id, session.onDate);
    if (!families.some((f) => f.caseId === body.caseId)) throw badField('body.caseId', 'is not a family in this group on the day of the session');
    const { flagId } = await raiseSessionConcern(trx, {
      organisationId,
      caseId: body.caseId,
      reason: body.reason,
      sessionLabel: `session ${session.number} of ${group.name}`,
      raisedBy: actor.userId,
      ip: actor.ip,
    });
    await trx.insertInto('sessionConcern').values({ organisationId, sessionId, flagId, caseId: body.caseId, raisedBy: actor.userId }).execute();
    return audited(trx, actor, organisationId, await buildRecord(trx, organisationId, actor, group, session));
  });
