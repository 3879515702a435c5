/**
 * The crèche's staff-to-child ratio, by age band. Pure: no I/O.
 *
 * Source: the Early Years Foundation Stage statutory framework for group and school-based providers (England),
 * section 3 (staff:child ratios): under two 1:3, two-year-olds 1:5 since September 2023 (1:4 before), three and
 * over 1:8 (1:13 only with a qualified teacher leading, which a family-support crèche does not have). The
 * defaults keep 1:4 for two-year-olds, the more cautious figure most sessional crèches still staff to, and 1:8 for
 * school-age children who come along in holidays. An organisation that works to different ratios passes its own
 * bands; the bands are data, not code.
 */
export type AgeBand = {
  /** Children younger than this many months fall in the band (null: no upper limit). */
  underMonths: number | null;
  /** How many children of this band one member of staff may look after. */
  childrenPerStaff: number;
  label: string;
};

export const defaultCrecheRatios: readonly AgeBand[] = [
  { underMonths: 24, childrenPerStaff: 3, label: 'under 2' },
  { underMonths: 36, childrenPerStaff: 4, label: '2 to 3' },
  { underMonths: 60, childrenPerStaff: 8, label: '3 to 5' },
  { underMonths: null, childrenPerStaff: 8, label: '5 and over' },
];

/** Whole months between a date of birth and a day (both YYYY-MM-DD), counted as a person counts birthdays. */
export const ageInMonths = (dateOfBirth: string, on: string): number => {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  const months = (y - by) * 12 + (m - bm);
  return d < bd ? months - 1 : months;
};

export const bandOf = (months: number, bands: readonly AgeBand[] = defaultCrecheRatios): AgeBand => {
  const band = bands.find((b) => b.underMonths === null || months < b.underMonths);
  if (!band) throw new Error('the age bands must end with one that has no upper limit');
  return band;
};

export type RatioCheck = {
  /** Children per band, in band order; bands without children are left out. */
  bands: { label: string; children: number; childrenPerStaff: number }[];
  staffNeeded: number;
  staffRostered: number;
  ok: boolean;
};

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Staff needed for a mix of ages: each child takes 1/ratio of a member of staff (a child under two a third, a
 * three-year-old an eighth), and the shares are added up and rounded up. So one person can look after two
 * under-twos and one three-year-old, but not three under-twos and a baby. Exact, in whole numbers: every share
 * is scaled by the least common multiple of the ratios.
 */
export const checkRatio = (childAgesInMonths: readonly number[], staffRostered: number, bands: readonly AgeBand[] = defaultCrecheRatios): RatioCheck => {
  const counts = bands.map((band) => ({ label: band.label, childrenPerStaff: band.childrenPerStaff, children: 0 }));
  for (const months of childAgesInMonths) {
    const band = bandOf(months, bands);
    const row = counts[bands.indexOf(band)];
    if (row) row.children += 1;
  }
  const lcm = bands.reduce((acc, b) => (acc * b.childrenPerStaff) / gcd(acc, b.childrenPerStaff), 1);
  const shares = counts.reduce((sum, c) => sum + c.children * (lcm / c.childrenPerStaff), 0);
  const staffNeeded = Math.ceil(shares / lcm);
  return { bands: counts.filter((c) => c.children > 0), staffNeeded, staffRostered, ok: staffRostered >= staffNeeded };
};

/** "2 under 2 (1:3), 1 aged 3 to 5 (1:8)": the mix of ages, for error messages and the page. */
export const describeMix = (check: RatioCheck): string =>
  check.bands.map((b) => `${b.children} ${b.label} (1:${b.childrenPerStaff})`).join(', ') || 'no children';
