import { sql } from 'kysely';
import type { z } from 'zod';
import type { bookSeriesBody, diary, outcomeBody, rescheduleBody, therapistAvailability, therapistAvailabilityBody, therapyAppointment, therapySeriesDetail, therapySeriesSummary } from '../../../shared/contracts/therapy.ts';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { AppError, badField, notFound, staleVersion } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { assertCoupleWorkAllowed, caseForPlacement, caseLabels, managersOf, moveCaseForProgramme, notify } from '../cases/index.ts';
import { facilitatorsById, orgOf } from './group-access.ts';
import { addDays, endTimeOf, ScheduleError } from './schedule.ts';
import { availabilityProblem, firstClash, firstOutsideAvailability, outcomeProblem, rescheduleProblem, seriesDates, statusFor, therapyDose, type AvailabilityWindow, type Commitment } from './therapy-schedule.ts';

/*
 * Therapy appointments: a series of weekly appointments for a couple's case with one therapist, each of which can
 * be rescheduled (with its history) or given an outcome (attended, did not attend, cancelled by the family — late
 * when less than a day's notice — or by the service). A booking or a move that would put the therapist in two
 * places at once, with another appointment or a group session, is refused naming the date, and writes nothing.
 */

type Summary = z.infer<typeof therapySeriesSummary>;
type Detail = z.infer<typeof therapySeriesDetail>;
type AppointmentOut = z.infer<typeof therapyAppointment>;
type Diary = z.infer<typeof diary>;
type Availability = z.infer<typeof therapistAvailability>;

const DEFAULT_MINUTES = 50;
/** Two missed appointments in a row tell the case worker, as two absences in a row do for groups. */
const MISSED_ALERT_RUN = 2;
/** Appointments that hold the slot: a cancelled one frees it. */
const HOLDING = ['booked', 'attended', 'did_not_attend'] as const;

const today = (): string => new Date().toISOString().slice(0, 10);

