/**
 * Display rounding for the report's HTML/PDF and the web page (docs/evaluation.md §1): the JSON and CSV keep
 * numbers unrounded. Shared so the page and the paper print the same figures.
 */

/** A true minus sign (U+2212) for negatives: clearer in print than a hyphen. */
const fixed = (x: number, digits: number): string => {
  const text = x.toFixed(digits);
  return text.startsWith('-') ? (Number(text) === 0 ? text.slice(1) : `−${text.slice(1)}`) : text;
};

export const fmtMean = (x: number | null): string => (x === null ? '—' : fixed(x, 1));
export const fmtDz = (x: number | null): string => (x === null ? '—' : fixed(x, 2));
export const fmtSigned = (x: number | null, digits = 1): string => (x === null ? '—' : `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(digits)}`);

/** p to 3 significant figures, "< .001" below .001, no leading zero (APA style). */
export const fmtP = (p: number | null): string => {
  if (p === null) return '—';
  if (p < 0.001) return '< .001';
  const text = Number(p.toPrecision(3)).toString();
  return text.startsWith('0.') ? text.slice(1) : text;
};

/** "24 of 68 (35.3 %)": a percentage never stands without its counts. */
export const fmtOf = (numerator: number | null, denominator: number | null): string => {
  if (numerator === null || denominator === null) return '—';
  if (denominator === 0) return `0 of 0`;
  return `${numerator} of ${denominator} (${((100 * numerator) / denominator).toFixed(1)} %)`;
};

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
