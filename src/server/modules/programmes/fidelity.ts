import type { CurriculumSession } from '../../../shared/contracts/programmes.ts';

/**
 * The fidelity checklist of a session: what its curriculum entry says should happen, as items a facilitator ticks
 * covered, partly or not covered. Pure: no I/O.
 */
export const fidelityStatuses = ['covered', 'partly', 'not_covered'] as const;
export type FidelityStatus = (typeof fidelityStatuses)[number];
export type FidelityItem = { key: string; label: string };

export const checklistOf = (session: Pick<CurriculumSession, 'strand' | 'topic' | 'splitByGender' | 'childrenJoin'>): FidelityItem[] => [
  ...(session.topic ? [{ key: 'topic', label: `The session's topic: ${session.topic}` }] : []),
  ...(session.strand ? [{ key: 'strand', label: `Worked within the strand: ${session.strand}` }] : []),
  ...(session.splitByGender ? [{ key: 'split_groups', label: "Mothers' and fathers' groups met separately" }] : []),
  ...(session.childrenJoin ? [{ key: 'children_join', label: 'The children joined their fathers from the crèche' }] : []),
];

/**
 * Adherence as a percentage of the checklist: covered counts 1, partly a half, not covered 0; items not yet rated
 * are left out rather than counted as missed. Null until something is rated.
 */
export const adherence = (statuses: readonly (FidelityStatus | null)[]): { rated: number; of: number; percent: number | null } => {
  const rated = statuses.filter((s): s is FidelityStatus => s !== null);
  if (rated.length === 0) return { rated: 0, of: statuses.length, percent: null };
  const points = rated.reduce((sum, s) => sum + (s === 'covered' ? 2 : s === 'partly' ? 1 : 0), 0);
  return { rated: rated.length, of: statuses.length, percent: Math.round((points / (2 * rated.length)) * 100) };
};