const minutesOf = (time: string): number => {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
const endsBeforeMidnight = (startTime: string, minutes: number): boolean => minutesOf(startTime) + minutes <= 24 * 60;

const seriesColumns = ['id', 'caseId', 'familyId', 'programmeId', 'therapistId', 'kind', 'firstDate', 'startTime', 'minutes', 'venue', 'closures', 'version'] as const;

const visibleSeries = async (trx: Trx, actor: Actor, rows: readonly { id: string; caseId: string; therapistId: string }[]): Promise<Set<string>> => {
  if (actor.role === 'service_manager') return new Set(rows.map((r) => r.id));
  if (actor.role === 'facilitator') return new Set(rows.filter((r) => r.therapistId === actor.userId).map((r) => r.id));
  if (actor.role === 'case_worker') {
    const labels = await caseLabels(trx, orgOf(actor), [...new Set(rows.map((r) => r.caseId))]);
    const own = (caseId: string): boolean => {
      const worker = labels.get(caseId)?.caseWorkerId;
      return worker === actor.userId || worker === null;
    };
    return new Set(rows.filter((r) => own(r.caseId)).map((r) => r.id));
  }
  return new Set();
};

/**
 * A series the actor may see: a service manager any, a therapist their own, a case worker those of their own (or
 * unallocated) cases. Anything else is "not found", as is another organisation's.
 */
const loadSeries = async (trx: Trx, actor: Actor, seriesId: string) => {
  const organisationId = orgOf(actor);
  const row = await trx.selectFrom('therapySeries').select(seriesColumns).where('organisationId', '=', organisationId).where('id', '=', seriesId).executeTakeFirst();
  if (!row || !(await visibleSeries(trx, actor, [row])).has(row.id)) throw notFound('Therapy series');
  return row;
};

/** The therapist's commitments on these dates: appointments that hold their slot and sessions of live groups. */
const commitmentsOf = async (trx: Trx, organisationId: string, therapistId: string, dates: readonly string[], exceptAppointment: string | null): Promise<Commitment[]> => {
  if (dates.length === 0) return [];
  let appointments = trx
    .selectFrom('therapyAppointment')
    .select(['id', 'caseId', 'number', 'kind', 'onDate', 'startTime', 'minutes'])
    .where('organisationId', '=', organisationId)
    .where('therapistId', '=', therapistId)
    .where('onDate', 'in', [...dates])
    .where('status', 'in', [...HOLDING]);
  if (exceptAppointment) appointments = appointments.where('id', '!=', exceptAppointment);
  const booked = await appointments.execute();
  const labels = await caseLabels(trx, organisationId, [...new Set(booked.map((a) => a.caseId))]);
  const sessions = await trx
    .selectFrom('sessionFacilitator')
    .innerJoin('groupSession', 'groupSession.id', 'sessionFacilitator.sessionId')
    .innerJoin('programmeGroup', 'programmeGroup.id', 'groupSession.groupId')
    .select(['groupSession.onDate', 'groupSession.startTime', 'groupSession.minutes', 'groupSession.number', 'programmeGroup.name'])
    .where('sessionFacilitator.organisationId', '=', organisationId)
    .where('sessionFacilitator.userId', '=', therapistId)
    .where('groupSession.onDate', 'in', [...dates])
    .where('programmeGroup.status', '!=', 'cancelled')
    .execute();
  return [
    ...booked.map((a) => ({
      onDate: a.onDate,
      startTime: a.startTime,
      minutes: a.minutes,
      what: `the therapist's ${a.kind === 'consultation' ? 'consultation' : `appointment ${a.number}`} for case ${labels.get(a.caseId)?.reference ?? ''}`.trim(),
    })),
    ...sessions.map((s) => ({ onDate: s.onDate, startTime: s.startTime, minutes: s.minutes, what: `the therapist's session ${s.number} of ${s.name}` })),
  ];
};

const staffNames = async (trx: Trx, ids: readonly string[]): Promise<Map<string, string>> => {
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom('appUser').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
};

/** The therapist's declared weekly windows, in order; none declared means not restricted. */
const windowsOf = async (trx: Trx, organisationId: string, therapistId: string): Promise<AvailabilityWindow[]> =>
  trx
    .selectFrom('therapistAvailability')
    .select(['weekday', 'startTime', 'endTime'])
    .where('organisationId', '=', organisationId)
    .where('userId', '=', therapistId)
    .orderBy('weekday')
    .orderBy('startTime')
    .execute();

type SeriesRow = Awaited<ReturnType<typeof loadSeries>>;

const summaries = async (trx: Trx, organisationId: string, rows: readonly SeriesRow[]): Promise<Summary[]> => {
  if (rows.length === 0) return [];
  const appointments = await trx
    .selectFrom('therapyAppointment')
    .select(['seriesId', 'onDate', 'status'])
    .where('organisationId', '=', organisationId)
    .where('seriesId', 'in', rows.map((r) => r.id))
    .orderBy('onDate')
    .execute();
  const labels = await caseLabels(trx, organisationId, rows.map((r) => r.caseId));
  const names = await staffNames(trx, rows.map((r) => r.therapistId));
  const now = today();
  return rows.map((r) => {
    const own = appointments.filter((a) => a.seriesId === r.id);
    return {
      id: r.id,
      caseId: r.caseId,
      caseReference: labels.get(r.caseId)?.reference ?? '',
      familyLabel: labels.get(r.caseId)?.familyLabel ?? '',
      therapistId: r.therapistId,
      therapistName: names.get(r.therapistId) ?? '',
      kind: r.kind,
      firstDate: r.firstDate,
      lastDate: own.at(-1)?.onDate ?? null,
      startTime: r.startTime,
      minutes: r.minutes,
      venue: r.venue,
      appointmentCount: own.length,
      nextAppointment: own.find((a) => a.status === 'booked' && a.onDate >= now)?.onDate ?? null,
      version: r.version,
    };
  });
};

const detailOf = async (trx: Trx, actor: Actor, seriesId: string): Promise<Detail> => {
  const organisationId = orgOf(actor);
  const series = await loadSeries(trx, actor, seriesId);
  const [summary] = await summaries(trx, organisationId, [series]);
  if (!summary) throw notFound('Therapy series');
  const appointments = await trx.selectFrom('therapyAppointment').selectAll().where('organisationId', '=', organisationId).where('seriesId', '=', seriesId).orderBy('number').execute();
  const changes =
    appointments.length === 0
      ? []
      : await trx
          .selectFrom('therapyAppointmentChange')
          .leftJoin('appUser', 'appUser.id', 'therapyAppointmentChange.changedBy')
          .select(['therapyAppointmentChange.appointmentId', 'fromDate', 'fromTime', 'toDate', 'toTime', 'reason', 'appUser.name as changedBy', 'changedAt'])
          .where('therapyAppointmentChange.organisationId', '=', organisationId)
          .where('appointmentId', 'in', appointments.map((a) => a.id))
          .orderBy('changedAt')
          .execute();
  // Dose is the case's, over every therapy series it has had.
  const sessions = await trx
    .selectFrom('therapyAppointment')
    .select(['onDate', 'startTime', 'status'])
    .where('organisationId', '=', organisationId)
    .where('caseId', '=', series.caseId)
    .where('kind', '=', 'session')
    .execute();
  const rule = series.programmeId
    ? await trx.selectFrom('programme').select('completionMinSessions').where('organisationId', '=', organisationId).where('id', '=', series.programmeId).executeTakeFirst()
    : undefined;
  return {
    ...summary,
    closures: series.closures,
    appointments: appointments.map(
      (a): AppointmentOut => ({
        id: a.id,
        seriesId: a.seriesId,
        number: a.number,
        kind: a.kind,
        onDate: a.onDate,
        startTime: a.startTime,
        endTime: endTimeOf(a),
        minutes: a.minutes,
        status: a.status,
        outcomeNote: a.outcomeNote,
        changes: changes
          .filter((c) => c.appointmentId === a.id)
          .map((c) => ({ fromDate: c.fromDate, fromTime: c.fromTime, toDate: c.toDate, toTime: c.toTime, reason: c.reason, changedBy: c.changedBy ?? '', changedAt: new Date(c.changedAt).toISOString() })),
        version: a.version,
      }),
    ),
    dose: therapyDose(sessions, rule?.completionMinSessions ?? 1),
  };
};

export const getSeries = async (db: Db, actor: Actor, seriesId: string): Promise<Detail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const detail = await detailOf(trx, actor, seriesId);
    await recordAudit(trx, { organisationId: orgOf(actor), actorUserId: actor.userId, action: 'view:therapy_series', entityType: 'therapy_series', entityId: seriesId, ip: actor.ip, detail: { caseId: detail.caseId } });
    return detail;
  });

