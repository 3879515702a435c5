import type { z } from 'zod';
import type { programmesOverview } from '../../../shared/contracts/programmes-overview.ts';
import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { recordAudit } from '../audit/index.ts';
import { listCases } from '../cases/index.ts';
import { sessionFacilitatorProblem } from './facilitation.ts';
import { orgOf } from './group-access.ts';
import { listGroups, sessionsOf } from './groups.service.ts';
import { daysBetween, dropOutRisk, median } from './overview-rules.ts';
import { getGroupDose } from './register.service.ts';
import { addDays } from './schedule.ts';
import { loadTemplate } from './templates.service.ts';

type Overview = z.infer<typeof programmesOverview>;

const HORIZON_DAYS = 28;
const today = (): string => new Date().toISOString().slice(0, 10);
const order = { running: 0, planned: 1, finished: 2, cancelled: 3 } as const;

/**
 * Everything a service manager checks across sites in one read: groups by site and state with their places, the
 * waiting list and how long families have waited, who looks likely to drop out (from dose), the next four weeks'
 * sessions without a valid facilitator pair, and each facilitator's load.
 */
export const programmesOverviewFor = async (db: Db, actor: Actor): Promise<Overview> => {
  const organisationId = orgOf(actor);
  const groups = (await listGroups(db, actor, {})).filter((g) => g.status !== 'cancelled');
  const waiting = await listCases(db, actor, { stage: 'awaiting_group' });
  const now = today();
  const waits = waiting.map((c) => daysBetween(c.stageChangedAt, now));

  const dropOut: Overview['dropOutRisk'] = [];
  for (const g of groups.filter((x) => x.status === 'running')) {
    const dose = await getGroupDose(db, actor, g.id);
    for (const p of dose.participants.filter((x) => x.placementStatus === 'placed')) {
      const reason = dropOutRisk(p);
      if (reason) dropOut.push({ groupId: g.id, groupName: g.name, caseId: p.caseId, familyLabel: p.familyLabel, personName: p.name, reason });
    }
  }

  return inScope(db, scopeOf(actor), async (trx) => {
    const live = groups.filter((g) => g.status === 'planned' || g.status === 'running');
    const sessions = (await sessionsOf(trx, organisationId, live.map((g) => g.id))).filter((s) => s.onDate >= now && s.onDate <= addDays(now, HORIZON_DAYS));
    const rules = new Map<string, Awaited<ReturnType<typeof loadTemplate>>['facilitatorRule']>();
    for (const programmeId of new Set(live.map((g) => g.programmeId))) rules.set(programmeId, (await loadTemplate(trx, organisationId, programmeId)).facilitatorRule);
    const uncovered = sessions.flatMap((s) => {
      const g = live.find((x) => x.id === s.groupId);
      const problem = g ? sessionFacilitatorProblem(rules.get(g.programmeId) ?? 'any', s) : null;
      return g && problem ? [{ sessionId: s.id, groupId: g.id, groupName: g.name, number: s.number, onDate: s.onDate, startTime: s.startTime, problem }] : [];
    });
    const appointments = await trx
      .selectFrom('therapyAppointment')
      .select(['therapistId'])
      .where('organisationId', '=', organisationId)
      .where('status', '=', 'booked')
      .where('onDate', '>=', now)
      .where('onDate', '<=', addDays(now, HORIZON_DAYS))
      .execute();
    const staff = await trx
      .selectFrom('membership')
      .innerJoin('appUser', 'appUser.id', 'membership.userId')
      .select(['membership.userId', 'appUser.name'])
      .where('membership.organisationId', '=', organisationId)
      .where('membership.active', '=', true)
      .where('membership.role', 'in', ['facilitator', 'service_manager'])
      .orderBy('appUser.name')
      .execute();
    const load = staff
      .map((u) => ({
        userId: u.userId,
        name: u.name,
        groupSessions: sessions.filter((s) => s.facilitators.some((f) => f.id === u.userId)).length,
        therapyAppointments: appointments.filter((a) => a.therapistId === u.userId).length,
      }))
      .filter((u) => u.groupSessions + u.therapyAppointments > 0);
    const sites = [...new Set(groups.map((g) => g.site))].sort().map((site) => {
      const own = groups.filter((g) => g.site === site).sort((a, b) => order[a.status] - order[b.status] || a.startDate.localeCompare(b.startDate));
      return {
        site,
        planned: own.filter((g) => g.status === 'planned').length,
        running: own.filter((g) => g.status === 'running').length,
        finished: own.filter((g) => g.status === 'finished').length,
        groups: own.map((g) => ({
          id: g.id,
          name: g.name,
          programmeName: g.programmeName,
          status: g.status,
          startDate: g.startDate,
          endDate: g.endDate,
          placesFilled: g.placesFilled,
          capacity: g.capacity,
          capacityUnit: g.capacityUnit,
        })),
      };
    });
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'view:programmes_overview', entityType: 'organisation', entityId: organisationId, ip: actor.ip, detail: { atRisk: dropOut.map((d) => d.caseId) } });
    return {
      sites,
      waitingList: { families: waiting.length, longestWaitDays: waits.length === 0 ? null : Math.max(...waits), medianWaitDays: median(waits), placesFree: live.reduce((n, g) => n + g.placesFree, 0) },
      dropOutRisk: dropOut,
      sessionsWithoutFacilitators: uncovered,
      facilitatorLoad: load,
    };
  });
};
