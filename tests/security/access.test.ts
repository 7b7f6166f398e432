/**
 * Every route the app serves (read from the router) is classified here; a route added without
 * being classified fails this test. For each: no token → 401, each role not allowed → 403, and a
 * token of another site never gets a 2xx on this site's ids, nor changes anything.
 */
import { buildHousehold, buildSite, key, kioskToken, type BuiltSite } from '../support/factories';
import { bearer, connected, startTestApp, type TestApp } from '../support/harness';
import { fillPath, listRoutes } from '../support/routes';

/** 'kiosk' is a check-in kiosk; 'pickup' a kiosk paired as a pickup door station. */
type Who = 'kiosk' | 'pickup' | 'volunteer' | 'staff' | 'admin';
const ALL: Who[] = ['kiosk', 'pickup', 'volunteer', 'staff', 'admin'];
const KIOSKS: Who[] = ['kiosk', 'pickup'];
const DOOR: Who[] = ['pickup', 'volunteer', 'staff', 'admin'];
const USERS: Who[] = ['volunteer', 'staff', 'admin'];
const STAFF: Who[] = ['staff', 'admin'];
const ADMIN: Who[] = ['admin'];
const KIOSK_STAFF: Who[] = ['kiosk', 'staff', 'admin'];

/** 'public' routes are checked elsewhere (login, pairing, signed webhooks, pass links, health). */
const TABLE: Record<string, Who[] | 'public'> = {
  'GET /healthz': 'public', 'GET /metrics': 'public', 'POST /api/auth/login': 'public', 'POST /api/kiosks/pair': 'public',
  'POST /webhooks/twilio/status': 'public', 'POST /webhooks/twilio/inbound': 'public', 'GET /pass/:token': 'public',
  'POST /api/auth/logout': USERS, 'GET /api/auth/me': ALL, 'PUT /api/auth/me/override-pin': STAFF, 'POST /api/users/:id/unlock': ADMIN,
  'POST /api/kiosks': ADMIN, 'GET /api/kiosks': ADMIN, 'POST /api/kiosks/:id/pairing-code': ADMIN, 'DELETE /api/kiosks/:id': ADMIN,
  'GET /api/kiosk/me': KIOSKS, 'POST /api/print/labels': ['kiosk'],
  'GET /api/services/current': ALL, 'GET /api/services/today': DOOR,
  'GET /api/households': KIOSK_STAFF, 'POST /api/households': KIOSK_STAFF, 'POST /api/households/:id/join-code': KIOSK_STAFF,
  'POST /api/checkins': KIOSK_STAFF, 'POST /api/checkins/:id/move': STAFF, 'POST /api/checkins/:id/undo-checkout': STAFF, 'POST /api/checkins/:id/labels': STAFF,
  'POST /api/checkins/:id/page': USERS, 'GET /api/checkins/:id/notifications': USERS,
  'POST /api/pickups/verify': DOOR, 'POST /api/checkouts': DOOR,
  'GET /api/services/:id/rooms': USERS, 'PATCH /api/services/:id/rooms/:roomId': STAFF,
  'GET /api/services/:id/roster': USERS,
  'GET /api/alerts': STAFF, 'POST /api/alerts/:id/ack': STAFF,
  'GET /api/children/:id/audit': STAFF,
  'GET /api/households/search': STAFF, 'GET /api/households/:id': STAFF, 'PATCH /api/households/:id': STAFF,
  'POST /api/households/:id/guardians': STAFF, 'PATCH /api/households/:id/guardians/:guardianId': STAFF, 'DELETE /api/households/:id/guardians/:guardianId': STAFF,
  'POST /api/households/:id/children': STAFF, 'PATCH /api/households/:id/children/:childId': STAFF, 'DELETE /api/households/:id/children/:childId': STAFF,
  'POST /api/households/:id/pickups': STAFF, 'PATCH /api/households/:id/pickups/:pickupId': STAFF, 'DELETE /api/households/:id/pickups/:pickupId': STAFF,
  'POST /api/imports': ADMIN, 'GET /api/imports/:id': ADMIN,
  'POST /api/households/:id/merge/preview': STAFF, 'POST /api/households/:id/merge': STAFF,
  'POST /api/households/:id/custody-alerts': STAFF, 'PATCH /api/households/:id/custody-alerts/:alertId': STAFF, 'DELETE /api/households/:id/custody-alerts/:alertId': STAFF,
  'GET /api/reports/attendance': STAFF, 'GET /api/reports/attendance.csv': STAFF, 'GET /api/reports/services/:id': STAFF, 'GET /api/reports/services/:id/timeline': STAFF,
  'GET /api/rooms': ADMIN, 'POST /api/rooms': ADMIN, 'PATCH /api/rooms/:id': ADMIN, 'DELETE /api/rooms/:id': ADMIN,
  'GET /api/services': STAFF, 'POST /api/services': ADMIN, 'PATCH /api/services/:id': ADMIN, 'DELETE /api/services/:id': ADMIN,
  'GET /api/site': USERS, 'PATCH /api/site': ADMIN, 'GET /api/site/settings': ADMIN, 'PATCH /api/site/settings': ADMIN,
};

