/** Calendar quarters for funders' returns. Pure. */

export type Period = { readonly quarter: string; readonly from: string; readonly to: string; readonly label: string };

const pad = (n: number): string => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The quarter "2026-Q2" as dates: 2026-04-01 to 2026-06-30. */
export const quarterDates = (quarter: string): { from: string; to: string } => {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) throw new RangeError(`quarterDates: "${quarter}" is not a quarter such as 2026-Q2`);
  const year = Number(match[1]);
  const q = Number(match[2]);
  const firstMonth = 3 * q - 2;
  const lastMonth = 3 * q;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  return { from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(lastMonth)}-${pad(lastDay)}` };
};

/** The last quarter that has ended by `today` (YYYY-MM-DD, the London calendar date). */
export const lastCompleteQuarter = (today: string): string => {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const current = Math.ceil(month / 3);
  return current === 1 ? `${year - 1}-Q4` : `${year}-Q${current - 1}`;
};

const dayText = (iso: string): string => `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1] ?? ''} ${iso.slice(0, 4)}`;

/**
 * The period a return covers: the quarter itself, or from the return's start date to the end of the quarter
 * (cumulative returns). A start after the quarter's end is refused by the caller, not silently emptied.
 */
export const periodFor = (quarter: string, kind: 'quarter' | 'since_start', startDate: string | null): Period => {
  const dates = quarterDates(quarter);
  const from = kind === 'since_start' && startDate ? startDate : dates.from;
  return { quarter, from, to: dates.to, label: `${quarter}: ${dayText(from)} to ${dayText(dates.to)}` };
};