export const listSeries = async (db: Db, actor: Actor, query: { caseId?: string | undefined; therapistId?: string | undefined }): Promise<Summary[]> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    let q = trx.selectFrom('therapySeries').select(seriesColumns).where('organisationId', '=', organisationId);
    if (query.caseId) q = q.where('caseId', '=', query.caseId);
    if (query.therapistId) q = q.where('therapistId', '=', query.therapistId);
    if (actor.role === 'facilitator') q = q.where('therapistId', '=', actor.userId);
    const rows = await q.orderBy('firstDate', 'desc').limit(500).execute();
    const visible = await visibleSeries(trx, actor, rows);
    const shown = rows.filter((r) => visible.has(r.id));
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'list:therapy_series', entityType: 'therapy_series', ip: actor.ip, detail: { cases: shown.map((r) => r.caseId) } });
    return summaries(trx, organisationId, shown);
  });

const asBadField = (error: unknown): never => {
  if (error instanceof ScheduleError) throw badField(`body.${error.field}`, error.message);
  throw error;
};

/** Stages a case can be in for each kind of booking: a consultation comes before the work, therapy is the work. */
const bookable: Record<'consultation' | 'therapy', readonly string[]> = {
  consultation: ['referred', 'triaged', 'assessment_booked', 'assessed', 'awaiting_group', 'in_service'],
  therapy: ['assessed', 'awaiting_group', 'in_service'],
};