let t: TestApp; let a: BuiltSite; let b: BuiltSite; let ids: Record<string, string>;
let bTokens: Record<Who, string>;
beforeAll(async () => {
  t = await startTestApp();
  a = await buildSite(t.db); b = await buildSite(t.db);
  bTokens = { ...b.tokens, pickup: await kioskToken(t.db, b.siteId, 'pickup') };
  const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }], { phone: '+13125550612' });
  await t.db('authorized_pickups').insert({ household_id: fam.householdId, name: 'Gran', relationship: 'grandmother' });
  await t.db('custody_alerts').insert({ household_id: fam.householdId, name: 'X', note: '' });
  const ci = await t.api().post('/api/checkins').set(bearer(a.tokens.kiosk)).send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  const [alert] = await t.db('alerts').insert({ site_id: a.siteId, service_id: a.serviceId, kind: 'open_room', age_group: 'Toddlers', message: 'm' }).returning('id');
  ids = {
    checkinId: ci.body.checkins[0].id, batchId: ci.body.batchId, householdId: fam.householdId, childId: fam.childIds[0]!, guardianId: fam.guardianId,
    pickupId: (await t.db('authorized_pickups').where({ household_id: fam.householdId }).first()).id,
    alertId: (await t.db('custody_alerts').where({ household_id: fam.householdId }).first()).id,
    serviceAlertId: alert.id, userId: a.userIds.staff, kioskId: a.kioskId, serviceId: a.serviceId, roomId: a.rooms.Toddlers!,
    securityCode: ci.body.securityCode, token: ci.body.pickupUrl.split('/pass/')[1],
  };
});
afterAll(async () => { await t.stop(); });

const key2 = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;
function pathFor(path: string): string {
  const idFor: [RegExp, string][] = [
    [/^\/api\/services\/:id/, 'serviceId'], [/^\/api\/reports\/services\/:id/, 'serviceId'], [/^\/api\/checkins\/:id/, 'checkinId'],
    [/^\/api\/households\/:id/, 'householdId'], [/^\/api\/kiosks\/:id/, 'kioskId'], [/^\/api\/alerts\/:id/, 'serviceAlertId'],
    [/^\/api\/children\/:id/, 'childId'], [/^\/api\/imports\/:id/, 'householdId'], [/^\/api\/users\/:id/, 'userId'], [/^\/api\/rooms\/:id/, 'roomId'],
  ];
  const id = idFor.find(([re]) => re.test(path))?.[1];
  return fillPath(path, { id: id ? ids[id]! : '', roomId: ids.roomId!, guardianId: ids.guardianId!, childId: ids.childId!, pickupId: ids.pickupId!, alertId: ids.alertId!, token: ids.token! }, () => '');
}
/** Bodies and queries that name this site's things, so a cross-site call really targets them. */
function requestFor(route: { method: string; path: string }) {
  const k = key2(route);
  const query: Record<string, string> = { serviceId: ids.serviceId!, phone: '0612', q: 'Fam' };
  const bodies: Record<string, object> = {
    'POST /api/checkins': { serviceId: ids.serviceId, householdId: ids.householdId, childIds: [ids.childId], idempotencyKey: key() },
    'POST /api/pickups/verify': { securityCode: ids.securityCode, serviceId: ids.serviceId },
    'POST /api/checkouts': { checkinIds: [ids.checkinId], securityCode: ids.securityCode, pickupPersonId: ids.guardianId },
    'PUT /api/auth/me/override-pin': { pin: '2468' },
    'POST /api/checkins/:id/undo-checkout': { reason: 'access test' },
    'POST /api/checkins/:id/move': { roomId: ids.roomId },
    'POST /api/print/labels': { batchId: ids.batchId },
    'PATCH /api/services/:id/rooms/:roomId': { open: false },
    'POST /api/kiosks': { name: 'K', siteId: a.siteId, mode: 'checkin' },
    'PATCH /api/households/:id': { name: 'Renamed' },
    'POST /api/households/:id/join-code': { phone: '+13125550612' },
    'PATCH /api/households/:id/children/:childId': { allergies: 'changed' },
    'PATCH /api/rooms/:id': { name: 'Renamed room' },
    'PATCH /api/services/:id': { name: 'Renamed service' },
  };
  return { path: pathFor(route.path), query, body: bodies[k] ?? {} };
}
const call = (route: { method: string; path: string }, token?: string) => {
  const { path, query, body } = requestFor(route);
  let r = (t.api() as any)[route.method](path).query(query);
  if (token) r = r.set(bearer(token));
  return route.method === 'get' || route.method === 'delete' ? r : r.send(body);
};

