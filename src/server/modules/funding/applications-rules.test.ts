import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicationStatuses, formatDay, formatPence } from '../../../shared/contracts/fund-applications.ts';
import { roles } from '../../../shared/permissions.ts';
import {
  addMonths,
  assessmentProblem,
  fundingYearOf,
  limitProblems,
  nextStatuses,
  requiredMatchPence,
  sharesOf,
  startProblem,
  transitionProblem,
  type AssessmentFact,
  type ChildUse,
} from './applications-rules.ts';

describe('the status flow', () => {
  it('runs draft → submitted → approved → delivered → claimed → paid, with rejection and withdrawal on the way', () => {
    expect(nextStatuses('draft', 'case_worker')).toEqual(['submitted', 'withdrawn']);
    expect(nextStatuses('submitted', 'service_manager')).toEqual(['approved', 'rejected', 'withdrawn']);
    expect(nextStatuses('approved', 'service_manager')).toEqual(['delivered', 'withdrawn']);
    expect(nextStatuses('delivered', 'service_manager')).toEqual(['claimed']);
    expect(nextStatuses('claimed', 'service_manager')).toEqual(['paid']);
    for (const end of ['rejected', 'paid', 'withdrawn'] as const) expect(nextStatuses(end, 'service_manager')).toEqual([]);
  });

  it('lets case workers submit and withdraw, and only managers record the decision, delivery, claim and payment', () => {
    expect(transitionProblem('draft', 'submitted', 'case_worker')).toBeNull();
    expect(transitionProblem('submitted', 'withdrawn', 'case_worker')).toBeNull();
    expect(transitionProblem('submitted', 'approved', 'case_worker')).toEqual({ kind: 'role', message: 'only a service manager can mark a submitted application approved' });
    expect(transitionProblem('approved', 'delivered', 'case_worker')?.kind).toBe('role');
    expect(transitionProblem('submitted', 'approved', 'service_manager')).toBeNull();
    expect(transitionProblem('draft', 'approved', 'service_manager')).toEqual({ kind: 'flow', message: 'a draft application can only become submitted or withdrawn, not approved' });
    expect(transitionProblem('paid', 'claimed', 'service_manager')).toEqual({ kind: 'flow', message: 'a paid application cannot change any more' });
    expect(transitionProblem('draft', 'submitted', null)?.kind).toBe('role');
  });

  it('never lets a role outside case work move an application, and never skips a step', () => {
    fc.assert(
      fc.property(fc.constantFrom(...applicationStatuses), fc.constantFrom(...applicationStatuses), fc.constantFrom(...roles), (from, to, role) => {
        const problem = transitionProblem(from, to, role);
        if (!['case_worker', 'service_manager'].includes(role)) expect(problem).not.toBeNull();
        // What the web offers and what the server allows are the same thing.
        expect(problem === null).toBe(nextStatuses(from, role).includes(to));
        // Money is only claimed for a delivered service, and only paid once claimed.
        if (to === 'claimed') expect(from === 'delivered' || problem !== null).toBe(true);
        if (to === 'paid') expect(from === 'claimed' || problem !== null).toBe(true);
      }),
    );
  });
});

describe('dates', () => {
  it('adds months, keeping the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-11-23', 12)).toBe('2026-11-23');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
  });

  it('finds the funding year: the financial year from 1 April, or the calendar year', () => {
    expect(fundingYearOf('2026-03-31', 4)).toEqual({ from: '2025-04-01', to: '2026-03-31' });
    expect(fundingYearOf('2026-04-01', 4)).toEqual({ from: '2026-04-01', to: '2027-03-31' });
    expect(fundingYearOf('2024-02-29', 1)).toEqual({ from: '2024-01-01', to: '2024-12-31' });
  });

  it('puts every day inside its own funding year', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.integer({ min: 1, max: 12 }), (d, start) => {
        const day = d.toISOString().slice(0, 10);
        const year = fundingYearOf(day, start);
        expect(year.from <= day && day <= year.to).toBe(true);
        expect(addMonths(year.from, 12) > year.to).toBe(true);
      }),
    );
  });

  it('formats money and days for people', () => {
    expect(formatPence(500000)).toBe('£5,000.00');
    expect(formatPence(7)).toBe('£0.07');
    expect(formatPence(123456789)).toBe('£1,234,567.89');
    expect(formatDay('2025-03-03')).toBe('3 March 2025');
  });
});

