import type { Role } from '../../../shared/permissions.ts';
import { formatDay, formatPence, type ApplicationStatus } from '../../../shared/contracts/fund-applications.ts';

/*
 * Per-participant fund applications (the Adoption Support Fund model), as pure rules: the status flow and who may
 * move it, the per-child annual limit with match funding above it, whether the assessment an application rests on
 * is current, and whether a family may start a funded group. No I/O; the service feeds these the facts.
 */

type Move = { to: ApplicationStatus; roles: readonly Role[] };

// Case workers prepare and submit for the families on their caseload; the fund's decision, delivery, the claim and
// the payment are recorded by a service manager, who answers for the money.
const casework: readonly Role[] = ['case_worker', 'service_manager'];
const manager: readonly Role[] = ['service_manager'];
const flow: Record<ApplicationStatus, readonly Move[]> = {
  draft: [
    { to: 'submitted', roles: casework },
    { to: 'withdrawn', roles: casework },
  ],
  submitted: [
    { to: 'approved', roles: manager },
    { to: 'rejected', roles: manager },
    { to: 'withdrawn', roles: casework },
  ],
  // A family that drops out before the service is delivered: the approval is given back, nothing is claimed.
  approved: [
    { to: 'delivered', roles: manager },
    { to: 'withdrawn', roles: manager },
  ],
  delivered: [{ to: 'claimed', roles: manager }],
  claimed: [{ to: 'paid', roles: manager }],
  rejected: [],
  paid: [],
  withdrawn: [],
};

/** Where an application in this status may go next, for this role (the web offers only these). */
export const nextStatuses = (from: ApplicationStatus, role: Role | null): ApplicationStatus[] =>
  flow[from].filter((m) => role !== null && m.roles.includes(role)).map((m) => m.to);

/** Why this move is refused (the wording goes to the person), or null when it is allowed. */
export const transitionProblem = (from: ApplicationStatus, to: ApplicationStatus, role: Role | null): { kind: 'flow' | 'role'; message: string } | null => {
  const move = flow[from].find((m) => m.to === to);
  if (!move) {
    const allowed = flow[from].map((m) => m.to);
    return {
      kind: 'flow',
      message: allowed.length === 0 ? `a ${from} application cannot change any more` : `a ${from} application can only become ${allowed.join(' or ')}, not ${to}`,
    };
  }
  if (role === null || !move.roles.includes(role)) return { kind: 'role', message: `only a service manager can mark a ${from} application ${to}` };
  return null;
};

/** Statuses whose amounts count against a child's annual limit: asked for, granted or spent. */
export const countingStatuses: readonly ApplicationStatus[] = ['submitted', 'approved', 'delivered', 'claimed', 'paid'];
/** Statuses that let a family start: the fund has said yes (and may since have been claimed or paid). */
export const approvedStatuses: readonly ApplicationStatus[] = ['approved', 'delivered', 'claimed', 'paid'];

// ---------------------------------------------------------------------------------------------------------------
// Dates

const parse = (iso: string): { y: number; m: number; d: number } => {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return { y: y ?? 0, m: m ?? 1, d: d ?? 1 };
};
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** A date `months` later; the 31st of a shorter month becomes its last day (31 Jan + 1 month = 28/29 Feb). */
export const addMonths = (iso: string, months: number): string => {
  const { y, m, d } = parse(iso);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return `${pad(ny, 4)}-${pad(nm)}-${pad(Math.min(d, daysIn(ny, nm)))}`;
};

/**
 * The funding year a day falls in, as inclusive ISO dates. `startMonth` 4 is the UK financial year (1 April to
 * 31 March), which the Adoption Support Fund's limits follow; 1 is the calendar year.
 */
