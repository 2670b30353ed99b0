import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/** `npm run dev -w @nexus/web` proxies the API to a `nexus start` on NEXUS_URL (default :3000). */
const api = process.env.NEXUS_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  // @nexus/client from its sources (its browser entry), as everything else in the workspace.
  resolve: { conditions: ['@nexus/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  server: {
    proxy: {
      '/trpc': { target: api, ws: true },
      '/api': api,
      '/health': api,
      '/metrics': api,
    },
  },
});
