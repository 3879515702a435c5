import { sql } from 'kysely';
import type { ApplicationStatus } from '../../../shared/contracts/fund-applications.ts';
import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { peopleOfFamilies } from '../cases/index.ts';
import { publicProgrammes } from '../programmes/index.ts';

/**
 * The demo's fund applications, after the demo's funding exists: the Adoption Support Fund's fair-access limit of
 * £5,000 per child a year, and applications at different points of the flow for three demo families (approved for
 * the family in service, submitted with match funding above the limit for the family awaiting a group, a draft for
 * the family just assessed), so the case pages and the commissioner's per-participant list have something to show.
 * Does nothing when there is no Adoption Support Fund funder yet.
 */
export const seedDemoFundApplications = async (db: Db, organisationId: string): Promise<void> =>
  inScope(db, { organisationId, userId: null }, async (trx) => {
    const funder = await trx.selectFrom('funder').select('id').where('organisationId', '=', organisationId).where('kind', '=', 'adoption_support_fund').orderBy('createdAt').executeTakeFirst();
    if (!funder) return;
    const manager = await trx.selectFrom('membership').select('userId').where('organisationId', '=', organisationId).where('role', '=', 'service_manager').executeTakeFirst();
    const by = manager?.userId ?? null;
    await trx
      .insertInto('fundApplicationRule')
      .values({ funderId: funder.id, organisationId, annualLimitPence: 500_000, assessmentValidMonths: 12, yearStartMonth: 4, updatedBy: by })
      .onConflict((oc) => oc.column('funderId').doNothing())
      .execute();
    // The demo's own families, found by their invented surnames (demo data only; the service never reads cases' tables).
    const cases = await sql<{ id: string; familyId: string; label: string; programmeId: string | null }>`
      SELECT c.id, c.family_id AS "familyId", f.label, c.programme_id AS "programmeId"
      FROM family_case c JOIN family f ON f.id = c.family_id
      WHERE c.organisation_id = ${organisationId} AND f.label IN ('Clarke family', 'Mensah family', 'Walsh family')`.execute(trx);
    const children = await peopleOfFamilies(
      trx,
      organisationId,
      cases.rows.map((c) => c.familyId),
    );
    const plan: Record<string, { flow: ApplicationStatus[]; amountPence: number; matchFundingPence: number; matchFunder: string | null; note: string | null }> = {
      'Clarke family': { flow: ['draft', 'submitted', 'approved'], amountPence: 250_000, matchFundingPence: 0, matchFunder: null, note: 'Approved by the fund (demo)' },
      'Mensah family': { flow: ['draft', 'submitted'], amountPence: 580_000, matchFundingPence: 80_000, matchFunder: 'Riverside Regional Adoption Agency (demo)', note: null },
      'Walsh family': { flow: ['draft'], amountPence: 150_000, matchFundingPence: 0, matchFunder: null, note: null },
    };
    const today = new Date().toISOString().slice(0, 10);
    const anyProgramme = (await publicProgrammes(trx, organisationId))[0]?.id ?? null;
    for (const c of cases.rows) {
      const p = plan[c.label];
      const child = children.find((x) => x.familyId === c.familyId && x.isChild);
      const programmeId = c.programmeId ?? anyProgramme;
      if (!p || !child || !programmeId) continue;
      const status = p.flow.at(-1) ?? 'draft';
      const created = await trx
        .insertInto('fundApplication')
        .values({
          organisationId,
          caseId: c.id,
          familyId: c.familyId,
          kind: 'child',
          funderId: funder.id,
          programmeId,
          assessmentId: null,
          serviceFrom: today,
          amountPence: p.amountPence,
          matchFundingPence: p.matchFundingPence,
          matchFunder: p.matchFunder,
          fundReference: status === 'approved' ? 'ASF-DEMO-0042' : null,
          status,
          createdBy: by,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('fundApplicationChild').values({ organisationId, applicationId: created.id, personId: child.personId }).execute();
      let from: ApplicationStatus | null = null;
      for (const [i, to] of p.flow.entries()) {
        // A day between moves, so the history reads in order.
        const changedAt = new Date(Date.now() - (p.flow.length - i) * 86_400_000);
        await trx
          .insertInto('fundApplicationStatusChange')
          .values({ organisationId, applicationId: created.id, fromStatus: from, toStatus: to, note: to === 'approved' ? p.note : null, changedBy: by, changedAt })
          .execute();
        from = to;
      }
    }
  });
