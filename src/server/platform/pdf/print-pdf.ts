import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Debian's Chromium by default; TANDEM_CHROMIUM_PATH points elsewhere. Playwright never downloads a browser here. */
export const chromiumPath = (): string => process.env.TANDEM_CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Prints a self-contained HTML page to an A4 PDF with headless Chromium, so reports and exports print exactly as
 * they look on screen. The page gets no network: everything it shows must be inline.
 */
export const printPdf = async (html: string): Promise<Buffer> => {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) throw new Error(`PDF output needs Chromium at ${executablePath} (Debian package "chromium", or set TANDEM_CHROMIUM_PATH)`);
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser.close();
  }
};