/**
 * Books a series for a couple's case: `count` weekly appointments from the first date, skipping closures. Refused
 * as a whole (nothing written) when any date clashes with the therapist's other appointments or group sessions.
 * Booking therapy for a case that was assessed or awaiting moves it to in service, in the same transaction.
 */
export const bookSeries = async (db: Db, actor: Actor, caseId: string, body: z.infer<typeof bookSeriesBody>): Promise<Detail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const c = await caseForPlacement(trx, actor, caseId);
    if (c.version !== body.caseVersion) throw staleVersion('This case');
    if (!bookable[body.kind].includes(c.stage)) {
      throw badField('body.kind', `the case is ${c.stage.replaceAll('_', ' ')}; ${body.kind === 'therapy' ? 'therapy is booked once the couple has been assessed' : 'a consultation is booked before the work ends'}`);
    }
    const [therapist] = await facilitatorsById(trx, organisationId, [body.therapistId], 'body.therapistId');
    await assertCoupleWorkAllowed(trx, c.familyId, 'body.kind');
    const closures = body.closures ?? [];
    const dates = (() => {
      try {
        return seriesDates(body.firstDate, body.count, closures);
      } catch (error) {
        return asBadField(error);
      }
    })();
    const minutes = body.minutes ?? DEFAULT_MINUTES;
    if (!endsBeforeMidnight(body.startTime, minutes)) throw badField('body.startTime', 'appointments must end before midnight');
    const candidates = dates.map((onDate, i) => ({ number: i + 1, onDate, startTime: body.startTime, minutes }));
    const clash = firstClash(candidates, await commitmentsOf(trx, organisationId, body.therapistId, dates, null));
    if (clash) throw badField('body.firstDate', clash);
    const outside = firstOutsideAvailability(candidates, await windowsOf(trx, organisationId, body.therapistId));
    if (outside && !body.outsideAvailabilityReason) throw badField('body.firstDate', `${outside}; give outsideAvailabilityReason to book it anyway`);

    const series = await trx
      .insertInto('therapySeries')
      .values({
        organisationId,
        caseId: c.id,
        familyId: c.familyId,
        programmeId: c.programmeId,
        therapistId: body.therapistId,
        kind: body.kind,
        firstDate: body.firstDate,
        startTime: body.startTime,
        minutes,
        venue: body.venue ?? '',
        closures: JSON.stringify(closures),
        createdBy: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('therapyAppointment')
      .values(
        candidates.map((a) => ({
          organisationId,
          seriesId: series.id,
          caseId: c.id,
          therapistId: body.therapistId,
          number: a.number,
          kind: body.kind === 'consultation' ? ('consultation' as const) : ('session' as const),
          onDate: a.onDate,
          startTime: a.startTime,
          minutes,
        })),
      )
      .execute();
    if (body.kind === 'therapy' && c.stage !== 'in_service') {
      await moveCaseForProgramme(trx, actor, c, { to: 'in_service', reason: `Couple therapy booked with ${therapist?.name ?? 'a therapist'}`, field: 'body.kind', coupleWork: true });
    }
    if (body.therapistId !== actor.userId) {
      await notify(trx, {
        organisationId,
        userIds: [body.therapistId],
        kind: 'therapy_booked',
        message: `${body.kind === 'consultation' ? 'A consultation' : `${dates.length} weekly appointments`} booked with you from ${dates[0] ?? body.firstDate} at ${body.startTime} (case ${c.reference})`,
        link: `/therapy/${series.id}`,
      });
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'book:therapy',
      entityType: 'therapy_series',
      entityId: series.id,
      ip: actor.ip,
      detail: {
        caseId: c.id,
        therapistId: body.therapistId,
        kind: body.kind,
        appointments: dates.length,
        from: dates[0],
        to: dates.at(-1),
        ...(outside ? { outsideAvailability: outside, outsideAvailabilityReason: body.outsideAvailabilityReason } : {}),
      },
    });
    return detailOf(trx, actor, series.id);
  });

