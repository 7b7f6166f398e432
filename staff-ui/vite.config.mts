import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { appShell } from '../ui-shared/pwa.mjs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({
  root,
  base: '/staff/',
  plugins: [react(), appShell('/staff/', "Kids' Club staff", 'Kids’ Club')],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: { proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'http://localhost:3000', ws: true } } },
});
