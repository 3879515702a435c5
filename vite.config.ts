import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const systemFontStack = 'system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif';

/**
 * govuk-frontend's compiled CSS names the GDS Transport typeface and declares @font-face rules for it. That
 * typeface is reserved for GOV.UK services, so we swap it for the system font stack as the CSS is loaded,
 * drop the @font-face rules so the browser never asks for the font files, and drop the crown crest image
 * (only the footer's copyright logo uses it, which we do not show). It also drops the old Internet Explorer
 * hacks (`@media screen\0 …`), which modern browsers ignore and the CSS minifier rejects.
 */
const withoutGovukTypeface = (): Plugin => ({
  name: 'tandem:without-govuk-typeface',
  enforce: 'pre',
  transform(code, id) {
    if (!id.includes('govuk-frontend') || !id.split('?')[0]?.endsWith('.css')) return null;
    return {
      code: code
        .replace(/@font-face\s*{[^}]*}/g, '')
        .replace(/@media[^{]*\\0[^{]*{(?:[^{}]*{[^{}]*})*[^{}]*}/g, '')
        .replaceAll('"GDS Transport",arial,sans-serif', systemFontStack)
        .replaceAll('GDS Transport,arial,sans-serif', systemFontStack)
        .replaceAll('url(/assets/images/govuk-crest.svg)', 'none'),
      map: null,
    };
  },
});

export default defineConfig({
  root: 'src/web',
  base: '/',
  plugins: [withoutGovukTypeface(), react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
  },
});