/** An appointment and its series, if the actor may see the series; a therapist changes only their own diary. */
const loadAppointment = async (trx: Trx, actor: Actor, appointmentId: string) => {
  const appointment = await trx.selectFrom('therapyAppointment').selectAll().where('organisationId', '=', orgOf(actor)).where('id', '=', appointmentId).executeTakeFirst();
  if (!appointment) throw notFound('Appointment');
  const series = await loadSeries(trx, actor, appointment.seriesId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') throw notFound('Appointment');
    throw error;
  });
  return { appointment, series };
};

/** Moves one appointment, checked against closures and the therapist's diary; the move is kept in its history. */
export const rescheduleAppointment = async (db: Db, actor: Actor, appointmentId: string, body: z.infer<typeof rescheduleBody>): Promise<Detail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { appointment: a, series } = await loadAppointment(trx, actor, appointmentId);
    if (a.version !== body.version) throw staleVersion('This appointment');
    const problem = rescheduleProblem(a.status, body.onDate, series.closures);
    if (problem) throw badField(`body.${problem.field}`, problem.message);
    if (body.onDate < today()) throw badField('body.onDate', 'cannot be in the past');
    const startTime = body.startTime ?? a.startTime;
    if (startTime === a.startTime && body.onDate === a.onDate) throw badField('body.onDate', 'is the date and time it already has');
    if (!endsBeforeMidnight(startTime, a.minutes)) throw badField('body.startTime', 'appointments must end before midnight');
    const clash = firstClash([{ number: a.number, onDate: body.onDate, startTime, minutes: a.minutes }], await commitmentsOf(trx, organisationId, a.therapistId, [body.onDate], a.id));
    if (clash) throw badField('body.onDate', clash);
    const outside = firstOutsideAvailability([{ number: a.number, onDate: body.onDate, startTime, minutes: a.minutes }], await windowsOf(trx, organisationId, a.therapistId));
    if (outside && !body.outsideAvailabilityReason) throw badField('body.onDate', `${outside}; give outsideAvailabilityReason to move it anyway`);
    const updated = await trx
      .updateTable('therapyAppointment')
      .set({ onDate: body.onDate, startTime, version: sql<number>`version + 1` })
      .where('id', '=', a.id)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This appointment');
    await trx
      .insertInto('therapyAppointmentChange')
      .values({ organisationId, appointmentId: a.id, fromDate: a.onDate, fromTime: a.startTime, toDate: body.onDate, toTime: startTime, reason: body.reason, changedBy: actor.userId })
      .execute();
    if (a.therapistId !== actor.userId) {
      await notify(trx, { organisationId, userIds: [a.therapistId], kind: 'therapy_moved', message: `Appointment ${a.number} moved from ${a.onDate} ${a.startTime} to ${body.onDate} ${startTime}`, link: `/therapy/${series.id}` });
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'reschedule:appointment',
      entityType: 'therapy_appointment',
      entityId: a.id,
      ip: actor.ip,
      detail: {
        seriesId: series.id,
        caseId: a.caseId,
        from: `${a.onDate} ${a.startTime}`,
        to: `${body.onDate} ${startTime}`,
        ...(outside ? { outsideAvailability: outside, outsideAvailabilityReason: body.outsideAvailabilityReason } : {}),
      },
    });
    return detailOf(trx, actor, series.id);
  });

/**
 * Records what happened: attended or did not attend (on or after the day), or cancelled by the family (late with
 * less than a day's notice) or by the service. Two missed appointments in a row tell the case worker.
 */
