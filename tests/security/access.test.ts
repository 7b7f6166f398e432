/**
 * Every route the app serves (read from the router) is classified here; a route added without
 * being classified fails this test. For each: no token → 401, each role not allowed → 403, and a
 * token of another site never gets a 2xx on this site's ids, nor changes anything.
 */
import { buildHousehold, buildSite, key, kioskToken, sessionFor, type BuiltSite } from '../support/factories';
import { newToken, sha256 } from '../../server/src/auth/crypto';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';
import { fillPath, listRoutes } from '../support/routes';
import { scopeForRoute } from '../../server/src/apikeys/api-key-scopes';
import { API_SCOPES, type ApiKeyCreated } from '../../contracts';

/** 'kiosk' is a check-in kiosk; 'pickup' a kiosk paired as a pickup door station; 'display' a wall TV. */
type Who = 'kiosk' | 'pickup' | 'volunteer' | 'staff' | 'admin' | 'display';
const ALL: Who[] = ['kiosk', 'pickup', 'volunteer', 'staff', 'admin', 'display'];
const NOT_DISPLAY: Who[] = ['kiosk', 'pickup', 'volunteer', 'staff', 'admin'];
const KIOSKS: Who[] = ['kiosk', 'pickup'];
const DOOR: Who[] = ['pickup', 'volunteer', 'staff', 'admin'];
const USERS: Who[] = ['volunteer', 'staff', 'admin'];
const STAFF: Who[] = ['staff', 'admin'];
const ADMIN: Who[] = ['admin'];
const KIOSK_STAFF: Who[] = ['kiosk', 'staff', 'admin'];

