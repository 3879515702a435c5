import { describe, expect, it } from 'vitest';
import { MAX_REMINDERS, reminderDue } from './reminders.ts';

const day = (iso: string): Date => new Date(`${iso}T09:00:00Z`);
const link = { createdAt: day('2026-03-01'), lastRemindedAt: null, remindersSent: 0, expiresAt: day('2026-03-15') };

describe('reminders to parents', () => {
  it('waits three days after the link or the last reminder', () => {
    expect(reminderDue(link, null, day('2026-03-03'), '2026-03-03')).toBe(false);
    expect(reminderDue(link, null, day('2026-03-04'), '2026-03-04')).toBe(true);
    expect(reminderDue({ ...link, remindersSent: 1, lastRemindedAt: day('2026-03-04') }, null, day('2026-03-06'), '2026-03-06')).toBe(false);
    expect(reminderDue({ ...link, remindersSent: 1, lastRemindedAt: day('2026-03-04') }, null, day('2026-03-07'), '2026-03-07')).toBe(true);
  });

  it('stops after the last reminder, when the link expires and once the window has closed', () => {
    expect(reminderDue({ ...link, remindersSent: MAX_REMINDERS }, null, day('2026-03-10'), '2026-03-10')).toBe(false);
    expect(reminderDue(link, null, day('2026-03-15'), '2026-03-15')).toBe(false);
    expect(reminderDue(link, '2026-03-05', day('2026-03-05'), '2026-03-05')).toBe(true);
    expect(reminderDue(link, '2026-03-05', day('2026-03-06'), '2026-03-06')).toBe(false);
  });
});
