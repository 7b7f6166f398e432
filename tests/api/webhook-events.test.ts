/**
 * The webhook events beyond check-in and checkout (DESIGN §20, issue 32) against a local receiver:
 * page.sent, volunteer.checkedIn, family.created (a kiosk registration; an import in chunks) and
 * checkin.flagged for the security desk (a child with a custody alert checked in; a checkout a
 * custody alert refused, delivered although the refused request rolled back). Every body is
 * signed (the reference verifier accepts it), matches the OpenAPI schema and carries no code,
 * phone, note or photo; a campus-limited endpoint hears only its campus.
 */
import { Webhook as Verifier } from 'standardwebhooks';
import { WEBHOOK_EVENTS, WEBHOOK_PAYLOADS, type WebhookCreated, type WebhookEvent } from '../../contracts';
import { startWebhooks, type WebhooksRuntime } from '../../server/src/webhooks/webhooks-runtime';
import { readImport, writeImport } from '../../server/src/import/import.service';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

let t: TestApp;
let wh: WebhooksRuntime;
/** one organisation, two campuses: a (whose admin is an organisation admin) and a2 */
let a: BuiltSite;
let a2: BuiltSite;

beforeAll(async () => {
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_MS: '100', WEBHOOK_TIMEOUT_MS: '3000' } });
  wh = startWebhooks(t.ctx, { pollMs: 50 });
  a = await buildSite(t.db);
  a2 = await buildSite(t.db, { organizationId: a.organizationId });
  await t.db('users').where({ id: a.userIds.admin }).update({ org_admin: true });
  // volunteers serve in a children's room with a current background check
  const expiresOn = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  for (const id of [a.userIds.volunteer, a.userIds.staff])
    expect((await t.api().put(`/api/people/${id}/background-check`).set(bearer(a.tokens.admin)).send({ status: 'cleared', expiresOn })).status).toBe(200);
});
afterAll(async () => {
  await wh.stop();
  await t.stop();
});

/** A fresh receiver and endpoint (every other endpoint of the organisation paused). */
async function listen(
  events: readonly string[],
  extra: Record<string, unknown> = {},
): Promise<{ rx: Receiver; hook: WebhookCreated; verify: (i: number) => any }> {
  await t.db('webhook_endpoints').where({ organization_id: a.organizationId }).update({ active: false });
  const rx = await startReceiver();
  const res = await t
    .api()
    .post('/api/org/webhooks')
    .set(bearer(a.tokens.admin))
    .send({ url: rx.url, events, ...extra });
  expect(res.status).toBe(201);
  const hook = res.body as WebhookCreated;
  const verifier = new Verifier(hook.secret);
  const verify = (i: number) => {
    const r = rx.received[i]!;
    const event = verifier.verify(r.body, r.headers as Record<string, string>) as { type: WebhookEvent };
    // the body is what the OpenAPI document's webhooks section says (strict: nothing more)
    expect(WEBHOOK_PAYLOADS[event.type].safeParse(event).error).toBeUndefined();
    expect(r.body).not.toMatch(/securityCode|allerg|medical|photo|phone|court order/i);
    return event;
  };
  receivers.push(rx);
  return { rx, hook, verify };
}
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const rx of receivers.splice(0)) await rx.close();
});

async function checkIn(site: BuiltSite, fam: { householdId: string; childIds: string[] }) {
  const res = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(res.status).toBe(201);
  return res.body as { batchId: string; securityCode: string; checkins: { id: string }[] };
}
/** Everything due has been attempted, and the endpoint's deliveries (by event). */
async function deliveredEvents(hookId: string): Promise<string[]> {
  await wh.dispatcher!.drain();
  return (await t.db('webhook_deliveries').where({ endpoint_id: hookId }).orderBy('created_at')).map((d) => d.event as string);
}

test('page.sent: the paged child, room and service, never the message or a phone', async () => {
  const { rx, verify } = await listen(['page.sent']);
  const fam = await buildHousehold(t.db, a.siteId, [{ firstName: 'Paige', months: 24 }]);
  const c = await checkIn(a, fam);
  const page = await t.api().post(`/api/checkins/${c.checkins[0]!.id}/page`).set(bearer(a.tokens.volunteer)).send({ message: 'Paige needs her inhaler' });
  expect(page.status).toBe(201);
  await rx.waitFor(1);
  const e = verify(0);
  expect(e).toMatchObject({
    type: 'page.sent',
    data: {
      siteId: a.siteId,
      serviceId: a.serviceId,
      batchId: c.batchId,
      checkinId: c.checkins[0]!.id,
      childId: fam.childIds[0],
      firstName: 'Paige',
      roomName: 'Toddlers',
      guardiansTexted: 1,
    },
  });
  expect(rx.received[0]!.body).not.toContain('inhaler');
  expect(rx.received).toHaveLength(1);
});

