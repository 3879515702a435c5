import type { Trx } from '../../db.ts';
import { badField } from '../../platform/http/app-error.ts';
import { familyOfCase } from '../cases/index.ts';
import { groupFacts } from '../programmes/index.ts';
import { startProblem } from './applications-rules.ts';
import { placeFunding } from './place-funding.ts';

/**
 * The check that stops a funded family starting without an approved application in its own name. A family is
 * "funded" here when its placement fills a place bought under a contract that requires participant applications
 * (the Adoption Support Fund model). The application must be to that contract's funder, for the group's programme,
 * and in the family's name: a family application, or one for a child of the family. Runs in the caller's
 * transaction, so a refusal undoes the placement (or the filling of the place) with it.
 */
export const assertParticipantApplication = async (
  trx: Trx,
  input: { organisationId: string; placementId: string; familyId: string; familyLabel: string; programmeId: string | null; field: string },
): Promise<void> => {
  const funding = await placeFunding(trx, input.placementId);
  if (!funding?.requiresParticipantApplications) return;
  const own = await trx
    .selectFrom('fundApplication')
    .select(['status', 'funderId', 'programmeId'])
    .where('organisationId', '=', input.organisationId)
    .where('familyId', '=', input.familyId)
    .where('funderId', '=', funding.funderId)
    .execute();
  const label = /family$/i.test(input.familyLabel) ? `the ${input.familyLabel}` : input.familyLabel;
  const problem = startProblem(own, { funderId: funding.funderId, funderName: funding.funderName, programmeId: input.programmeId }, label);
  if (problem) throw badField(input.field, `${problem}; a funded family starts only once the fund has approved it`);
};

/**
 * The placement listener: programmes tells the modules that react to a placement, in order; funding's own listener
 * has taken a bought place by then (see applications.routes.ts for the order).
 */
export const checkPlacedFamily = async (trx: Trx, event: { organisationId: string; placementId: string; caseId: string; groupId: string }): Promise<void> => {
  const family = await familyOfCase(trx, event.organisationId, event.caseId);
  if (!family) return;
  // The service delivered is the group's programme, whatever the case was referred for: a family referred for one
  // programme can be placed on another's group, and the fund approved a named service.
  const [group] = await groupFacts(trx, event.organisationId, [event.groupId]);
  if (!group) throw new Error(`checkPlacedFamily: group ${event.groupId} not found in the placement's organisation`);
  const programmeId = group.programmeId;
  await assertParticipantApplication(trx, { organisationId: event.organisationId, placementId: event.placementId, familyId: family.familyId, familyLabel: family.familyLabel, programmeId, field: 'body.caseId' });
};
