/** Display rounding for the HTML/PDF: shared with the web report page so screen and paper agree. */
export { escapeHtml, fmtDz, fmtMean, fmtOf, fmtP, fmtSigned } from '../../../../shared/evaluation-format.ts';