test('volunteer.checkedIn: who, which room and service', async () => {
  const { rx, verify } = await listen(['volunteer.checkedIn']);
  const res = await t.api().post(`/api/services/${a.serviceId}/rooms/${a.rooms.Toddlers}/volunteers`).set(bearer(a.tokens.volunteer)).send({});
  expect(res.status).toBe(201);
  await rx.waitFor(1);
  expect(verify(0)).toMatchObject({
    type: 'volunteer.checkedIn',
    data: {
      siteId: a.siteId,
      userId: a.userIds.volunteer,
      serviceId: a.serviceId,
      roomId: a.rooms.Toddlers,
      roomName: 'Toddlers',
      movedFromRoomId: null,
      shiftId: res.body.shift.id,
    },
  });
});

test('family.created: a kiosk registration is one event naming the family and its children', async () => {
  const { rx, hook, verify } = await listen(['family.created']);
  const body = {
    guardians: [{ firstName: 'Rita', lastName: 'Hook', phone: '312-555-0177' }],
    children: [{ firstName: 'Rex', lastName: 'Hook', birthdate: '2024-03-02', medicalNotes: 'court order', allergies: 'peanuts' }],
    idempotencyKey: key(),
  };
  const res = await t.api().post('/api/households').set(bearer(a.tokens.kiosk)).send(body);
  expect(res.status).toBe(201);
  await rx.waitFor(1);
  expect(verify(0)).toMatchObject({
    type: 'family.created',
    data: {
      siteId: a.siteId,
      source: 'kiosk',
      families: [
        { householdId: res.body.household.id, name: 'Hook family', children: [{ childId: res.body.childIds[0], firstName: 'Rex', lastName: 'Hook' }] },
      ],
    },
  });
  // a retry of the same registration creates nothing, so tells nothing
  expect((await t.api().post('/api/households').set(bearer(a.tokens.kiosk)).send(body)).status).toBe(201);
  expect(await deliveredEvents(hook.webhook.id)).toEqual(['family.created']);
});

test('family.created: an import of 500 families is one delivery per chunk of 250, not 500', async () => {
  const { rx, hook, verify } = await listen(['family.created']);
  const lines = ['household_id,household_name,person_id,role,first_name,last_name,mobile,birthdate,grade,allergies'];
  for (let i = 0; i < 500; i++) {
    lines.push(`W${i},Hookfam ${i},W${i}a,adult,Pat,Hook${i},+1312${String(3_000_000 + i).padStart(7, '0')},,,`);
    lines.push(`W${i},Hookfam ${i},W${i}b,child,Kid,Hook${i},,2019-05-15,,Peanuts`);
  }
  const plan = readImport(lines.join('\n'), { country: 'US', today: '2026-12-01' });
  expect(plan.problems).toEqual([]);
  expect((await writeImport(t.db, a.siteId, plan, { dryRun: false })).households).toBe(500);
  await rx.waitFor(2);
  expect(await deliveredEvents(hook.webhook.id)).toEqual(['family.created', 'family.created']);
  const families = [0, 1].flatMap((i) => (verify(i) as { data: { source: string; families: { name: string; children: unknown[] }[] } }).data.families);
  expect(families).toHaveLength(500);
  expect(new Set(families.map((f) => f.name)).size).toBe(500);
  expect(families.every((f) => f.children.length === 1)).toBe(true);
  // a second import of the same file creates nothing: nothing is sent
  await writeImport(t.db, a.siteId, plan, { dryRun: false });
  expect(await deliveredEvents(hook.webhook.id)).toHaveLength(2);
});

