/**
 * A grant's instalments, pure: the contract's value paid in `count` equal parts over its period. Amounts are whole
 * pence and add up to the value exactly (the odd pence go to the first instalments). A period of whole calendar
 * months that divides evenly is split by months (a year in four gives the calendar quarters a funder expects);
 * any other period is split by days.
 */

export type Instalment = { number: number; periodStart: string; periodEnd: string; amountPence: number };

const DAY = 86_400_000;
const toTime = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const toIso = (time: number): string => new Date(time).toISOString().slice(0, 10);
const lastDayOfMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const wholeMonths = (start: string, end: string): number | null => {
  const [sy, sm, sd] = start.split('-').map(Number) as [number, number, number];
  const [ey, em, ed] = end.split('-').map(Number) as [number, number, number];
  if (sd !== 1 || ed !== lastDayOfMonth(ey, em)) return null;
  return (ey - sy) * 12 + (em - sm) + 1;
};

/** Why this split cannot be made (null when it can). */
export const instalmentProblem = (periodStart: string, periodEnd: string, count: number): string | null => {
  const days = (toTime(periodEnd) - toTime(periodStart)) / DAY + 1;
  if (days < count) return `a period of ${days} days cannot be split into ${count} instalments`;
  return null;
};

export const grantInstalments = (periodStart: string, periodEnd: string, valuePence: number, count: number): Instalment[] => {
  if (!Number.isSafeInteger(valuePence) || valuePence < 0) throw new RangeError(`grantInstalments: value must be whole pence, got ${valuePence}`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`grantInstalments: count must be a positive whole number, got ${count}`);
  const problem = instalmentProblem(periodStart, periodEnd, count);
  if (problem) throw new RangeError(`grantInstalments: ${problem}`);
  const base = Math.floor(valuePence / count);
  const odd = valuePence - base * count;
  const amount = (i: number): number => base + (i < odd ? 1 : 0);
  const months = wholeMonths(periodStart, periodEnd);
  if (months !== null && months % count === 0) {
    const per = months / count;
    const [sy, sm] = periodStart.split('-').map(Number) as [number, number];
    return Array.from({ length: count }, (_, i) => {
      const first = new Date(Date.UTC(sy, sm - 1 + i * per, 1));
      const last = new Date(Date.UTC(sy, sm - 1 + (i + 1) * per, 0));
      return { number: i + 1, periodStart: toIso(first.getTime()), periodEnd: toIso(last.getTime()), amountPence: amount(i) };
    });
  }
  const start = toTime(periodStart);
  const days = (toTime(periodEnd) - start) / DAY + 1;
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    periodStart: toIso(start + Math.floor((i * days) / count) * DAY),
    periodEnd: toIso(start + (Math.floor(((i + 1) * days) / count) - 1) * DAY),
    amountPence: amount(i),
  }));
};