export const recordOutcome = async (db: Db, actor: Actor, appointmentId: string, body: z.infer<typeof outcomeBody>): Promise<Detail> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const { appointment: a, series } = await loadAppointment(trx, actor, appointmentId);
    if (a.version !== body.version) throw staleVersion('This appointment');
    const now = today();
    const problem = outcomeProblem(body.outcome, a.onDate, now);
    if (problem) throw badField('body.outcome', problem);
    const status = statusFor(body.outcome, a.onDate, now);
    const updated = await trx
      .updateTable('therapyAppointment')
      .set({ status, outcomeNote: body.note ?? null, outcomeBy: actor.userId, outcomeAt: new Date(), version: sql<number>`version + 1` })
      .where('id', '=', a.id)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('This appointment');
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'record:appointment_outcome',
      entityType: 'therapy_appointment',
      entityId: a.id,
      ip: actor.ip,
      detail: { seriesId: series.id, caseId: a.caseId, from: a.status, to: status },
    });
    const detail = await detailOf(trx, actor, series.id);
    const wasMissed = a.status === 'did_not_attend' || a.status === 'late_cancellation' || a.status === 'cancelled_by_family';
    if (a.kind === 'session' && !wasMissed && detail.dose.missedInARow === MISSED_ALERT_RUN) {
      const labels = (await caseLabels(trx, organisationId, [a.caseId])).get(a.caseId);
      const told = labels?.caseWorkerId ? [labels.caseWorkerId] : await managersOf(trx, organisationId);
      await notify(trx, {
        organisationId,
        userIds: told.filter((id) => id !== actor.userId),
        kind: 'therapy_missed',
        message: `${labels?.familyLabel ?? 'A couple'} (${labels?.reference ?? ''}) has missed ${MISSED_ALERT_RUN} therapy appointments in a row`,
        link: `/cases/${a.caseId}`,
      });
    }
    return detail;
  });

/** A therapist's diary: their appointments (any status) and the group sessions they run, between two dates. */
export const therapistDiary = async (db: Db, actor: Actor, query: { therapistId?: string | undefined; from?: string | undefined; to?: string | undefined }): Promise<Diary> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const therapistId = query.therapistId ?? actor.userId;
    if (therapistId !== actor.userId && actor.role !== 'service_manager') throw notFound('Therapist');
    const member = await trx
      .selectFrom('membership')
      .innerJoin('appUser', 'appUser.id', 'membership.userId')
      .select(['appUser.name'])
      .where('membership.organisationId', '=', organisationId)
      .where('membership.userId', '=', therapistId)
      .executeTakeFirst();
    if (!member) throw notFound('Therapist');
    const from = query.from ?? today();
    const to = query.to ?? addDays(from, 56);
    if (to < from) throw badField('query.to', 'must not be before from');
    if (to > addDays(from, 366)) throw badField('query.to', 'a diary covers at most a year');
    const appointments = await trx
      .selectFrom('therapyAppointment')
      .select(['id', 'seriesId', 'caseId', 'number', 'kind', 'onDate', 'startTime', 'minutes', 'status'])
      .where('organisationId', '=', organisationId)
      .where('therapistId', '=', therapistId)
      .where('onDate', '>=', from)
      .where('onDate', '<=', to)
      .execute();
    const labels = await caseLabels(trx, organisationId, [...new Set(appointments.map((a) => a.caseId))]);
    const sessions = await trx
      .selectFrom('sessionFacilitator')
      .innerJoin('groupSession', 'groupSession.id', 'sessionFacilitator.sessionId')
      .innerJoin('programmeGroup', 'programmeGroup.id', 'groupSession.groupId')
      .select(['groupSession.id', 'groupSession.groupId', 'groupSession.number', 'groupSession.onDate', 'groupSession.startTime', 'groupSession.minutes', 'programmeGroup.name', 'programmeGroup.status'])
      .where('sessionFacilitator.organisationId', '=', organisationId)
      .where('sessionFacilitator.userId', '=', therapistId)
      .where('groupSession.onDate', '>=', from)
      .where('groupSession.onDate', '<=', to)
      .where('programmeGroup.status', '!=', 'cancelled')
      .execute();
    const entries = [
      ...appointments.map((a) => {
        const label = labels.get(a.caseId);
        return {
          kind: 'appointment' as const,
          id: a.id,
          onDate: a.onDate,
          startTime: a.startTime,
          endTime: endTimeOf(a),
          title: `${a.kind === 'consultation' ? 'Consultation' : `Therapy ${a.number}`}: ${label?.familyLabel ?? ''} (${label?.reference ?? ''})`,
          status: a.status,
          link: `/therapy/${a.seriesId}`,
        };
      }),
      ...sessions.map((s) => ({
        kind: 'group_session' as const,
        id: s.id,
        onDate: s.onDate,
        startTime: s.startTime,
        endTime: endTimeOf(s),
        title: `${s.name}: session ${s.number}`,
        status: s.status,
        link: `/groups/${s.groupId}`,
      })),
    ].sort((x, y) => (x.onDate + x.startTime).localeCompare(y.onDate + y.startTime));
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'view:diary',
      entityType: 'user',
      entityId: therapistId,
      ip: actor.ip,
      detail: { from, to, cases: [...labels.keys()] },
    });
    return { therapistId, therapistName: member.name, from, to, entries };
  });