/** 'public' routes are checked elsewhere (login, pairing, signed webhooks, pass links, health). */
const TABLE: Record<string, Who[] | 'public'> = {
  'GET /healthz': 'public',
  'GET /metrics': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/kiosks/pair': 'public',
  'POST /webhooks/twilio/status': 'public',
  'POST /webhooks/twilio/inbound': 'public',
  'GET /pass/:token': 'public',
  'POST /pass/:token/precheck': 'public',
  'GET /precheck/:token': 'public',
  'POST /precheck/:token': 'public',
  // the family's own photos: the live pass or link is the proof (tests/api/family-photos.test.ts)
  'PUT /pass/:token/photos/:kind/:id': 'public',
  'PUT /precheck/:token/photos/:kind/:id': 'public',
  'GET /family-photo.js': 'public',
  'POST /api/households/:id/precheckin-link': STAFF,
  'POST /api/auth/logout': USERS,
  'GET /api/auth/me': NOT_DISPLAY,
  'PUT /api/auth/me/override-pin': STAFF,
  'POST /api/users/:id/unlock': ADMIN,
  'POST /api/kiosks': ADMIN,
  'GET /api/kiosks': ADMIN,
  'POST /api/kiosks/:id/pairing-code': ADMIN,
  'DELETE /api/kiosks/:id': ADMIN,
  'GET /api/kiosk/me': KIOSKS,
  'POST /api/print/labels': ['kiosk'],
  'POST /api/print/family-labels': ['kiosk'],
  'POST /api/kiosks/:id/test-print': STAFF,
  'POST /api/checkins/:id/cancel': STAFF,
  'GET /api/printers': STAFF,
  // a wall display reads today's services, rooms and alerts — nothing else
  'GET /api/services/current': ALL,
  'GET /api/services/today': [...DOOR, 'display'],
  'GET /api/households': KIOSK_STAFF,
  'POST /api/households': KIOSK_STAFF,
  'POST /api/households/:id/join-code': KIOSK_STAFF,
  'POST /api/households/express': ['kiosk'],
  'POST /api/checkins': KIOSK_STAFF,
  'POST /api/checkins/:id/move': STAFF,
  'POST /api/checkins/:id/undo-checkout': STAFF,
  'POST /api/checkins/:id/labels': STAFF,
  'POST /api/checkins/:id/page': USERS,
  'GET /api/checkins/:id/notifications': USERS,
  'POST /api/pickups/verify': DOOR,
  'POST /api/checkouts': DOOR,
  'GET /api/services/:id/rooms': [...USERS, 'display'],
  'PATCH /api/services/:id/rooms/:roomId': STAFF,
  'GET /api/services/:id/roster': USERS,
  'GET /api/alerts': [...STAFF, 'display'],
  'POST /api/alerts/:id/ack': STAFF,
  'GET /api/children/:id/audit': STAFF,
  'GET /api/households/search': STAFF,
  'GET /api/households/:id': STAFF,
  'GET /api/households/:id/express-code': STAFF,
  'POST /api/households/:id/express-code': STAFF,
  'DELETE /api/households/:id/express-code': STAFF,
  'PATCH /api/households/:id': STAFF,
  'POST /api/households/:id/guardians': STAFF,
  'PATCH /api/households/:id/guardians/:guardianId': STAFF,
  'DELETE /api/households/:id/guardians/:guardianId': STAFF,
  'POST /api/households/:id/children': STAFF,
  'PATCH /api/households/:id/children/:childId': STAFF,
  'DELETE /api/households/:id/children/:childId': STAFF,
  'POST /api/households/:id/pickups': STAFF,
  'PATCH /api/households/:id/pickups/:pickupId': STAFF,
  'DELETE /api/households/:id/pickups/:pickupId': STAFF,
  'POST /api/imports': ADMIN,
  'GET /api/imports/:id': ADMIN,
  'POST /api/imports/:id/rerun': ADMIN,
  'POST /api/households/:id/merge/preview': STAFF,
  'POST /api/households/:id/merge': STAFF,
  'GET /api/households/:id/merge/candidates': STAFF,
  'GET /api/households/:id/merges': STAFF,
  'POST /api/household-merges/:id/undo': STAFF,
  'POST /api/households/:id/custody-alerts': STAFF,
  'PATCH /api/households/:id/custody-alerts/:alertId': STAFF,
  'DELETE /api/households/:id/custody-alerts/:alertId': STAFF,
  'GET /api/reports/attendance': STAFF,
  'GET /api/reports/attendance.csv': STAFF,
  'GET /api/reports/services/:id': STAFF,
  'GET /api/reports/services/:id/timeline': STAFF,
  'GET /api/rooms': ADMIN,
  'POST /api/rooms': ADMIN,
  'PATCH /api/rooms/:id': ADMIN,
  'DELETE /api/rooms/:id': ADMIN,
  // a wall display too: the next service's forecast plan before its doors open (DESIGN §17)
  'GET /api/services': [...STAFF, 'display'],
  'POST /api/services': ADMIN,
  'PATCH /api/services/:id': ADMIN,
  'DELETE /api/services/:id': ADMIN,
  'GET /api/schedules': ADMIN,
  'POST /api/schedules': ADMIN,
  'POST /api/schedules/generate': ADMIN,
  'PATCH /api/schedules/:id': ADMIN,
  'DELETE /api/schedules/:id': ADMIN,
  'POST /api/schedules/:id/skips': ADMIN,
  'DELETE /api/schedules/:id/skips/:date': ADMIN,
  'POST /api/displays': ADMIN,
  'GET /api/displays': ADMIN,
  'DELETE /api/displays/:id': ADMIN,
  'POST /api/displays/pair': 'public',
  'GET /api/display/me': ['display'],
  'GET /api/site': USERS,
  'PATCH /api/site': ADMIN,
  'GET /api/site/settings': ADMIN,
  'PATCH /api/site/settings': ADMIN,
  'POST /api/auth/switch-campus': USERS,
  'PUT /api/auth/me/password': USERS,
  'GET /api/people': ADMIN,
  'POST /api/people': ADMIN,
  'PUT /api/people/:id/role': ADMIN,
  'POST /api/people/:id/deactivate': ADMIN,
  'POST /api/people/:id/reactivate': ADMIN,
  'POST /api/people/:id/reset-link': ADMIN,
  'GET /api/org': ADMIN,
  'POST /api/org/campuses': ADMIN,
  'PATCH /api/org/campuses/:id': ADMIN,
  'GET /api/org/reports/attendance': ADMIN,
  'GET /api/org/reports/attendance.csv': ADMIN,
  'PUT /api/org/rooms-template': ADMIN,
  'PATCH /api/org/settings': ADMIN,
  'GET /api/households/:id/export': ADMIN,
  'DELETE /api/households/:id': ADMIN,
  'GET /api/org/retention': ADMIN,
  'PATCH /api/org/retention': ADMIN,
  'GET /api/services/:id/volunteers': USERS,
  'POST /api/services/:id/rooms/:roomId/volunteers': USERS,
  'POST /api/volunteer-shifts/:id/checkout': USERS,
  'POST /api/services/:id/rooms/:roomId/headcounts': USERS,
  'PUT /api/checkins/:id/present': USERS,
  'GET /api/reports/volunteers': STAFF,
  'PUT /api/people/:id/background-check': ADMIN,
  'POST /api/kiosk/volunteers/lookup': ['kiosk'],
  'POST /api/kiosk/volunteers/checkin': ['kiosk'],
  'POST /api/kiosk/volunteers/checkout': ['kiosk'],
  'GET /api/volunteers': STAFF,
  'PUT /api/volunteers/:id/background-check': STAFF,
  'PUT /api/volunteers/:id/phone': STAFF,
  'POST /api/services/:id/rooms/:roomId/roll-call': USERS,
  'POST /api/alerts/:id/clear': STAFF,
  'GET /api/checkins/:id/medical-notes': USERS,
  'POST /api/emergency': STAFF,
  'GET /api/emergency/current': [...USERS, 'display'],
  'POST /api/emergency/:id/accounted': USERS,
  'POST /api/emergency/:id/end': STAFF,
  'POST /api/broadcasts': STAFF,
  'GET /api/broadcasts': STAFF,
  'POST /api/account/password': 'public',
  'GET /account/:token': 'public',
  'POST /account/:token': 'public',
  // who of these may touch which photo is the policy's (tests/api/photos.test.ts); the guards keep out the rest
  'PUT /api/photos/:kind/:id': KIOSK_STAFF,
  'DELETE /api/photos/:kind/:id': KIOSK_STAFF,
  'GET /api/photos/:photoId': NOT_DISPLAY,
  // organisation admins only (tests/api/api-keys.test.ts); an API key's own reach is tested below
  'POST /api/org/api-keys': ADMIN,
  'GET /api/org/api-keys': ADMIN,
  'DELETE /api/org/api-keys/:id': ADMIN,
  // ---- forecast (DESIGN §17): staff of the service's campus, and its wall displays (the plan line before the doors open) ----
  'GET /api/services/:id/forecast': [...STAFF, 'display'],
  // ---- outbound webhooks: organisation admins only (tests/api/webhooks.test.ts) ----
  'POST /api/org/webhooks': ADMIN,
  'GET /api/org/webhooks': ADMIN,
  'PATCH /api/org/webhooks/:id': ADMIN,
  'DELETE /api/org/webhooks/:id': ADMIN,
  'POST /api/org/webhooks/:id/rotate-secret': ADMIN,
  'POST /api/org/webhooks/:id/test': ADMIN,
  'GET /api/org/webhooks/:id/deliveries': ADMIN,
  // label templates (#29): admins; the organisation's level only for organisation admins (tests/api/label-templates.test.ts)
  'GET /api/label-templates': ADMIN,
  'GET /api/label-templates/:id': ADMIN,
  'PUT /api/label-templates/:kind': ADMIN,
  'POST /api/label-templates/:kind/reset': ADMIN,
  'POST /api/label-templates/preview': ADMIN,
  // printers (DESIGN §18; tests/api/printers.test.ts)
  'GET /api/label-printers': STAFF,
  'POST /api/label-printers': ADMIN,
  'PATCH /api/label-printers/:id': ADMIN,
  'POST /api/label-printers/:id/test-print': STAFF,
  'PUT /api/kiosks/:id/printer': ADMIN,
  // campus alerts of no one service (#29; tests/api/print-paths.test.ts)
  'GET /api/site-alerts': [...STAFF, 'display'],
  'POST /api/households/:id/key-tag': STAFF,
};
/**
 * Families belong to the organisation: another campus of it may read and change them (DESIGN §10);
 * a child's audit trail there lists that campus's entries only.
 */
