import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({
  root,
  base: '/staff/',
  plugins: [
    react(),
    // the app shell cached by a service worker (Workbox), as on the kiosk: a reload during an
    // outage shows the app saying it is reconnecting, never the browser's error page (DESIGN §21)
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: {
        name: "Kids' Club staff",
        short_name: 'Kids’ Club',
        start_url: '/staff/',
        scope: '/staff/',
        display: 'standalone',
        background_color: '#f4f6fb',
        theme_color: '#13213c',
        icons: [],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        navigateFallback: '/staff/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//, /^\/pass\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: { proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'http://localhost:3000', ws: true } } },
});