describe('checkin.flagged (the security desk)', () => {
  test('a child whose family has a custody alert checks in: flagged with whom to watch for, never the note; other families are not', async () => {
    const { rx, hook, verify } = await listen(['checkin.flagged']);
    const plain = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
    await checkIn(a, plain);
    const fam = await buildHousehold(t.db, a.siteId, [
      { firstName: 'Flo', months: 24 },
      { firstName: 'Sam', months: 48 },
    ]);
    await t.db('custody_alerts').insert({ household_id: fam.householdId, name: 'Jordan Doe', note: 'court order' });
    // an alert for Sam alone
    await t.db('custody_alerts').insert({ household_id: fam.householdId, child_id: fam.childIds[1], name: 'Casey Roe', note: 'court order' });
    const c = await checkIn(a, fam);
    await rx.waitFor(1);
    const e = verify(0) as {
      type: string;
      data: { reason: string; batchId: string; checkins: { childId: string; firstName: string; roomName: string; restrictedPersons: string[] }[] };
    };
    expect(e.type).toBe('checkin.flagged');
    expect(e.data).toMatchObject({ reason: 'custody_alert_checkin', batchId: c.batchId, attemptedBy: null, match: null });
    const byName = Object.fromEntries(e.data.checkins.map((k) => [k.firstName, k]));
    expect(byName.Flo).toMatchObject({ childId: fam.childIds[0], roomName: 'Toddlers', restrictedPersons: ['Jordan Doe'] });
    expect(byName.Sam).toMatchObject({ childId: fam.childIds[1], roomName: 'Preschool', restrictedPersons: ['Casey Roe', 'Jordan Doe'] });
    expect(await deliveredEvents(hook.webhook.id)).toEqual(['checkin.flagged']);
  });

  test('a checkout refused by a custody alert is delivered although the refused request rolled back; a partial match too', async () => {
    const fam = await buildHousehold(t.db, a.siteId, [{ firstName: 'Flo', months: 24 }]);
    await t.db('custody_alerts').insert({ household_id: fam.householdId, name: 'Jordan Doe', note: 'court order' });
    // on the pickup list, and resembling the alert's name: a partial match
    const [jordan] = await t.db('authorized_pickups').insert({ household_id: fam.householdId, name: 'Jordan' }).returning('id');
    const c = await checkIn(a, fam);
    const { rx, hook, verify } = await listen(['checkin.flagged']);
    const out = await t
      .api()
      .post('/api/checkouts')
      .set(bearer(a.tokens.volunteer))
      .send({ checkinIds: [c.checkins[0]!.id], securityCode: c.securityCode, pickedUpBy: 'jordan  doe' });
    expect(out.status).toBe(409);
    expect(out.body.error.code).toBe('custody_alert');
    await rx.waitFor(1);
    expect(verify(0)).toMatchObject({
      type: 'checkin.flagged',
      data: {
        reason: 'checkout_refused',
        match: 'full',
        batchId: c.batchId,
        checkins: [{ checkinId: c.checkins[0]!.id, firstName: 'Flo', restrictedPersons: ['Jordan Doe'] }],
      },
    });
    expect(JSON.parse(rx.received[0]!.body).data.attemptedBy).toMatch(/jordan/i);
    // the child is still checked in: the refusal changed nothing but the record
    expect((await t.db('checkins').where({ id: c.checkins[0]!.id }).first()).status).toBe('checked_in');
    const partial = await t
      .api()
      .post('/api/checkouts')
      .set(bearer(a.tokens.volunteer))
      .send({ checkinIds: [c.checkins[0]!.id], securityCode: c.securityCode, pickupPersonId: jordan.id });
    expect(partial.status).toBe(409);
    expect(partial.body.error.code).toBe('possible_custody_match');
    await rx.waitFor(2);
    expect(verify(1)).toMatchObject({ data: { reason: 'checkout_refused', match: 'partial', attemptedBy: 'Jordan' } });
    // the guardian picks up: released, nothing flagged
    const ok = await t
      .api()
      .post('/api/checkouts')
      .set(bearer(a.tokens.volunteer))
      .send({ checkinIds: [c.checkins[0]!.id], securityCode: c.securityCode, pickupPersonId: fam.guardianId });
    expect(ok.status).toBe(200);
    expect(await deliveredEvents(hook.webhook.id)).toEqual(['checkin.flagged', 'checkin.flagged']);
  });
});

test('a campus-limited endpoint hears only its campus; an organisation-wide one hears both', async () => {
  const { rx: only2, hook: h2 } = await listen(WEBHOOK_EVENTS, { siteId: a2.siteId });
  const wideRx = await startReceiver();
  receivers.push(wideRx);
  const wide = (await t.api().post('/api/org/webhooks').set(bearer(a.tokens.admin)).send({ url: wideRx.url, events: WEBHOOK_EVENTS })).body as WebhookCreated;
  const famA = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
  await t.db('custody_alerts').insert({ household_id: famA.householdId, name: 'Jordan Doe', note: 'court order' });
  const cA = await checkIn(a, famA);
  expect((await t.api().post(`/api/checkins/${cA.checkins[0]!.id}/page`).set(bearer(a.tokens.volunteer)).send({})).status).toBe(201);
  expect((await t.api().post(`/api/services/${a.serviceId}/rooms/${a.rooms.Toddlers}/volunteers`).set(bearer(a.tokens.staff)).send({})).status).toBe(201);
  const famA2 = await buildHousehold(t.db, a2.siteId, [{ months: 24 }]);
  await checkIn(a2, famA2);
  await wideRx.waitFor(5);
  expect((await deliveredEvents(wide.webhook.id)).sort()).toEqual([
    'checkin.created',
    'checkin.created',
    'checkin.flagged',
    'page.sent',
    'volunteer.checkedIn',
  ]);
  expect(await deliveredEvents(h2.webhook.id)).toEqual(['checkin.created']);
  expect(only2.received.map((r) => JSON.parse(r.body).data.siteId)).toEqual([a2.siteId]);
});
