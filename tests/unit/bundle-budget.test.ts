/**
 * DESIGN §9: the JS of each UI < 250 kB gzip, measured as the bench measures it (`uiSizes`): every
 * JS file of the build, lazy chunks and the service worker included, gzip level 9. `npm test`
 * builds the UIs before jest, so in CI this always runs; a bare `npx jest` without a build skips
 * it and says so.
 */
import { UI_BUDGET_GZIP_KB, uiSizes } from '../../bench/lib/ui';

const UIS = ['kiosk-ui', 'staff-ui'] as const;

describe.each(UIS)('%s bundle budget', (name) => {
  const sizes = uiSizes(name);
  const run = sizes.built ? test : test.skip;
  if (!sizes.built) console.warn(`${name}/dist is not built: run npm run build:ui (npm test does) to check its bundle budget`);

  run(`all of its JS, gzipped, stays under ${UI_BUDGET_GZIP_KB} kB`, () => {
    const js = sizes.assets.filter((a) => /\.m?js$/.test(a.file));
    expect(js.length).toBeGreaterThan(0);
    const largest = [...js]
      .sort((a, b) => b.gzipBytes - a.gzipBytes)
      .slice(0, 6)
      .map((a) => `${a.file} ${(a.gzipBytes / 1024).toFixed(1)}`);
    // the largest chunks in the message say where to look when it fails
    expect({ name, withinBudget: sizes.jsGzipKb! < UI_BUDGET_GZIP_KB, jsGzipKb: sizes.jsGzipKb, largest }).toEqual({
      name,
      withinBudget: true,
      jsGzipKb: sizes.jsGzipKb,
      largest,
    });
  });
});
