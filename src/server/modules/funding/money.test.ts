import { describe, expect, it } from 'vitest';
import { chargeFor, classifyWithdrawal, deadlinesOf, fillable, formatPounds, londonToday, moneyAtRisk, percentOf, suppressSmall, type RiskPlace } from './money.ts';

const sessions = [1, 2, 3, 4, 5, 6].map((number) => ({ number, onDate: `2027-03-${String(number * 4).padStart(2, '0')}` }));
const place = (over: Partial<RiskPlace> = {}): RiskPlace => ({
  status: 'filled',
  freedLate: false,
  refundable: false,
  everFilled: true,
  atRisk: false,
  payerOrganisationId: 'lead',
  pricePence: 50_000,
  refillDeadline: '2027-03-14',
  ...over,
});

describe('deadlines and withdrawals', () => {
  it('takes the dates of the contract sessions, and the last session past the end', () => {
    expect(deadlinesOf(sessions, { refundableBeforeSession: 2, refillBeforeSession: 3, lateChargePercent: 100 })).toEqual({ refundDeadline: '2027-03-08', refillDeadline: '2027-03-12' });
    expect(deadlinesOf(sessions, { refundableBeforeSession: 9, refillBeforeSession: 1, lateChargePercent: 0 })).toEqual({ refundDeadline: '2027-03-24', refillDeadline: '2027-03-04' });
  });
  it('refunds before the refund point and calls a withdrawal on the re-fill day late', () => {
    const block = { refundDeadline: '2027-03-14', refillDeadline: '2027-03-21' };
    expect(classifyWithdrawal('2027-03-13', block)).toEqual({ refundable: true, late: false });
    expect(classifyWithdrawal('2027-03-14', block)).toEqual({ refundable: false, late: false });
    expect(classifyWithdrawal('2027-03-21', block)).toEqual({ refundable: false, late: true });
  });
  it('lets an empty place be filled up to and including the deadline day, never a late one', () => {
    expect(fillable({ status: 'freed', freedLate: false }, '2027-03-21', '2027-03-21')).toBe(true);
    expect(fillable({ status: 'freed', freedLate: false }, '2027-03-21', '2027-03-22')).toBe(false);
    expect(fillable({ status: 'freed', freedLate: true }, '2027-03-21', '2027-03-01')).toBe(false);
    expect(fillable({ status: 'filled', freedLate: false }, '2027-03-21', '2027-03-01')).toBe(false);
  });
  it('uses the London day', () => {
    expect(londonToday(new Date('2027-06-30T23:30:00Z'))).toBe('2027-07-01');
    expect(londonToday(new Date('2027-01-31T23:30:00Z'))).toBe('2027-01-31');
  });
});

describe('charges', () => {
  it('charges every block place but a refunded one', () => {
    expect(chargeFor('block', place(), 50_000, 100).pence).toBe(50_000);
    expect(chargeFor('block', place({ status: 'vacant', everFilled: false }), 50_000, 100).pence).toBe(50_000);
    expect(chargeFor('block', place({ status: 'freed', freedLate: true }), 50_000, 100)).toEqual({ pence: 50_000, payerOrganisationId: 'lead', reason: 'bought' });
    expect(chargeFor('block', place({ status: 'freed', refundable: true }), 50_000, 100)).toEqual({ pence: 0, payerOrganisationId: 'lead', reason: 'refunded' });
  });
  it('charges a spot family that started, the late percentage after the refund point, nothing before it', () => {
    expect(chargeFor('spot', place(), 120_000, 50).pence).toBe(120_000);
    expect(chargeFor('spot', place({ status: 'vacant', everFilled: false }), 120_000, 50).pence).toBe(0);
    expect(chargeFor('spot', place({ status: 'freed' }), 120_001, 50)).toEqual({ pence: 60_001, payerOrganisationId: 'lead', reason: 'late_withdrawal' });
    expect(chargeFor('spot', place({ status: 'freed', refundable: true }), 120_000, 50).pence).toBe(0);
    expect(chargeFor('grant', place(), 120_000, 50).pence).toBe(0);
  });
  it('rounds percentages half up in whole pence', () => {
    expect(percentOf(333, 50)).toBe(167);
    expect(percentOf(1, 49)).toBe(0);
    expect(() => percentOf(1.5, 10)).toThrow(RangeError);
  });
});

describe('money at risk', () => {
  it('counts the test scenario: 10 bought, 8 filled, one freed late, one freed early and claimed, two never filled', () => {
    const places = [
      ...Array.from({ length: 6 }, () => place()),
      place({ atRisk: true }),
      place({ status: 'freed', freedLate: true, refillDeadline: '2027-03-14' }),
      place({ status: 'freed', refundable: true, payerOrganisationId: 'partner' }),
      place({ status: 'vacant', everFilled: false }),
      place({ status: 'vacant', everFilled: false }),
    ];
    const before = moneyAtRisk(places, '2027-03-14');
    expect(before).toMatchObject({ placesBought: 11, placesFilled: 7, placesVacant: 4, placesFreedLate: 1, placesFillable: 3, fillablePence: 150_000, lostPence: 50_000, familiesAtRisk: 1, atRiskPence: 50_000, valueBoughtPence: 550_000 });
    const after = moneyAtRisk(places, '2027-03-15');
    expect(after).toMatchObject({ placesFillable: 0, fillablePence: 0, lostPence: 150_000 });
  });
  it('withholds small counts of families', () => {
    expect(suppressSmall(0)).toBe(0);
    expect(suppressSmall(4)).toBeNull();
    expect(suppressSmall(5)).toBe(5);
  });
  it('formats pounds exactly', () => {
    expect(formatPounds(123_456_789)).toBe('£1,234,567.89');
    expect(formatPounds(5)).toBe('£0.05');
    expect(formatPounds(-50_000)).toBe('-£500.00');
  });
});
