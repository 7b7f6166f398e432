/**
 * Every route the app serves (read from the router) is classified (access-table.ts); a route added without
 * being classified fails this test. For each: no token → 401, each role not allowed → 403.
 */
import { listRoutes } from '../support/routes';
import { ALL, TABLE } from './access-table';
import { setupAccessWorld, t, bTokens, key2, call } from './access-world';

setupAccessWorld();

test('every route is classified', () => {
  const unclassified = listRoutes(t.app)
    .map(key2)
    .filter((k) => !(k in TABLE));
  expect(unclassified).toEqual([]);
});

test('no token → 401, wrong role → 403, on every non-public route', async () => {
  const failures: string[] = [];
  for (const route of listRoutes(t.app)) {
    const allowed = TABLE[key2(route)];
    if (!allowed || allowed === 'public') continue;
    const none = await call(route);
    if (none.status !== 401) failures.push(`${key2(route)} without a token: ${none.status}`);
    const junk = await call(route, 'k_' + 'A'.repeat(43));
    if (junk.status !== 401) failures.push(`${key2(route)} with a made-up token: ${junk.status}`);
    for (const who of ALL) {
      if (allowed.includes(who)) continue;
      const r = await call(route, bTokens[who]); // b: the refusal must come from the role, whatever the site
      if (r.status !== 403) failures.push(`${key2(route)} as ${who}: ${r.status}`);
      if (r.status === 403 && r.body?.error?.code !== 'forbidden') failures.push(`${key2(route)} as ${who}: no envelope`);
    }
  }
  expect(failures).toEqual([]);
}, 120_000); // every route twice: about 15 s alone, more on a machine shared with other work