test('every route is classified', () => {
  const unclassified = listRoutes(t.app).map(key2).filter((k) => !(k in TABLE));
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
});

test('another site\'s token never gets a 2xx on this site\'s ids, and changes nothing', async () => {
  const snapshot = async () => JSON.stringify(await Promise.all([
    t.db('households').where({ site_id: a.siteId }).orderBy('id'), t.db('children').where({ household_id: ids.householdId }).orderBy('id'),
    t.db('checkins').where({ site_id: a.siteId }).orderBy('id'), t.db('service_rooms').where({ service_id: a.serviceId }).orderBy('room_id'),
    t.db('rooms').where({ site_id: a.siteId }).orderBy('id'), t.db('services').where({ site_id: a.siteId }), t.db('kiosks').where({ site_id: a.siteId }).select('id', 'name', 'token_hash', 'revoked_at').orderBy('id'),
    t.db('notifications').where({ site_id: a.siteId }).count('* as n'), t.db('alerts').where({ site_id: a.siteId }).select('id', 'acknowledged_at'),
    t.db('guardians').where({ household_id: ids.householdId }), t.db('authorized_pickups').where({ household_id: ids.householdId }), t.db('custody_alerts').where({ household_id: ids.householdId }),
  ]));
  const before = await snapshot();
  const leaks: string[] = [];
  for (const route of listRoutes(t.app)) {
    const allowed = TABLE[key2(route)];
    if (!allowed || allowed === 'public') continue;
    const targetsThisSite = route.path.includes(':') || ['POST /api/checkins', 'POST /api/pickups/verify', 'POST /api/checkouts', 'POST /api/print/labels', 'POST /api/kiosks', 'GET /api/alerts'].includes(key2(route));
    if (!targetsThisSite) continue;
    for (const who of allowed) {
      const r = await call(route, bTokens[who]);
      if (r.status >= 200 && r.status < 300) leaks.push(`${key2(route)} as ${who} of another site: ${r.status}`);
    }
  }
  expect(leaks).toEqual([]);
  expect(await snapshot()).toEqual(before);
});

test('list routes of another site show none of this site\'s data', async () => {
  for (const path of ['/api/services/current', '/api/households?phone=0612', '/api/households/search?q=Fam', '/api/services', '/api/rooms', '/api/kiosks', '/api/reports/attendance']) {
    const r = await t.api().get(path).set(bearer(b.tokens.admin));
    const text = JSON.stringify(r.body);
    for (const id of [a.serviceId, ids.householdId, ids.roomId, a.kioskId]) expect({ path, leaked: text.includes(id!) }).toEqual({ path, leaked: false });
  }
});

test('sockets: no token refused; a client cannot join another site\'s room by asking', async () => {
  const anon = t.socket('');
  await expect(connected(anon)).rejects.toThrow('unauthorized');
  const spy = t.socket(b.tokens.admin);
  await connected(spy);
  const got: string[] = [];
  spy.onAny((name) => got.push(name));
  for (const ev of ['join', 'subscribe', 'room']) (spy as any).emit(ev, `site:${a.siteId}:staff`);
  const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
  await t.api().post('/api/checkins').set(bearer(a.tokens.kiosk)).send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  await new Promise((r) => setTimeout(r, 300));
  expect(got).toEqual([]);
});
