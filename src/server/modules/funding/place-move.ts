import { sql } from 'kysely';
import type { z } from 'zod';
import type { moveFamilyBody, familyMove } from '../../../shared/contracts/funding.ts';
import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { placementDoses } from '../programmes/index.ts';
import { checkPlacedFamily } from './applications-start.ts';
import { orgOf } from './funding-access.ts';
import { freePlace } from './places.service.ts';

/**
 * Moves a placed family to another place on its group: from an unfunded place into a contract's place, from one
 * contract's place to another's (one agency's block to a partner's), or out to an unfunded place. The place left is
 * freed as a withdrawal on that day would free it — refundable before the refund point, late from the re-fill point —
 * so invoices and credit notes follow from the places' states as for any withdrawal; the place taken is filled from
 * then on. Both occupancies stay (the history), the move is audited, and a place under a contract that requires
 * participant applications is taken only with an approved one. All in one transaction: a refusal writes nothing.
 */
export const moveFamily = async (db: Db, actor: Actor, placementId: string, body: z.infer<typeof moveFamilyBody>): Promise<z.infer<typeof familyMove>> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const placement = (await placementDoses(trx, organisationId, [placementId])).get(placementId);
    if (!placement) throw notFound('Placement');
    if (placement.status !== 'placed') throw new AppError('conflict', 'A family that has withdrawn holds no place to move');
    const current = await trx
      .selectFrom('placeOccupancy')
      .innerJoin('groupPlace', 'groupPlace.id', 'placeOccupancy.groupPlaceId')
      .select(['groupPlace.id', 'groupPlace.contractId', 'groupPlace.number'])
      .where('placeOccupancy.organisationId', '=', organisationId)
      .where('placeOccupancy.placementId', '=', placementId)
      .where('placeOccupancy.freedOn', 'is', null)
      .executeTakeFirst();
    if (body.toPlaceId === null && !current) throw badField('body.toPlaceId', 'the family is already in an unfunded place');
    if (body.toPlaceId !== null && current?.id === body.toPlaceId) throw badField('body.toPlaceId', 'the family is already in this place');
    const target =
      body.toPlaceId === null
        ? null
        : await trx
            .selectFrom('groupPlace')
            .innerJoin('contract', 'contract.id', 'groupPlace.contractId')
            .select(['groupPlace.id', 'groupPlace.groupId', 'groupPlace.status', 'groupPlace.freedLate', 'groupPlace.number', 'groupPlace.contractId', 'contract.reference', 'contract.status as contractStatus'])
            .where('groupPlace.organisationId', '=', organisationId)
            .where('groupPlace.id', '=', body.toPlaceId)
            .forUpdate()
            .executeTakeFirst();
    if (body.toPlaceId !== null) {
      if (!target) throw notFound('Place');
      if (target.groupId !== placement.groupId) throw badField('body.toPlaceId', "is a place on another group: a family moves between places on its own group");
      if (target.contractStatus !== 'active') throw badField('body.toPlaceId', `contract ${target.reference} is not active`);
      if (target.status === 'filled') throw new AppError('conflict', `Place ${target.number} under ${target.reference} is taken`);
      if (target.freedLate) throw badField('body.toPlaceId', `place ${target.number} under ${target.reference} was freed late and cannot be re-filled`);
    }
    if (current) await freePlace(trx, { organisationId, groupId: placement.groupId, placementId, caseId: placement.caseId, userId: actor.userId, on: body.on });
    if (target) {
      await trx.insertInto('placeOccupancy').values({ organisationId, groupPlaceId: target.id, placementId }).execute();
      await trx
        .updateTable('groupPlace')
        .set({ status: 'filled', everFilled: true, freedOn: null, freedLate: false, refundable: false, atRisk: false, sessionsAttended: 0, version: sql<number>`version + 1` })
        .where('id', '=', target.id)
        .execute();
      await trx.updateTable('vacancyClaim').set({ status: 'filled' }).where('groupPlaceId', '=', target.id).where('status', '=', 'claimed').execute();
      await checkPlacedFamily(trx, { organisationId, placementId, caseId: placement.caseId, groupId: placement.groupId });
    }
    const move = { from: current ? { placeId: current.id, contractId: current.contractId, number: current.number } : null, to: target ? { placeId: target.id, contractId: target.contractId, number: target.number } : null, on: body.on };
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'move:place', entityType: 'placement', entityId: placementId, ip: actor.ip, detail: move });
    return { placementId, ...move };
  });