const SHARED_IN_ORG = /^\/api\/(households|children)/;
/** Organisation admins manage the people of every campus of their organisation. */
const ORG_ADMIN_REACH = /^\/api\/(people|org)/;
/** Organisation admins see and keep the photos of every campus's families (DESIGN §16). */
const ORG_ADMIN_PHOTOS = /^\/api\/photos\//;

let t: TestApp;
let a: BuiltSite;
let b: BuiltSite;
let ids: Record<string, string>;
let bTokens: Record<Who, string>;
let c: BuiltSite;
let cTokens: Record<Who, string>;
let orgAdminAtC: string;
let orgAdminId: string;
beforeAll(async () => {
  t = await startTestApp();
  a = await buildSite(t.db);
  b = await buildSite(t.db);
  const displayToken = newToken('d');
  await t.db('displays').insert({ site_id: b.siteId, name: 'Hall TV', token_hash: sha256(displayToken) });
  bTokens = { ...b.tokens, pickup: await kioskToken(t.db, b.siteId, 'pickup'), display: displayToken };
  // c: another campus of a's organisation (campus-scoped roles there), and an organisation admin signed in at c
  c = await buildSite(t.db, { organizationId: a.organizationId });
  const cDisplay = newToken('d');
  await t.db('displays').insert({ site_id: c.siteId, name: 'Foyer TV', token_hash: sha256(cDisplay) });
  cTokens = { ...c.tokens, pickup: await kioskToken(t.db, c.siteId, 'pickup'), display: cDisplay };
  const [oa] = await t
    .db('users')
    .insert({
      organization_id: a.organizationId,
      site_id: c.siteId,
      email: `orgadmin-${Date.now()}@access.test`,
      name: 'Org Admin',
      password_hash: 'x',
      org_admin: true,
    })
    .returning('id');
  orgAdminId = oa.id;
  orgAdminAtC = await sessionFor(t.db, oa.id);
  const [aDisplay] = await t.db('displays').insert({ site_id: a.siteId, name: 'Lobby TV' }).returning('id');
  const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }], { phone: '+13125550612' });
  await t.db('authorized_pickups').insert({ household_id: fam.householdId, name: 'Gran', relationship: 'grandmother' });
  await t.db('custody_alerts').insert({ household_id: fam.householdId, name: 'X', note: '' });
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(a.tokens.kiosk))
    .send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  const [alert] = await t
    .db('alerts')
    .insert({ site_id: a.siteId, service_id: a.serviceId, kind: 'open_room', age_group: 'Toddlers', message: 'm' })
    .returning('id');
  ids = {
    siteId: a.siteId,
    checkinId: ci.body.checkins[0].id,
    batchId: ci.body.batchId,
    householdId: fam.householdId,
    childId: fam.childIds[0]!,
    guardianId: fam.guardianId,
    pickupId: (await t.db('authorized_pickups').where({ household_id: fam.householdId }).first()).id,
    alertId: (await t.db('custody_alerts').where({ household_id: fam.householdId }).first()).id,
    photoId: (
      await t
        .db('photos')
        .insert({ organization_id: a.organizationId, guardian_id: fam.guardianId, image: Buffer.from('jpeg'), width: 1, height: 1, bytes: 4 })
        .returning('id')
    )[0].id,
    serviceAlertId: alert.id,
    userId: a.userIds.staff,
    kioskId: a.kioskId,
    serviceId: a.serviceId,
    roomId: a.rooms.Toddlers!,
    securityCode: ci.body.securityCode,
    token: ci.body.pickupUrl.split('/pass/')[1],
    displayId: aDisplay.id,
    emergencyId: (await t.db('emergencies').insert({ organization_id: a.organizationId, site_id: a.siteId, message: 'drill' }).returning('id'))[0].id,
    // the kiosk routes' phone is a's volunteer's, cleared: a kiosk elsewhere must still not reach them
    phoneSet: String(
      await t
        .db('users')
        .where({ id: a.userIds.volunteer })
        .update({ phone: '+13125550177', background_check_status: 'cleared', background_check_expires_on: '2099-01-01' }),
    ),
    shiftId: (
      await t
        .db('volunteer_shifts')
        .insert({ organization_id: a.organizationId, site_id: a.siteId, service_id: a.serviceId, room_id: a.rooms.Toddlers!, user_id: a.userIds.volunteer })
        .returning('id')
    )[0].id,
    apiKeyId: (
      await t
        .db('api_keys')
        .insert({
          organization_id: a.organizationId,
          name: 'Signage',
          scopes: t.db.raw("'{checkins:read}'::text[]"),
          prefix: 'kc_live_test',
          secret_hash: sha256(newToken('k')),
        })
        .returning('id')
    )[0].id,
    webhookId: (
      await t
        .db('webhook_endpoints')
        .insert({ organization_id: a.organizationId, url: 'https://example.org/hook', events: t.db.raw("'{checkin.created}'::text[]"), secret_enc: 'v1.test' })
        .returning('id')
    )[0].id,
    // printers (DESIGN §18): a's printer, at an address nothing answers
    printerId: (
      await t
        .db('printers')
        .insert({ organization_id: a.organizationId, site_id: a.siteId, name: 'Lobby printer', address: '127.0.0.1:9', type: 'zebra' })
        .returning('id')
    )[0].id,
    scheduleId: (
      await t
        .db('service_schedules')
        .insert({
          organization_id: a.organizationId,
          site_id: a.siteId,
          name: 'Sunday',
          weekday: 0,
          local_time: '09:00',
          opens_before_minutes: 30,
          closes_after_minutes: 60,
        })
        .returning('id')
    )[0].id,
    // label templates (#29): a campus override at a
    labelTemplateId: (
      await t
        .db('label_templates')
        .insert({
          organization_id: a.organizationId,
          site_id: a.siteId,
          kind: 'child',
          stock: JSON.stringify({ id: 'zebra-4x2', widthMm: 101.6, heightMm: 50.8 }),
          elements: '[]',
        })
        .returning('id')
    )[0].id,
  };
});
afterAll(async () => {
  await t.stop();
});

