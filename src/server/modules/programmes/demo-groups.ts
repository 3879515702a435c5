import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { listCases } from '../cases/index.ts';
import { createGroup, placeFamily, updateGroup } from './groups.service.ts';
import { getRegister, saveRegister } from './register.service.ts';
import { addDays } from './schedule.ts';

const todayIso = (): string => new Date().toISOString().slice(0, 10);
/** The Monday on or before a date, so demo groups meet on a weekday evening. */
const mondayOf = (date: string): string => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

/**
 * Demo groups for the synthetic provider: a Parents as Partners group running for five weeks (a half-term week
 * skipped) with the families already in service placed and their past registers taken, and a group planned at
 * another site with its places free for the families on the waiting list.
 */
export const seedDemoGroups = async (db: Db, organisationId: string, papId: string): Promise<void> => {
  const staff = await inScope(db, { organisationId, userId: null }, (trx) =>
    trx
      .selectFrom('membership')
      .select(['userId', 'role', 'gender'])
      .where('organisationId', '=', organisationId)
      .where('active', '=', true)
      .where('role', 'in', ['service_manager', 'facilitator'])
      .execute(),
  );
  const manager = staff.find((s) => s.role === 'service_manager');
  const woman = staff.find((s) => s.role === 'facilitator' && s.gender === 'female');
  const man = staff.find((s) => s.role === 'facilitator' && s.gender === 'male');
  if (!manager || !woman || !man) return;
  const actor: Actor = { userId: manager.userId, sessionId: 'demo', organisationId, role: 'service_manager', csrfToken: '', ip: null };
  const facilitatorIds = [woman.userId, man.userId];

  const start = mondayOf(addDays(todayIso(), -42));
  const running = await createGroup(db, actor, {
    programmeId: papId,
    name: 'Parents as Partners – Northgate spring',
    site: 'Northgate',
    venue: 'Northgate Children’s Centre, family room',
    startDate: start,
    startTime: '18:00',
    closures: [{ from: addDays(start, 14), to: addDays(start, 18), reason: 'Half term' }],
    facilitatorIds,
  });
  await createGroup(db, actor, {
    programmeId: papId,
    name: 'Parents as Partners – Riverside summer',
    site: 'Riverside',
    venue: 'Riverside Community Hall',
    startDate: mondayOf(addDays(todayIso(), 28)),
    startTime: '10:00',
    closures: [],
    facilitatorIds,
  });

  const inService = await listCases(db, actor, { stage: 'in_service' });
  for (const c of inService) await placeFamily(db, actor, running.id, { caseId: c.id, caseVersion: c.version });

  // Past registers: mostly present, one late arrival and one week with apologies, so dose has something to show.
  const past = running.sessions.filter((s) => s.onDate < todayIso());
  for (const [index, session] of past.entries()) {
    const register = await getRegister(db, actor, session.id);
    await saveRegister(db, actor, session.id, {
      marks: register.participants.map((p, i) => ({ personId: p.personId, status: index === 2 && i === 1 ? 'apologies' : index === 1 && i === 0 ? 'late' : 'present' })),
      creche: register.children.map((child) => ({ personId: child.personId, present: true })),
      version: register.version,
    });
  }
  await updateGroup(db, actor, running.id, { status: 'running', version: running.version });
};
