import type { CaseStage } from '../../../shared/contracts/journey.ts';

export type TaskKind = 'triage_referral' | 'book_assessment' | 'hold_assessment' | 'follow_up_due' | 'close_case';

export type DerivedTask = {
  kind: TaskKind;
  title: string;
  dueOn: string;
  overdue: boolean;
  link: string;
  caseId: string | null;
  referralId: string | null;
};

/** Service standards, in days. Declared here so the rule behind each due date is in one place. */
export const dueDays = {
  triageReferral: 5,
  bookAssessment: 14,
  holdAssessment: 21,
  followUp: 182,
  closeAfterFollowUp: 30,
} as const;

const addDays = (isoDay: string, days: number): string => {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export type CaseForTasks = { id: string; reference: string; familyLabel: string; stage: CaseStage; stageChangedOn: string };
export type ReferralForTasks = { id: string; reference: string; familyName: string; receivedOn: string };

/**
 * Tasks are derived from the state of the work rather than stored, so they cannot drift from it: a case that
 * moves on stops owing the task. `today` is 'YYYY-MM-DD'.
 */
export const deriveTasks = (input: { cases: CaseForTasks[]; referrals: ReferralForTasks[]; today: string }): DerivedTask[] => {
  const tasks: DerivedTask[] = [];
  const push = (task: Omit<DerivedTask, 'overdue'>) => tasks.push({ ...task, overdue: task.dueOn < input.today });
  for (const r of input.referrals) {
    push({
      kind: 'triage_referral',
      title: `Triage referral ${r.reference} (${r.familyName})`,
      dueOn: addDays(r.receivedOn, dueDays.triageReferral),
      link: `/referrals/${r.id}`,
      caseId: null,
      referralId: r.id,
    });
  }
  for (const c of input.cases) {
    const base = { link: `/cases/${c.id}`, caseId: c.id, referralId: null };
    const who = `${c.reference} (${c.familyLabel})`;
    if (c.stage === 'triaged') push({ ...base, kind: 'book_assessment', title: `Book the assessment for ${who}`, dueOn: addDays(c.stageChangedOn, dueDays.bookAssessment) });
    if (c.stage === 'assessment_booked') push({ ...base, kind: 'hold_assessment', title: `Hold and record the assessment for ${who}`, dueOn: addDays(c.stageChangedOn, dueDays.holdAssessment) });
    if (c.stage === 'completed' || c.stage === 'withdrawn') push({ ...base, kind: 'follow_up_due', title: `Six-month follow-up for ${who}`, dueOn: addDays(c.stageChangedOn, dueDays.followUp) });
    if (c.stage === 'follow_up') push({ ...base, kind: 'close_case', title: `Close ${who} after follow-up`, dueOn: addDays(c.stageChangedOn, dueDays.closeAfterFollowUp) });
  }
  return tasks.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.title.localeCompare(b.title));
};