const key2 = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;
function pathFor(path: string): string {
  const idFor: [RegExp, string][] = [
    [/^\/api\/services\/:id/, 'serviceId'],
    [/^\/api\/reports\/services\/:id/, 'serviceId'],
    [/^\/api\/checkins\/:id/, 'checkinId'],
    [/^\/api\/households\/:id/, 'householdId'],
    [/^\/api\/kiosks\/:id/, 'kioskId'],
    [/^\/api\/alerts\/:id/, 'serviceAlertId'],
    [/^\/api\/children\/:id/, 'childId'],
    [/^\/api\/imports\/:id/, 'householdId'],
    [/^\/api\/users\/:id/, 'userId'],
    [/^\/api\/rooms\/:id/, 'roomId'],
    [/^\/api\/people\/:id/, 'userId'],
    [/^\/api\/displays\/:id/, 'displayId'],
    [/^\/api\/volunteer-shifts\/:id/, 'shiftId'],
    [/^\/api\/schedules\/:id/, 'scheduleId'],
    [/^\/api\/volunteers\/:id/, 'userId'],
    [/^\/api\/photos\/:kind\/:id/, 'guardianId'],
    [/^\/api\/emergency\/:id/, 'emergencyId'],
    [/^\/api\/household-merges\/:id/, 'householdId'],
    [/^\/api\/org\/campuses\/:id/, 'siteId'],
    [/^\/api\/org\/api-keys\/:id/, 'apiKeyId'],
    [/^\/api\/org\/webhooks\/:id/, 'webhookId'],
    // label templates (#29): a's campus override
    [/^\/api\/label-templates\/:id/, 'labelTemplateId'],
    // printers (DESIGN §18)
    [/^\/api\/label-printers\/:id/, 'printerId'],
  ];
  const id = idFor.find(([re]) => re.test(path))?.[1];
  return fillPath(
    path,
    {
      id: id ? ids[id]! : '',
      roomId: ids.roomId!,
      guardianId: ids.guardianId!,
      childId: ids.childId!,
      pickupId: ids.pickupId!,
      alertId: ids.alertId!,
      token: ids.token!,
      kind: 'guardian',
      photoId: ids.photoId!,
      date: '2026-12-06',
    },
    () => '',
  );
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
    'POST /api/checkins/:id/cancel': { reason: 'access test' },
    'POST /api/checkins/:id/move': { roomId: ids.roomId },
    'POST /api/print/labels': { batchId: ids.batchId },
    'POST /api/print/family-labels': { householdId: ids.householdId, serviceId: ids.serviceId, proof: ids.securityCode, browser: true },
    'PATCH /api/services/:id/rooms/:roomId': { open: false },
    'POST /api/kiosks': { name: 'K', siteId: a.siteId, mode: 'checkin' },
    'PATCH /api/households/:id': { name: 'Renamed' },
    'POST /api/households/:id/join-code': { phone: '+13125550612' },
    'PATCH /api/households/:id/children/:childId': { allergies: 'changed' },
    'PATCH /api/rooms/:id': { name: 'Renamed room' },
    'PATCH /api/services/:id': { name: 'Renamed service' },
    'PUT /api/people/:id/role': { role: 'admin', siteId: a.siteId },
    'POST /api/people': { email: 'intruder@access.test', name: 'Intruder', role: 'admin', siteId: a.siteId },
    'POST /api/auth/switch-campus': { siteId: a.siteId },
    'POST /api/org/campuses': { name: 'Copied campus', copyFromSiteId: a.siteId },
    'PATCH /api/org/campuses/:id': { name: 'Renamed campus' },
    'PUT /api/org/rooms-template': { rooms: [] },
    'PATCH /api/org/settings': { softThresholdPct: 10, labelFooter: 'intruder' },
    'PATCH /api/org/retention': { importFileDays: 1 },
    'POST /api/services/:id/rooms/:roomId/volunteers': {},
    'POST /api/services/:id/rooms/:roomId/headcounts': { count: 3 },
    'PUT /api/checkins/:id/present': { present: true },
    'PUT /api/people/:id/background-check': { status: 'cleared', expiresOn: '2099-01-01' },
    'PUT /api/volunteers/:id/background-check': { status: 'cleared', expiresOn: '2099-01-01' },
    'PUT /api/volunteers/:id/phone': { phone: '+13125550199' },
    'POST /api/kiosk/volunteers/lookup': { serviceId: ids.serviceId, phone: '+13125550177' },
    'POST /api/kiosk/volunteers/checkin': { serviceId: ids.serviceId, phone: '+13125550177', roomId: ids.roomId },
    'POST /api/kiosk/volunteers/checkout': { serviceId: ids.serviceId, phone: '+13125550177' },
    'POST /api/alerts/:id/clear': { note: 'access test' },
    'POST /api/emergency/:id/accounted': { checkinId: ids.checkinId },
    'POST /api/broadcasts': { serviceId: ids.serviceId, roomId: ids.roomId, message: 'access test' },
    // printers (DESIGN §18)
    'POST /api/label-printers': { name: 'Intruder printer', address: '10.9.9.9:9100', type: 'zebra', stockId: 'zebra-4x2', siteId: a.siteId },
    'PATCH /api/label-printers/:id': { name: 'Renamed printer' },
    'PUT /api/kiosks/:id/printer': { printerId: null },
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
});