export const fundingYearOf = (iso: string, startMonth: number): { from: string; to: string } => {
  const { y, m } = parse(iso);
  const startYear = m >= startMonth ? y : y - 1;
  const from = `${pad(startYear, 4)}-${pad(startMonth)}-01`;
  const next = addMonths(from, 12);
  const last = new Date(Date.parse(`${next}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { from, to: last };
};

// ---------------------------------------------------------------------------------------------------------------
// The per-child annual limit and match funding

export type ChildUse = { id: string; name: string; /** what other counting applications already ask of the fund for this child this year */ usedPence: number };

/** A family application's fund share split equally between the children it names; the odd pence go to the first. */
export const sharesOf = (fundPence: number, children: number): number[] => {
  if (children <= 0) return [];
  const base = Math.floor(fundPence / children);
  const rest = fundPence - base * children;
  return Array.from({ length: children }, (_, i) => base + (i < rest ? 1 : 0));
};

/** What a child can still be given this year; a child already at or over the limit gets nothing more. */
const headroom = (child: ChildUse | undefined, limitPence: number): number => Math.max(0, limitPence - (child?.usedPence ?? 0));
const fits = (fundPence: number, children: readonly ChildUse[], limitPence: number): boolean =>
  sharesOf(fundPence, children.length).every((share, i) => share <= headroom(children[i], limitPence));

/**
 * The least match funding that keeps every named child within the annual limit. The fund's share is the amount
 * less the match funding; feasibility only gets easier as the share falls, so a binary search over whole pence
 * finds the largest share that fits.
 */
export const requiredMatchPence = (amountPence: number, children: readonly ChildUse[], limitPence: number | null): number => {
  if (limitPence === null || children.length === 0 || fits(amountPence, children, limitPence)) return 0;
  let lo = 0; // fits (a share of nothing always fits)
  let hi = amountPence; // does not fit
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (fits(mid, children, limitPence)) lo = mid;
    else hi = mid;
  }
  return amountPence - lo;
};

export type LimitInput = {
  amountPence: number;
  matchFundingPence: number;
  matchFunder: string | null;
  limitPence: number | null;
  children: readonly ChildUse[];
};
export type FieldProblem = { path: string; message: string };

/** What is wrong with an application's money against the limit, field by field (empty when it is right). */
export const limitProblems = (input: LimitInput): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  if (input.matchFundingPence > input.amountPence) {
    problems.push({ path: 'body.matchFundingPence', message: `cannot be more than the amount applied for (${formatPence(input.amountPence)})` });
    return problems;
  }
  const required = requiredMatchPence(input.amountPence, input.children, input.limitPence);
  if (input.matchFundingPence < required && input.limitPence !== null) {
    const shares = sharesOf(input.amountPence - input.matchFundingPence, input.children.length);
    const over = input.children.filter((c, i) => (shares[i] ?? 0) > headroom(c, input.limitPence ?? 0));
    const who = over.map((c) => (c.usedPence > 0 ? `${c.name} (${formatPence(c.usedPence)} already applied for this year)` : c.name)).join(', ');
    problems.push({
      path: 'body.matchFundingPence',
      message: `the fund's share is over the ${formatPence(input.limitPence)} annual limit for ${who}; at least ${formatPence(required)} must be match-funded`,
    });
  }
  if (input.matchFundingPence > 0 && !input.matchFunder?.trim()) {
    problems.push({ path: 'body.matchFunder', message: `name who provides the match funding of ${formatPence(input.matchFundingPence)}` });
  }
  return problems;
};

// ---------------------------------------------------------------------------------------------------------------
// The assessment an application rests on

export type AssessmentFact = {
  id: string;
  status: 'booked' | 'held' | 'cancelled';
  outcome: 'suitable' | 'suitable_with_conditions' | 'not_suitable' | null;
  /** The day it was held (Europe/London), which is when it was completed. */
  heldOn: string;
  /** Tie-break between two assessments held on one day: the one recorded later supersedes. */
  recordedAt: string;
};

/**
 * "Current" means: the assessment was held and its outcome recorded (suitable, or suitable with conditions); no
 * later assessment of the same case has been completed since (that one supersedes it); and it was held no more than
 * `validMonths` months before the day of the check (`onDate`, the submission day). The wording names the family and
 * the date, so the person knows what to do: book a new assessment.
 */
export const assessmentProblem = (
  chosen: AssessmentFact | undefined,
  ofCase: readonly AssessmentFact[],
  onDate: string,
  validMonths: number,
  familyLabel: string,
): string | null => {
  const lead = `the assessment of ${familyLabel}`;
  if (!chosen) return `${lead} is missing: an application rests on a completed assessment of the family`;
  if (chosen.status === 'cancelled') return `${lead} is not current: it was cancelled`;
  if (chosen.status !== 'held' || chosen.outcome === null) return `${lead} is not current: it has not been completed (no outcome recorded)`;
  if (chosen.outcome === 'not_suitable') return `${lead} is not current: its outcome was not suitable, completed ${formatDay(chosen.heldOn)}`;
  const later = ofCase.find(
    (a) => a.id !== chosen.id && a.status === 'held' && a.outcome !== null && (a.heldOn > chosen.heldOn || (a.heldOn === chosen.heldOn && a.recordedAt > chosen.recordedAt)),
  );
  if (later) return `${lead} is not current: completed ${formatDay(chosen.heldOn)}, superseded by the assessment completed ${formatDay(later.heldOn)}`;
  if (chosen.heldOn > onDate) return `${lead} is not current: it is dated ${formatDay(chosen.heldOn)}, after ${formatDay(onDate)}`;
  if (addMonths(chosen.heldOn, validMonths) < onDate) {
    return `${lead} is not current: completed ${formatDay(chosen.heldOn)}, more than ${validMonths} months before ${formatDay(onDate)}`;
  }
  return null;
};

// ---------------------------------------------------------------------------------------------------------------
// Starting a funded group

export type ApplicationFact = { status: ApplicationStatus; funderId: string; programmeId: string };

/**
 * A family placed on a place a funder pays for per participant needs an approved application of its own, to that
 * funder, for that programme. Returns the refusal in words, or null.
 */
export const startProblem = (
  own: readonly ApplicationFact[],
  needed: { funderId: string; funderName: string; /** null when the group's programme is not known: any service of that funder */ programmeId: string | null },
  familyLabel: string,
): string | null => {
  const fits = (a: ApplicationFact) => a.funderId === needed.funderId && (needed.programmeId === null || a.programmeId === needed.programmeId);
  if (own.some((a) => fits(a) && approvedStatuses.includes(a.status))) return null;
  const pending = own.find((a) => fits(a) && (a.status === 'draft' || a.status === 'submitted'));
  const tail = pending ? ` (the application is ${pending.status}, not yet approved)` : '';
  return `no approved ${needed.funderName} application in the name of ${familyLabel}${tail}`;
};
