import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({
  root,
  base: '/kiosk/',
  plugins: [
    react(),
    // The app shell is cached by a service worker (Workbox, through vite-plugin-pwa), so a tablet
    // reloaded during a network blip or a server restart opens the kiosk and says it is
    // reconnecting, instead of the browser's error page (DESIGN §21). The API is never cached.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: {
        name: "Kids' Club kiosk",
        short_name: 'Kiosk',
        start_url: '/kiosk/',
        scope: '/kiosk/',
        display: 'standalone',
        background_color: '#f4f6fb',
        theme_color: '#13213c',
        icons: [],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        navigateFallback: '/kiosk/index.html',
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