async function snapshot() {
  return JSON.stringify(
    await Promise.all([
      t.db('households').where({ site_id: a.siteId }).orderBy('id'),
      t.db('children').where({ household_id: ids.householdId }).orderBy('id'),
      t.db('checkins').where({ site_id: a.siteId }).orderBy('id'),
      t.db('service_rooms').where({ service_id: a.serviceId }).orderBy('room_id'),
      t.db('rooms').where({ site_id: a.siteId }).orderBy('id'),
      t.db('services').where({ site_id: a.siteId }),
      t.db('kiosks').where({ site_id: a.siteId }).select('id', 'name', 'token_hash', 'revoked_at').orderBy('id'),
      t.db('notifications').where({ site_id: a.siteId }).count('* as n'),
      t.db('alerts').where({ site_id: a.siteId }).select('id', 'acknowledged_at'),
      t.db('sites').where({ id: a.siteId }).select('settings'),
      t.db('organizations').where({ id: a.organizationId }).select('settings'),
      t.db('guardians').where({ household_id: ids.householdId }),
      t.db('authorized_pickups').where({ household_id: ids.householdId }),
      t.db('custody_alerts').where({ household_id: ids.householdId }),
      t.db('user_roles').where({ site_id: a.siteId }).orderBy('user_id'),
      t
        .db('users')
        .whereIn('id', Object.values(a.userIds))
        .select('id', 'password_hash', 'org_admin', 'deactivated_at', 'background_check_status', 'background_check_expires_on', 'phone')
        .orderBy('id'),
      t.db('volunteer_shifts').where({ site_id: a.siteId }).orderBy('id'),
      t.db('roll_calls').where({ site_id: a.siteId }),
      t.db('room_headcounts').where({ site_id: a.siteId }),
      t.db('emergencies').where({ site_id: a.siteId }),
      t.db('emergency_accounts').where({ emergency_id: ids.emergencyId }),
      t.db('broadcasts').where({ site_id: a.siteId }),
      t.db('audit_log').where({ site_id: a.siteId }).whereIn('action', ['child.medical_notes_read', 'alert.clear', 'emergency.end']).count('* as n'),
      t.db('users').where({ email: 'intruder@access.test' }).count('* as n'),
      t.db('user_tokens').whereIn('user_id', Object.values(a.userIds)).count('* as n'),
      t.db('photos').where({ organization_id: a.organizationId }).select('id').orderBy('id'),
      t.db('api_keys').where({ organization_id: a.organizationId }).select('id', 'revoked_at').orderBy('id'),
      // label templates (#29)
      t.db('label_templates').where({ organization_id: a.organizationId }).orderBy('id'),
      // printers (DESIGN §18)
      t.db('printers').where({ site_id: a.siteId }).select('id', 'name', 'address', 'type', 'stock_id').orderBy('id'),
      t.db('kiosks').where({ site_id: a.siteId }).select('id', 'printer_id').orderBy('id'),
    ]),
  );
}
const targetsThisSite = (route: { method: string; path: string }) =>
  route.path.includes(':') ||
  [
    'POST /api/checkins',
    'POST /api/pickups/verify',
    'POST /api/checkouts',
    'POST /api/print/labels',
    'POST /api/print/family-labels',
    'POST /api/kiosks',
    'GET /api/alerts',
    'POST /api/people',
    'POST /api/auth/switch-campus',
    'POST /api/org/campuses',
    'PUT /api/org/rooms-template',
    'PATCH /api/org/settings',
    'PATCH /api/org/retention',
    'POST /api/kiosk/volunteers/lookup',
    'POST /api/kiosk/volunteers/checkin',
    'POST /api/kiosk/volunteers/checkout',
    'POST /api/broadcasts',
    // printers (DESIGN §18)
    'POST /api/label-printers',
  ].includes(key2(route));

