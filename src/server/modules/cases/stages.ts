import type { CaseStage } from '../../../shared/contracts/journey.ts';

/**
 * How a case may move. The usual path runs referred → triaged → assessment booked → assessed → awaiting group →
 * in service → completed → follow-up → closed; a family can withdraw at any point before completion, a booked
 * assessment can be rebooked (back to triaged), and a closed case stays closed (a new referral opens a new case).
 */
const next: Record<CaseStage, readonly CaseStage[]> = {
  referred: ['triaged', 'withdrawn', 'closed'],
  triaged: ['assessment_booked', 'withdrawn', 'closed'],
  assessment_booked: ['assessed', 'triaged', 'withdrawn'],
  assessed: ['awaiting_group', 'in_service', 'closed', 'withdrawn'],
  awaiting_group: ['in_service', 'withdrawn'],
  in_service: ['completed', 'withdrawn'],
  completed: ['follow_up', 'closed'],
  withdrawn: ['follow_up', 'closed'],
  follow_up: ['closed'],
  closed: [],
};

export const allowedNextStages = (from: CaseStage): readonly CaseStage[] => next[from];
export const canMove = (from: CaseStage, to: CaseStage): boolean => next[from].includes(to);
/** Moves that end a case's active work need a reason on record. */
export const needsReason = (to: CaseStage): boolean => to === 'withdrawn' || to === 'closed';
