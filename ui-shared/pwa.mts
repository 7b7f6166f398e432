import { VitePWA } from 'vite-plugin-pwa';

/**
 * The app shell cached by a service worker (Workbox, through vite-plugin-pwa), the same for both
 * UIs: a tablet or phone reloaded during a network blip or a server restart opens the app and says
 * it is reconnecting, instead of the browser's error page (DESIGN §21). The API, the socket and
 * the pass pages are never cached.
 */
export function appShell(base: '/kiosk/' | '/staff/', name: string, shortName: string) {
  return VitePWA({
    registerType: 'autoUpdate',
    injectRegister: 'script',
    manifest: {
      name,
      short_name: shortName,
      start_url: base,
      scope: base,
      display: 'standalone',
      background_color: '#f4f6fb',
      theme_color: '#13213c',
      icons: [],
    },
    workbox: {
      globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
      navigateFallback: `${base}index.html`,
      navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//, /^\/pass\//, /^\/precheck\//],
      cleanupOutdatedCaches: true,
      clientsClaim: true,
      skipWaiting: true,
    },
  });
}