/** Every route that names a's things, called with `tokens` (allowed roles only): never a 2xx, nothing changed. */
async function neverReaches(tokens: Record<Who, string>, label: string, skip: (route: { method: string; path: string }) => boolean = () => false) {
  const before = await snapshot();
  const leaks: string[] = [];
  for (const route of listRoutes(t.app)) {
    const allowed = TABLE[key2(route)];
    if (!allowed || allowed === 'public' || !targetsThisSite(route) || skip(route)) continue;
    for (const who of allowed) {
      const r = await call(route, tokens[who]);
      if (r.status >= 200 && r.status < 300) leaks.push(`${key2(route)} as ${who} of ${label}: ${r.status}`);
    }
  }
  expect(leaks).toEqual([]);
  expect(await snapshot()).toEqual(before);
}

test("another organisation's token never gets a 2xx on this site's ids, and changes nothing", async () => {
  await neverReaches(bTokens, 'another organisation');
});

test("another campus of the same organisation (campus-scoped roles) reaches none of this campus's ids, families aside", async () => {
  await neverReaches(cTokens, 'another campus', (route) => SHARED_IN_ORG.test(route.path));
});

test("an organisation admin signed in at another campus reaches this campus's people, nothing else of it", async () => {
  const asAdmin = { ...cTokens, admin: orgAdminAtC, staff: orgAdminAtC, volunteer: orgAdminAtC };
  await neverReaches(
    asAdmin,
    'an org admin at another campus',
    (route) =>
      SHARED_IN_ORG.test(route.path) || ORG_ADMIN_REACH.test(route.path) || ORG_ADMIN_PHOTOS.test(route.path) || key2(route) === 'POST /api/auth/switch-campus',
  );
  // and the people routes do answer them
  expect((await t.api().get('/api/people').query({ siteId: a.siteId }).set(bearer(orgAdminAtC))).status).toBe(200);
  const sw = await t
    .api()
    .post('/api/auth/switch-campus')
    .set(bearer(await sessionFor(t.db, orgAdminId)))
    .send({ siteId: a.siteId });
  expect(sw.body.user).toMatchObject({ siteId: a.siteId, role: 'admin', orgAdmin: true });
});