/**
 * A therapist the actor may see the availability of: a service manager anyone in the organisation, a therapist
 * themselves. Anyone else, or someone of another organisation, is "not found".
 */
const availabilityOwner = async (trx: Trx, actor: Actor, therapistId: string): Promise<string> => {
  if (therapistId !== actor.userId && actor.role !== 'service_manager') throw notFound('Therapist');
  const member = await trx
    .selectFrom('membership')
    .innerJoin('appUser', 'appUser.id', 'membership.userId')
    .select(['appUser.name'])
    .where('membership.organisationId', '=', orgOf(actor))
    .where('membership.userId', '=', therapistId)
    .executeTakeFirst();
  if (!member) throw notFound('Therapist');
  return member.name;
};

const availabilityOf = async (trx: Trx, organisationId: string, therapistId: string, therapistName: string): Promise<Availability> => {
  const week = await trx.selectFrom('therapistAvailabilityWeek').select('version').where('organisationId', '=', organisationId).where('userId', '=', therapistId).executeTakeFirst();
  return { therapistId, therapistName, windows: await windowsOf(trx, organisationId, therapistId), version: week?.version ?? 0 };
};

/** A therapist's weekly availability (version 0 and no windows before any is declared). */
export const getAvailability = async (db: Db, actor: Actor, therapistId: string): Promise<Availability> =>
  inScope(db, scopeOf(actor), async (trx) => availabilityOf(trx, orgOf(actor), therapistId, await availabilityOwner(trx, actor, therapistId)));

/**
 * Replaces a therapist's whole week. The version lives on one row per therapist, updated (or first inserted) before
 * the windows are replaced, so of two saves from the same version one gets 409 instead of the two weeks merging.
 */
export const setAvailability = async (db: Db, actor: Actor, therapistId: string, body: z.infer<typeof therapistAvailabilityBody>): Promise<Availability> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const name = await availabilityOwner(trx, actor, therapistId);
    const problem = availabilityProblem(body.windows);
    if (problem) throw badField(`body.${problem.field}`, problem.message);
    if (body.version === 0) {
      const inserted = await trx
        .insertInto('therapistAvailabilityWeek')
        .values({ organisationId, userId: therapistId, updatedBy: actor.userId })
        .onConflict((oc) => oc.columns(['organisationId', 'userId']).doNothing())
        .returning('version')
        .executeTakeFirst();
      if (!inserted) throw staleVersion("This therapist's availability");
    } else {
      const updated = await trx
        .updateTable('therapistAvailabilityWeek')
        .set({ version: sql<number>`version + 1`, updatedBy: actor.userId, updatedAt: new Date() })
        .where('organisationId', '=', organisationId)
        .where('userId', '=', therapistId)
        .where('version', '=', body.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw staleVersion("This therapist's availability");
    }
    await trx.deleteFrom('therapistAvailability').where('organisationId', '=', organisationId).where('userId', '=', therapistId).execute();
    if (body.windows.length > 0) {
      await trx
        .insertInto('therapistAvailability')
        .values(body.windows.map((w) => ({ organisationId, userId: therapistId, weekday: w.weekday, startTime: w.startTime, endTime: w.endTime })))
        .execute();
    }
    await recordAudit(trx, {
      organisationId,
      actorUserId: actor.userId,
      action: 'set:availability',
      entityType: 'user',
      entityId: therapistId,
      ip: actor.ip,
      detail: { windows: body.windows.length, fromVersion: body.version },
    });
    return availabilityOf(trx, organisationId, therapistId, name);
  });
