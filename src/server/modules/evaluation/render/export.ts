import type { ReportFormat, ReportWithCharts } from '../report/report.service.ts';
import { renderReportCsv } from './csv.ts';
import { renderReportHtml } from './html.ts';
import { renderReportPdf } from './pdf.ts';

export type RenderedReport = { readonly body: string | Buffer; readonly contentType: string; readonly extension: string };

/** The report in the requested format: JSON text, self-contained HTML, a PDF printed from that HTML, or CSV. */
export const renderReport = async (result: ReportWithCharts, format: ReportFormat, organisationName: string): Promise<RenderedReport> => {
  const options = { organisationName, scatter: result.scatter };
  switch (format) {
    case 'json':
      return { body: `${JSON.stringify(result.report)}\n`, contentType: 'application/json; charset=utf-8', extension: 'json' };
    case 'html':
      return { body: await renderReportHtml(result.report, options), contentType: 'text/html; charset=utf-8', extension: 'html' };
    case 'pdf':
      return { body: await renderReportPdf(result.report, options), contentType: 'application/pdf', extension: 'pdf' };
    case 'csv':
      return { body: renderReportCsv(result.report), contentType: 'text/csv; charset=utf-8', extension: 'csv' };
  }
};
