// Builds the MyStocks pages into reference-api/web/dist, which the reference API serves from the same origin
// as /api (docs/api.md, "Pages"). `npm run build:web` builds; `npx vite --config reference-api/web/vite.config.ts`
// serves the pages with /api proxied to MYSTOCKS_API_URL (default http://127.0.0.1:3000) for visual checks.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiUrl = process.env.MYSTOCKS_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  // Assets under /assets/* is what the server serves (docs/api.md); nothing else is public.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // ECharts alone is ~500 kB minified even tree-shaken; the warning would only be noise.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: apiUrl, changeOrigin: false } },
  },
  preview: { host: '127.0.0.1', proxy: { '/api': { target: apiUrl, changeOrigin: false } } },
});
