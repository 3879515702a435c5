import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db.ts';
import { APP_ROLE, inScope } from '../../platform/db/scope.ts';
import { AppError } from '../../platform/http/app-error.ts';
import { recordAudit } from '../audit/index.ts';
import { scopeOf, type Actor } from '../../platform/http/actor.ts';
import { orgOf } from './group-access.ts';
import { endTimeOf } from './schedule.ts';

/**
 * A facilitator's sessions as iCalendar (RFC 5545). Sessions are wall-clock times at the venue, so events carry
 * TZID=Europe/London with its definition, rather than UTC times that would drift by an hour across the clock
 * change. The feed names groups, topics and venues only: never a family.
 */

export type CalendarEvent = {
  uid: string;
  onDate: string;
  startTime: string;
  minutes: number;
  summary: string;
  location: string;
  description: string;
};

const escapeText = (value: string): string => value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Lines longer than 75 octets are folded: CRLF then a space (RFC 5545 §3.1). */
const fold = (line: string): string => {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (size + n > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
};

const local = (date: string, time: string): string => `${date.replaceAll('-', '')}T${time.replace(':', '')}00`;

const LONDON = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/London',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19810329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19961027T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

export const toICalendar = (name: string, events: readonly CalendarEvent[], now: Date = new Date()): string => {
  const stamp = `${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tandem//Group sessions//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    'X-WR-TIMEZONE:Europe/London',
    ...LONDON,
    ...events.flatMap((e) => [
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;TZID=Europe/London:${local(e.onDate, e.startTime)}`,
      `DTEND;TZID=Europe/London:${local(e.onDate, endTimeOf(e))}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `LOCATION:${escapeText(e.location)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
};

/**
 * A person's group sessions, and the therapy appointments they hold as a therapist, from 90 days ago onwards
 * (cancelled groups and cancelled appointments left out). Appointments are named by number only: the feed may sit
 * in a calendar app on a phone, so it never names a family.
 */
const eventsOf = async (trx: Trx, organisationId: string, userId: string): Promise<CalendarEvent[]> => {
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  const rows = await trx
    .selectFrom('sessionFacilitator')
    .innerJoin('groupSession', 'groupSession.id', 'sessionFacilitator.sessionId')
    .innerJoin('programmeGroup', 'programmeGroup.id', 'groupSession.groupId')
    .innerJoin('programme', 'programme.id', 'programmeGroup.programmeId')
    .select([
      'groupSession.id',
      'groupSession.number',
      'groupSession.onDate',
      'groupSession.startTime',
      'groupSession.minutes',
      'groupSession.topic',
      'groupSession.splitByGender',
      'programmeGroup.name as groupName',
      'programmeGroup.site',
      'programmeGroup.venue',
      'programme.name as programmeName',
    ])
    .where('sessionFacilitator.organisationId', '=', organisationId)
    .where('sessionFacilitator.userId', '=', userId)
    .where('programmeGroup.status', '!=', 'cancelled')
    .where('groupSession.onDate', '>=', since)
    .orderBy('groupSession.onDate')
    .execute();
  const appointments = await trx
    .selectFrom('therapyAppointment')
    .innerJoin('therapySeries', 'therapySeries.id', 'therapyAppointment.seriesId')
    .select(['therapyAppointment.id', 'therapyAppointment.number', 'therapyAppointment.kind', 'therapyAppointment.onDate', 'therapyAppointment.startTime', 'therapyAppointment.minutes', 'therapySeries.venue'])
    .where('therapyAppointment.organisationId', '=', organisationId)
    .where('therapyAppointment.therapistId', '=', userId)
    .where('therapyAppointment.status', 'in', ['booked', 'attended', 'did_not_attend'])
    .where('therapyAppointment.onDate', '>=', since)
    .orderBy('therapyAppointment.onDate')
    .execute();
  return [
    ...rows.map((r) => ({
      uid: `${r.id}@tandem`,
      onDate: r.onDate,
      startTime: r.startTime,
      minutes: r.minutes,
      summary: `${r.groupName}: session ${r.number}${r.topic ? ` – ${r.topic}` : ''}`,
      location: [r.venue, r.site].filter(Boolean).join(', '),
      description: `${r.programmeName}${r.splitByGender ? " (mothers' and fathers' groups)" : ''}`,
    })),
    ...appointments.map((a) => ({
      uid: `${a.id}@tandem`,
      onDate: a.onDate,
      startTime: a.startTime,
      minutes: a.minutes,
      summary: a.kind === 'consultation' ? 'Therapy: consultation' : `Therapy: appointment ${a.number}`,
      location: a.venue,
      description: 'Couple therapy (see Tandem for who)',
    })),
  ].sort((x, y) => `${x.onDate}${x.startTime}`.localeCompare(`${y.onDate}${y.startTime}`));
};

/** The signed-in person's calendar (the cookie-authenticated download). */
export const facilitatorCalendar = async (db: Db, actor: Actor): Promise<string> =>
  inScope(db, scopeOf(actor), async (trx) => toICalendar('Tandem sessions', await eventsOf(trx, orgOf(actor), actor.userId)));

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');
const feedGone = (): AppError => new AppError('not_found', 'Calendar feed not found');

/** Whether the signed-in person has a live feed URL (the URL itself is shown once, when made). */
export const feedStatus = async (db: Db, actor: Actor): Promise<{ active: boolean; createdAt: string | null }> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const live = await trx.selectFrom('calendarFeed').select('createdAt').where('organisationId', '=', orgOf(actor)).where('userId', '=', actor.userId).where('revokedAt', 'is', null).executeTakeFirst();
    return { active: Boolean(live), createdAt: live?.createdAt.toISOString() ?? null };
  });

