import type { Db } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
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

/** The signed-in person's sessions from 90 days ago onwards, in groups that are not cancelled. */
export const facilitatorCalendar = async (db: Db, actor: Actor): Promise<string> =>
  inScope(db, scopeOf(actor), async (trx) => {
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
      .where('sessionFacilitator.organisationId', '=', orgOf(actor))
      .where('sessionFacilitator.userId', '=', actor.userId)
      .where('programmeGroup.status', '!=', 'cancelled')
      .where('groupSession.onDate', '>=', since)
      .orderBy('groupSession.onDate')
      .execute();
    return toICalendar(
      'Tandem sessions',
      rows.map((r) => ({
        uid: `${r.id}@tandem`,
        onDate: r.onDate,
        startTime: r.startTime,
        minutes: r.minutes,
        summary: `${r.groupName}: session ${r.number}${r.topic ? ` – ${r.topic}` : ''}`,
        location: [r.venue, r.site].filter(Boolean).join(', '),
        description: `${r.programmeName}${r.splitByGender ? " (mothers' and fathers' groups)" : ''}`,
      })),
    );
  });
