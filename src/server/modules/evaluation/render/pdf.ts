import type { Report } from '../../../../shared/contracts/evaluation.ts';
import { printPdf } from '../../../platform/pdf/print-pdf.ts';
import { renderReportHtml, type HtmlOptions } from './html.ts';

/** The print-ready PDF: Chromium printing exactly the HTML export (A4, platform/pdf). */
export const renderReportPdf = async (report: Report, options: HtmlOptions): Promise<Buffer> => printPdf(await renderReportHtml(report, options));
