import type { Trx } from '../../db.ts';

/** Puts an email in the outbox in the caller's transaction; it is sent (or not) with what it tells about. */
export const queueEmail = async (trx: Trx, email: { to: string; subject: string; body: string }): Promise<void> => {
  await trx.insertInto('emailOutbox').values({ toAddress: email.to, subject: email.subject, body: email.body, sentAt: null }).execute();
};
