import { facilitatorRuleProblem, type FacilitatorRule, type Gender } from '../cases/index.ts';

/**
 * The facilitator rule applied per session: a session breaks it unless its facilitators meet the programme's
 * rule, or a service manager recorded why this session runs without (cover for sickness, a single-gender group).
 */
export const sessionFacilitatorProblem = (rule: FacilitatorRule, session: { facilitators: readonly { gender: Gender }[]; ruleOverrideReason: string | null }): string | null =>
  session.ruleOverrideReason ? null : facilitatorRuleProblem(rule, session.facilitators.map((f) => f.gender));

/** Sessions that need a manager's attention on the planning page. */
export const sessionsWithoutValidFacilitators = <S extends { number: number; facilitators: readonly { gender: Gender }[]; ruleOverrideReason: string | null }>(
  rule: FacilitatorRule,
  sessions: readonly S[],
): number[] => sessions.filter((s) => sessionFacilitatorProblem(rule, s) !== null).map((s) => s.number);
