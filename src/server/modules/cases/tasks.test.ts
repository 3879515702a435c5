import { describe, expect, it } from 'vitest';
import { caseStages } from '../../../shared/contracts/journey.ts';
import { allowedNextStages, canMove, needsReason } from './stages.ts';
import { deriveTasks, dueDays } from './tasks.ts';

describe('case stages', () => {
  it('follows the documented path and never leaves closed', () => {
    const path = ['referred', 'triaged', 'assessment_booked', 'assessed', 'awaiting_group', 'in_service', 'completed', 'follow_up', 'closed'] as const;
    for (let i = 0; i < path.length - 1; i += 1) expect(canMove(path[i] as (typeof path)[number], path[i + 1] as (typeof path)[number])).toBe(true);
    expect(allowedNextStages('closed')).toEqual([]);
    expect(canMove('triaged', 'in_service')).toBe(false);
  });

  it('lets a family withdraw from every active stage, and asks a reason for withdrawal and closure', () => {
    for (const stage of ['referred', 'triaged', 'assessment_booked', 'assessed', 'awaiting_group', 'in_service'] as const) expect(canMove(stage, 'withdrawn')).toBe(true);
    expect(needsReason('withdrawn')).toBe(true);
    expect(needsReason('closed')).toBe(true);
    expect(needsReason('assessed')).toBe(false);
    for (const stage of caseStages) expect(allowedNextStages(stage)).not.toContain(stage);
  });
});

describe('deriveTasks', () => {
  const today = '2026-11-23';
  it('dates each task from when its stage began, flags overdue ones, and sorts by due date', () => {
    const tasks = deriveTasks({
      today,
      referrals: [{ id: 'r1', reference: 'R-1', familyName: 'Fielding', receivedOn: '2026-11-10' }],
      cases: [
        { id: 'c1', reference: 'C-1', familyLabel: 'Ahmed family', stage: 'triaged', stageChangedOn: '2026-11-20' },
        { id: 'c2', reference: 'C-2', familyLabel: 'Brown family', stage: 'completed', stageChangedOn: '2026-05-01' },
        { id: 'c3', reference: 'C-3', familyLabel: 'Cole family', stage: 'in_service', stageChangedOn: '2026-10-01' },
      ],
    });
    // 1 May + 182 days = 30 October; 10 Nov + 5 = 15 Nov; 20 Nov + 14 = 4 Dec.
    expect(tasks.map((t) => [t.kind, t.dueOn, t.overdue])).toEqual([
      ['follow_up_due', '2026-10-30', true],
      ['triage_referral', '2026-11-15', true],
      ['book_assessment', '2026-12-04', false],
    ]);
    expect(dueDays.followUp).toBe(182);
  });

  it('owes nothing for a case in service or closed, and a task due today is not overdue', () => {
    expect(deriveTasks({ today, referrals: [], cases: [{ id: 'c', reference: 'C', familyLabel: 'F', stage: 'closed', stageChangedOn: '2020-01-01' }] })).toEqual([]);
    const dueToday = deriveTasks({ today, referrals: [{ id: 'r', reference: 'R', familyName: 'F', receivedOn: '2026-11-18' }], cases: [] });
    expect(dueToday[0]).toMatchObject({ dueOn: today, overdue: false });
  });
});