const revokeLive = async (trx: Trx, organisationId: string, userId: string): Promise<number> => {
  const result = await trx.updateTable('calendarFeed').set({ revokedAt: new Date() }).where('organisationId', '=', organisationId).where('userId', '=', userId).where('revokedAt', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
};

/**
 * A new secret feed URL for the signed-in person; any earlier one stops working. Only the token's hash is kept,
 * so the URL is shown this once.
 */
export const createFeed = async (db: Db, actor: Actor): Promise<{ path: string; createdAt: string }> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    await revokeLive(trx, organisationId, actor.userId);
    const token = randomBytes(32).toString('base64url');
    const row = await trx.insertInto('calendarFeed').values({ organisationId, userId: actor.userId, tokenHash: hashOf(token) }).returning(['id', 'createdAt']).executeTakeFirstOrThrow();
    await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'create:calendar_feed', entityType: 'calendar_feed', entityId: row.id, ip: actor.ip });
    return { path: `/api/calendar-feeds/${token}`, createdAt: row.createdAt.toISOString() };
  });

export const revokeFeed = async (db: Db, actor: Actor): Promise<{ revoked: boolean }> =>
  inScope(db, scopeOf(actor), async (trx) => {
    const organisationId = orgOf(actor);
    const revoked = (await revokeLive(trx, organisationId, actor.userId)) > 0;
    if (revoked) await recordAudit(trx, { organisationId, actorUserId: actor.userId, action: 'revoke:calendar_feed', entityType: 'user', entityId: actor.userId, ip: actor.ip });
    return { revoked };
  });

/**
 * The feed by its secret. The transaction may first read the one feed whose token hash it names (the policy
 * calendar_feed_by_token), to learn whose it is; from then on it is scoped to that organisation. A revoked or
 * unknown token, or a person no longer active in the organisation, is "not found" and tells nothing more.
 */
export const calendarByToken = async (db: Db, token: string): Promise<string> => {
  if (!TOKEN_SHAPE.test(token)) throw feedGone();
  const hash = hashOf(token);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('role', ${APP_ROLE}, true), set_config('app.org_id', '', true), set_config('app.user_id', '', true), set_config('app.feed_token_hash', ${hash}, true)`.execute(trx);
    const feed = await trx.selectFrom('calendarFeed').select(['organisationId', 'userId', 'revokedAt']).where('tokenHash', '=', hash).executeTakeFirst();
    if (!feed || feed.revokedAt) throw feedGone();
    await sql`SELECT set_config('app.org_id', ${feed.organisationId}, true), set_config('app.feed_token_hash', '', true)`.execute(trx);
    const member = await trx.selectFrom('membership').select('userId').where('organisationId', '=', feed.organisationId).where('userId', '=', feed.userId).where('active', '=', true).executeTakeFirst();
    if (!member) throw feedGone();
    return toICalendar('Tandem sessions', await eventsOf(trx, feed.organisationId, feed.userId));
  });
};
