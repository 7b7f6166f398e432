/**
 * The world the access tests share (tests/security/access*.test.ts, split from access.test.ts): the
 * campuses and tokens, a path and a body aimed at campus a's things for every route, a snapshot of a's
 * data to prove nothing changed, and the "never reaches" check every cross-campus test runs.
 */
import { buildHousehold, buildSite, key, kioskToken, sessionFor, type BuiltSite } from '../support/factories';
import { newToken, sha256 } from '../../server/src/auth/crypto';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { fillPath, listRoutes } from '../support/routes';
import { API_SCOPES, type ApiKeyCreated } from '../../contracts';
import { type Who, ALL, TABLE } from './access-table';

/** The world of the running test file, made by setupAccessWorld's beforeAll. */
export let t: TestApp;
export let a: BuiltSite;
export let b: BuiltSite;
export let ids: Record<string, string>;
export let bTokens: Record<Who, string>;
export let c: BuiltSite;
export let cTokens: Record<Who, string>;
export let orgAdminAtC: string;
export let orgAdminId: string;

/**
 * In a test file: three campuses (a and b of different organisations, c of a's), tokens of every kind
 * at b and c, an organisation admin signed in at c, and ids of a's things to aim at — built before its tests.
 */
export function setupAccessWorld() {
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
          .insert({
            organization_id: a.organizationId,
            url: 'https://example.org/hook',
            events: t.db.raw("'{checkin.created}'::text[]"),
            secret_enc: 'v1.test',
          })
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
}

export const key2 = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;
export function pathFor(path: string): string {
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
export function requestFor(route: { method: string; path: string }) {
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
export const call = (route: { method: string; path: string }, token?: string) => {
  const { path, query, body } = requestFor(route);
  let r = (t.api() as any)[route.method](path).query(query);
  if (token) r = r.set(bearer(token));
  return route.method === 'get' || route.method === 'delete' ? r : r.send(body);
};

export async function snapshot() {
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
export const targetsThisSite = (route: { method: string; path: string }) =>
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
export async function neverReaches(tokens: Record<Who, string>, label: string, skip: (route: { method: string; path: string }) => boolean = () => false) {
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

/** An integration's key with every scope, as every "who" of the table (neverReaches calls the route once per allowed role). */
export async function keyTokens(orgAdminToken: string, siteId?: string): Promise<Record<Who, string>> {
  const res = await t
    .api()
    .post('/api/org/api-keys')
    .set(bearer(orgAdminToken))
    .send({ name: 'Access test', scopes: API_SCOPES, ...(siteId ? { siteId } : {}) });
  expect(res.status).toBe(201);
  const { secret } = res.body as ApiKeyCreated;
  return Object.fromEntries(ALL.map((w) => [w, secret])) as Record<Who, string>;
}
