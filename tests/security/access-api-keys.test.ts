/**
 * An integration's API key: default deny by scope, and no reach into another organisation or campus.
 */
import { listRoutes } from '../support/routes';
import { scopeForRoute } from '../../server/src/apikeys/api-key-scopes';
import { TABLE, SHARED_IN_ORG } from './access-table';
import { setupAccessWorld, t, a, b, c, orgAdminAtC, key2, call, neverReaches, keyTokens } from './access-world';

setupAccessWorld();

test('an API key with every scope: each route its scopes do not open answers 403 (default deny), the ones they open let it in', async () => {
  const { admin: secret } = await keyTokens(orgAdminAtC, a.siteId);
  const failures: string[] = [];
  for (const route of listRoutes(t.app)) {
    if (TABLE[key2(route)] === 'public') continue;
    const r = await call(route, secret);
    if (scopeForRoute(route.method, route.path)) {
      if (r.status === 401 || r.status === 403) failures.push(`${key2(route)} (open to keys): ${r.status} ${r.body?.error?.message}`);
    } else if (r.status !== 403 || r.body?.error?.code !== 'forbidden') failures.push(`${key2(route)} (closed to keys): ${r.status}`);
  }
  expect(failures).toEqual([]);
});

test("another organisation's API key (every scope) never gets a 2xx on this site's ids, and changes nothing", async () => {
  await t.db('users').where({ id: b.userIds.admin }).update({ org_admin: true });
  await neverReaches(await keyTokens(b.tokens.admin), 'another organisation (API key)');
});

test("an API key limited to another campus of the organisation reaches none of this campus's ids, families aside", async () => {
  await neverReaches(await keyTokens(orgAdminAtC, c.siteId), 'another campus (API key)', (route) => SHARED_IN_ORG.test(route.path));
});