describe('the per-child annual limit and match funding', () => {
  const lily: ChildUse = { id: 'c1', name: 'Lily Fielding', usedPence: 0 };
  const sam: ChildUse = { id: 'c2', name: 'Sam Fielding', usedPence: 0 };

  it('needs no match funding within the limit, and the excess above it', () => {
    expect(requiredMatchPence(500000, [lily], 500000)).toBe(0);
    expect(requiredMatchPence(650000, [lily], 500000)).toBe(150000);
    expect(requiredMatchPence(650000, [{ ...lily, usedPence: 200000 }], 500000)).toBe(350000);
    expect(requiredMatchPence(650000, [lily], null)).toBe(0);
    // A family application for two children counts half against each.
    expect(requiredMatchPence(900000, [lily, sam], 500000)).toBe(0);
    expect(requiredMatchPence(900000, [{ ...lily, usedPence: 450000 }, sam], 500000)).toBe(800000);
  });

  it('refuses too little match funding, naming the child, the limit and what is already used', () => {
    const problems = limitProblems({ amountPence: 650000, matchFundingPence: 100000, matchFunder: 'Northshire RAA', limitPence: 500000, children: [{ ...lily, usedPence: 20000 }] });
    expect(problems).toEqual([
      {
        path: 'body.matchFundingPence',
        message: "the fund's share is over the £5,000.00 annual limit for Lily Fielding (£200.00 already applied for this year); at least £1,700.00 must be match-funded",
      },
    ]);
  });

  it('wants the match funder named, and match funding no larger than the amount', () => {
    expect(limitProblems({ amountPence: 650000, matchFundingPence: 150000, matchFunder: ' ', limitPence: 500000, children: [lily] })).toEqual([
      { path: 'body.matchFunder', message: 'name who provides the match funding of £1,500.00' },
    ]);
    expect(limitProblems({ amountPence: 650000, matchFundingPence: 150000, matchFunder: 'Northshire RAA', limitPence: 500000, children: [lily] })).toEqual([]);
    expect(limitProblems({ amountPence: 100, matchFundingPence: 101, matchFunder: 'x', limitPence: null, children: [lily] })[0]?.path).toBe('body.matchFundingPence');
  });

  it('splits a fund share into whole pence that add up', () => {
    expect(sharesOf(1001, 3)).toEqual([334, 334, 333]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 12 }), (total, n) => {
        const shares = sharesOf(total, n);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('asks for the least match funding that keeps every child within the limit', () => {
    const child = fc.record({ id: fc.uuid(), name: fc.constant('A child'), usedPence: fc.integer({ min: 0, max: 800_000 }) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.array(child, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1_000_000 }), (amount, children, limit) => {
        const match = requiredMatchPence(amount, children, limit);
        expect(Number.isInteger(match)).toBe(true);
        expect(match).toBeGreaterThanOrEqual(0);
        expect(match).toBeLessThanOrEqual(amount);
        const within = (m: number) => sharesOf(amount - m, children.length).every((s, i) => s === 0 || (children[i]?.usedPence ?? 0) + s <= limit);
        expect(within(match)).toBe(true);
        if (match > 0) expect(within(match - 1)).toBe(false);
        // With exactly that much match funding from someone named, the money is accepted.
        expect(limitProblems({ amountPence: amount, matchFundingPence: match, matchFunder: 'A trust', limitPence: limit, children })).toEqual([]);
      }),
    );
  });
});

describe('the assessment an application rests on', () => {
  const held = (id: string, heldOn: string, extra: Partial<AssessmentFact> = {}): AssessmentFact => ({ id, status: 'held', outcome: 'suitable', heldOn, recordedAt: `${heldOn}T12:00:00Z`, ...extra });
  const family = 'the Fielding family';

  it('is current when completed as suitable within the months allowed, and not superseded', () => {
    const a = held('a', '2025-11-23');
    expect(assessmentProblem(a, [a], '2026-11-23', 12, family)).toBeNull();
    expect(assessmentProblem(held('b', '2026-01-10', { outcome: 'suitable_with_conditions' }), [], '2026-11-23', 12, family)).toBeNull();
  });

  it('says why it is not current, with the date it was completed', () => {
    const old = held('a', '2025-11-22');
    expect(assessmentProblem(old, [old], '2026-11-23', 12, family)).toBe(
      'the assessment of the Fielding family is not current: completed 22 November 2025, more than 12 months before 23 November 2026',
    );
    expect(assessmentProblem(old, [old], '2026-11-23', 18, family)).toBeNull();
    const newer = held('b', '2026-06-01');
    expect(assessmentProblem(held('a', '2026-02-01'), [held('a', '2026-02-01'), newer], '2026-11-23', 12, family)).toBe(
      'the assessment of the Fielding family is not current: completed 1 February 2026, superseded by the assessment completed 1 June 2026',
    );
    expect(assessmentProblem(held('a', '2026-02-01', { status: 'booked', outcome: null }), [], '2026-11-23', 12, family)).toBe(
      'the assessment of the Fielding family is not current: it has not been completed (no outcome recorded)',
    );
    expect(assessmentProblem(held('a', '2026-02-01', { status: 'cancelled', outcome: null }), [], '2026-11-23', 12, family)).toMatch(/cancelled/);
    expect(assessmentProblem(held('a', '2026-02-01', { outcome: 'not_suitable' }), [], '2026-11-23', 12, family)).toMatch(/not suitable/);
    expect(assessmentProblem(undefined, [], '2026-11-23', 12, family)).toMatch(/^the assessment of the Fielding family is missing/);
  });

  it('is not superseded by a later booking that has not been held, only by a later completed one', () => {
    const a = held('a', '2026-02-01');
    expect(assessmentProblem(a, [a, held('b', '2026-06-01', { status: 'booked', outcome: null })], '2026-11-23', 12, family)).toBeNull();
    const sameDayLater = held('c', '2026-02-01', { recordedAt: '2026-02-01T15:00:00Z' });
    expect(assessmentProblem(a, [a, sameDayLater], '2026-11-23', 12, family)).toMatch(/superseded/);
  });
});

describe('starting a funded group', () => {
  const needed = { funderId: 'asf', funderName: 'Adoption Support Fund', programmeId: 'p1' };

  it('needs an approved application to that funder for that programme, in the family’s own name', () => {
    expect(startProblem([], needed, 'the Fielding family')).toBe('no approved Adoption Support Fund application in the name of the Fielding family');
    expect(startProblem([{ status: 'submitted', funderId: 'asf', programmeId: 'p1' }], needed, 'the Fielding family')).toBe(
      'no approved Adoption Support Fund application in the name of the Fielding family (the application is submitted, not yet approved)',
    );
    expect(startProblem([{ status: 'approved', funderId: 'other', programmeId: 'p1' }], needed, 'X')).not.toBeNull();
    expect(startProblem([{ status: 'approved', funderId: 'asf', programmeId: 'p2' }], needed, 'X')).not.toBeNull();
    expect(startProblem([{ status: 'rejected', funderId: 'asf', programmeId: 'p1' }], needed, 'X')).not.toBeNull();
    for (const status of ['approved', 'delivered', 'claimed', 'paid'] as const) expect(startProblem([{ status, funderId: 'asf', programmeId: 'p1' }], needed, 'X')).toBeNull();
    // When the group's programme is not known, any approved application to that funder will do.
    expect(startProblem([{ status: 'approved', funderId: 'asf', programmeId: 'p2' }], { ...needed, programmeId: null }, 'X')).toBeNull();
    expect(startProblem([{ status: 'approved', funderId: 'other', programmeId: 'p1' }], { ...needed, programmeId: null }, 'X')).not.toBeNull();
  });
});
