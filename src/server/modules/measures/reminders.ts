import { randomBytes } from 'node:crypto';
import type { Db, Trx } from '../../db.ts';
import { inScope } from '../../platform/db/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { caseForLink, emailsOf } from '../cases/index.ts';
import { queueEmail } from '../identity/index.ts';
import { groupEndsOf } from '../programmes/index.ts';
import { localToday } from './import.service.ts';
import { instrumentLibrary } from './instruments.service.ts';
import { scheduleOf, tokenHash } from './questionnaires.service.ts';
import { anchorsFrom, expectationKey, expectedAdministrations } from './schedule.ts';

/*
 * Reminders to parents (issue 4): a link a parent has not sent is re-sent by email, at most MAX_REMINDERS times,
 * REMINDER_GAP_DAYS apart, and never once the questionnaire's window has closed or the link has expired. Only the
 * token's hash is stored, so a reminder cannot repeat the first address: it gives the link a new token (the answers
 * saved so far stay with the link) and the address in the first message stops working — only the newest works, as
 * when staff make a new link.
 */

export const MAX_REMINDERS = 2;
export const REMINDER_GAP_DAYS = 3;

export type ReminderCandidate = { createdAt: Date; lastRemindedAt: Date | null; remindersSent: number; expiresAt: Date };

/** Whether a link is due a reminder now; `windowClosesOn` is the schedule's due date for it, null when unscheduled. */
export const reminderDue = (link: ReminderCandidate, windowClosesOn: string | null, now: Date, today: string): boolean => {
  if (link.remindersSent >= MAX_REMINDERS) return false;
  if (link.expiresAt <= now) return false;
  if (windowClosesOn !== null && today > windowClosesOn) return false;
  const since = link.lastRemindedAt ?? link.createdAt;
  return now.getTime() - since.getTime() >= REMINDER_GAP_DAYS * 86_400_000;
};

type Sent = { linkId: string; to: string };

const freshToken = (): { token: string; hash: string } => {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
};

const remindOrganisation = async (trx: Trx, organisationId: string, baseUrl: string, now: Date, today: string, newToken: () => { token: string; hash: string }): Promise<Sent[]> => {
  const links = await trx
    .selectFrom('questionnaireLink')
    .select(['id', 'caseId', 'personId', 'subjectPersonId', 'instrumentId', 'timepoint', 'createdAt', 'lastRemindedAt', 'remindersSent', 'expiresAt'])
    .where('organisationId', '=', organisationId)
    .where('status', '=', 'open')
    .where('expiresAt', '>', now)
    .where('remindersSent', '<', MAX_REMINDERS)
    .execute();
  if (links.length === 0) return [];
  const emails = await emailsOf(trx, organisationId, [...new Set(links.map((l) => l.personId))]);
  const library = await instrumentLibrary(trx, organisationId);
  const sent: Sent[] = [];
  for (const link of links) {
    const to = emails.get(link.personId);
    if (!to) continue;
    const c = await caseForLink(trx, organisationId, link.caseId);
    const ends = await groupEndsOf(trx, organisationId, [c.id]);
    const key = expectationKey({ personId: link.personId, subjectPersonId: link.subjectPersonId, instrumentId: link.instrumentId, timepoint: link.timepoint });
    const expected = expectedAdministrations(await scheduleOf(trx, organisationId, c), c.people, anchorsFrom({ assessmentOn: c.assessmentOn, programmeEndedOn: ends.get(c.id) ?? c.programmeEndedOn }), (id) => library.get(id)).find(
      (x) => expectationKey({ ...x, instrumentId: x.instrument.id }) === key,
    );
    if (!reminderDue(link, expected?.dueOn ?? null, now, today)) continue;
    const { token, hash } = newToken();
    // Only if nobody sent, cancelled or reminded it meanwhile.
    const updated = await trx
      .updateTable('questionnaireLink')
      .set({ tokenHash: hash, remindersSent: link.remindersSent + 1, lastRemindedAt: now })
      .where('id', '=', link.id)
      .where('status', '=', 'open')
      .where('remindersSent', '=', link.remindersSent)
      .returning('id')
      .executeTakeFirst();
    if (!updated) continue;
    const title = library.get(link.instrumentId)?.title ?? 'a questionnaire';
    const closes = [link.expiresAt.toISOString().slice(0, 10), expected?.dueOn].filter((d): d is string => Boolean(d)).sort()[0];
    // Nothing about the case in the message: it may be read by someone else in the household.
    await queueEmail(trx, {
      to,
      subject: 'A reminder: your questionnaire',
      body: `You were sent ${title} to fill in. If you have not finished it yet, you can do so here until ${closes}; the answers you have already given are kept:\n${baseUrl.replace(/\/$/, '')}/q/${token}\nThe link in the earlier message no longer works.`,
    });
    await recordAudit(trx, {
      organisationId,
      actorUserId: null,
      action: 'remind:questionnaire_link',
      entityType: 'questionnaire_link',
      entityId: link.id,
      ip: null,
      detail: { caseId: link.caseId, personId: link.personId, instrument: link.instrumentId, timepoint: link.timepoint, reminder: link.remindersSent + 1 },
    });
    sent.push({ linkId: link.id, to });
  }
  return sent;
};

/**
 * Sends the reminders due now, organisation by organisation (each in its own scoped transaction, so row-level security
 * applies). For a scheduler: idempotent within REMINDER_GAP_DAYS, so running it hourly sends each reminder once.
 */
export const sendQuestionnaireReminders = async (
  db: Db,
  options: { baseUrl: string; now?: Date; today?: string; newToken?: () => { token: string; hash: string } },
): Promise<Sent[]> => {
  const now = options.now ?? new Date();
  const today = options.today ?? localToday();
  const organisations = await db.selectFrom('organisation').select('id').execute();
  const sent: Sent[] = [];
  for (const { id } of organisations) {
    sent.push(...(await inScope(db, { organisationId: id, userId: null }, (trx) => remindOrganisation(trx, id, options.baseUrl, now, today, options.newToken ?? freshToken))));
  }
  return sent;
};