test("list routes of another site show none of this site's data", async () => {
  for (const path of [
    '/api/services/current',
    '/api/households?phone=0612',
    '/api/households/search?q=Fam',
    '/api/services',
    '/api/rooms',
    '/api/kiosks',
    '/api/reports/attendance',
    '/api/label-printers',
  ]) {
    const r = await t.api().get(path).set(bearer(b.tokens.admin));
    const text = JSON.stringify(r.body);
    for (const id of [a.serviceId, ids.householdId, ids.roomId, a.kioskId, ids.printerId])
      expect({ path, leaked: text.includes(id!) }).toEqual({ path, leaked: false });
  }
});

test("sockets: no token refused; a client cannot join another site's room by asking", async () => {
  const anon = t.socket('');
  await expect(connected(anon)).rejects.toThrow('unauthorized');
  const spy = t.socket(b.tokens.admin);
  await connected(spy);
  const got: { name: string; serviceId?: string }[] = [];
  spy.onAny((name, payload) => got.push({ name, serviceId: payload?.serviceId }));
  for (const ev of ['join', 'subscribe', 'room']) (spy as any).emit(ev, `site:${a.siteId}:staff`);
  const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
  await t
    .api()
    .post('/api/checkins')
    .set(bearer(a.tokens.kiosk))
    .send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  // a marker: a check-in at the spy's own site, sent afterwards, arrives after anything site A sent it
  const own = await buildHousehold(t.db, b.siteId, [{ months: 24 }]);
  const marker = nextEvent(spy, 'checkin.created');
  await t
    .api()
    .post('/api/checkins')
    .set(bearer(b.tokens.kiosk))
    .send({ serviceId: b.serviceId, householdId: own.householdId, childIds: own.childIds, idempotencyKey: key() });
  await marker;
  expect(got.map((e) => e.name)).toContain('checkin.created');
  expect(got.filter((e) => e.serviceId !== b.serviceId)).toEqual([]);
});

test("a child's audit trail read at another campus of the organisation lists none of this campus's entries", async () => {
  const mine = await t.api().get(`/api/children/${ids.childId}/audit`).set(bearer(a.tokens.staff));
  expect(mine.body.entries.length).toBeGreaterThan(0);
  const there = await t.api().get(`/api/children/${ids.childId}/audit`).set(bearer(c.tokens.staff));
  expect(there.status).toBe(200);
  expect(there.body.entries).toEqual([]);
});

/** An integration's key with every scope, as every "who" of the table (neverReaches calls the route once per allowed role). */
async function keyTokens(orgAdminToken: string, siteId?: string): Promise<Record<Who, string>> {
  const res = await t
    .api()
    .post('/api/org/api-keys')
    .set(bearer(orgAdminToken))
    .send({ name: 'Access test', scopes: API_SCOPES, ...(siteId ? { siteId } : {}) });
  expect(res.status).toBe(201);
  const { secret } = res.body as ApiKeyCreated;
  return Object.fromEntries(ALL.map((w) => [w, secret])) as Record<Who, string>;
}

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
