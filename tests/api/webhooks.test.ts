/**
 * Outbound webhooks (DESIGN §20) against a real local receiver: endpoints managed by organisation
 * admins only, deliveries written with the change and signed the Standard Webhooks way (checked
 * with the reference verifier, `standardwebhooks`' Webhook.verify), retried with a stable
 * webhook-id, never sent twice at once by racing dispatchers, and refused targets refused.
 */
import { Webhook as Verifier } from 'standardwebhooks';
import { WEBHOOK_EVENTS, WEBHOOK_PAYLOADS, type WebhookCreated, type WebhookDelivery } from '../../contracts';
import { createWebhookDispatcher, type WebhookDispatcher } from '../../server/src/webhooks/webhook-dispatcher';
import { startWebhooks, type WebhooksRuntime } from '../../server/src/webhooks/webhooks-runtime';
import { createLogger } from '../../server/src/logger';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

let t: TestApp;
let wh: WebhooksRuntime;
/** organisation A: campus a (its admin is an organisation admin); organisation B: campus b */
let a: BuiltSite;
let b: BuiltSite;
let rx: Receiver;

beforeAll(async () => {
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_MS: '100', WEBHOOK_TIMEOUT_MS: '3000' } });
  wh = startWebhooks(t.ctx, { pollMs: 50 });
  a = await buildSite(t.db);
  b = await buildSite(t.db);
  await t.db('users').whereIn('id', [a.userIds.admin, b.userIds.admin]).update({ org_admin: true });
  rx = await startReceiver();
});
afterAll(async () => {
  await wh.stop();
  await rx.close();
  await t.stop();
});

async function subscribe(url: string, events: string[], site: BuiltSite = a, extra: Record<string, unknown> = {}): Promise<WebhookCreated> {
  const res = await t
    .api()
    .post('/api/org/webhooks')
    .set(bearer(site.tokens.admin))
    .send({ url, events, ...extra });
  expect(res.status).toBe(201);
  return res.body as WebhookCreated;
}
/** Pauses every endpoint of the organisation (so one test's check-ins do not reach another's receiver). */
const pauseAll = (site: BuiltSite) => t.db('webhook_endpoints').where({ organization_id: site.organizationId }).update({ active: false });

async function checkIn(site: BuiltSite, months = [24]) {
  const fam = await buildHousehold(
    t.db,
    site.siteId,
    months.map((m, i) => ({ firstName: `Kid${i}`, months: m })),
  );
  const res = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(res.status).toBe(201);
  return { fam, body: res.body as { batchId: string; securityCode: string; pickupUrl: string; checkins: { id: string; roomName: string }[] } };
}
const deliveriesOf = async (site: BuiltSite, id: string) =>
  (await t.api().get(`/api/org/webhooks/${id}/deliveries`).set(bearer(site.tokens.admin))).body.deliveries as WebhookDelivery[];
async function settled(site: BuiltSite, id: string, n = 1): Promise<WebhookDelivery[]> {
  for (;;) {
    await wh.dispatcher!.drain();
    const list = await deliveriesOf(site, id);
    if (list.length >= n && list.every((d) => d.status === 'delivered' || d.status === 'failed')) return list;
    await new Promise((r) => setTimeout(r, 20)); // a retry's backoff (20–100 ms) coming due
  }
}

describe('managing endpoints', () => {
  test('the secret is answered once (whsec_), kept sealed, never listed; updates, deletes and audit', async () => {
    const { webhook, secret } = await subscribe(rx.url, ['checkin.created']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhook).toMatchObject({ url: rx.url, events: ['checkin.created'], siteId: null, active: true, previousSecretExpiresAt: null });
    const row = await t.db('webhook_endpoints').where({ id: webhook.id }).first();
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    const list = await t.api().get('/api/org/webhooks').set(bearer(a.tokens.admin));
    expect(list.body.webhooks.map((w: { id: string }) => w.id)).toContain(webhook.id);
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(6));
    const patched = await t
      .api()
      .patch(`/api/org/webhooks/${webhook.id}`)
      .set(bearer(a.tokens.admin))
      .send({ active: false, events: ['checkin.checkedOut', 'alert.raised'] });
    expect(patched.status).toBe(200);
    expect(patched.body.webhook).toMatchObject({ active: false, events: ['checkin.checkedOut', 'alert.raised'] });
    expect((await t.api().delete(`/api/org/webhooks/${webhook.id}`).set(bearer(a.tokens.admin))).status).toBe(204);
    expect((await t.api().delete(`/api/org/webhooks/${webhook.id}`).set(bearer(a.tokens.admin))).status).toBe(404);
    const audit = await t.db('audit_log').where({ entity_id: webhook.id }).orderBy('id').pluck('action');
    expect(audit).toEqual(['webhook.created', 'webhook.updated', 'webhook.deleted']);
  });

  test.each([
    [{ url: 'file:///etc/passwd', events: ['checkin.created'] }, 'url'],
    [{ url: 'ftp://example.org/hook', events: ['checkin.created'] }, 'url'],
    [{ url: 'not a url', events: ['checkin.created'] }, 'url'],
    [{ events: ['checkin.created'] }, 'url'],
    [{ url: 'https://example.org/hook', events: [] }, 'events'],
    [{ url: 'https://example.org/hook', events: ['checkin.deleted'] }, 'events.0'],
    [{ url: 'https://example.org/hook', events: ['checkin.created', 'checkin.created'] }, 'events'],
    [{ url: 'https://example.org/hook', events: ['checkin.created'], siteId: 'nope' }, 'siteId'],
    [{ url: 'https://example.org/hook', events: ['checkin.created'], secret: 'x' }, 'secret'],
  ])('bad input %j → 400 naming %s', async (body, field) => {
    const res = await t.api().post('/api/org/webhooks').set(bearer(a.tokens.admin)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  test('another campus of another organisation as siteId → 404', async () => {
    const res = await t
      .api()
      .post('/api/org/webhooks')
      .set(bearer(a.tokens.admin))
      .send({ url: rx.url, events: ['checkin.created'], siteId: b.siteId });
    expect(res.status).toBe(404);
  });

  test("another organisation's endpoint ids → 404 on every route; staff without org-admin and API keys → 403", async () => {
    const { webhook } = await subscribe(rx.url, ['alert.raised'], b);
    await pauseAll(b);
    const routes: [string, string, object?][] = [
      ['patch', `/api/org/webhooks/${webhook.id}`, { active: true }],
      ['delete', `/api/org/webhooks/${webhook.id}`],
      ['post', `/api/org/webhooks/${webhook.id}/rotate-secret`],
      ['post', `/api/org/webhooks/${webhook.id}/test`],
      ['get', `/api/org/webhooks/${webhook.id}/deliveries`],
    ];
    for (const [m, path, body] of routes) {
      const res = await (t.api() as unknown as Record<string, (p: string) => import('supertest').Test>)[m]!(path).set(bearer(a.tokens.admin)).send(body);
      expect([m, path, res.status]).toEqual([m, path, 404]);
    }
    // a campus admin who is not an organisation admin, and staff
    const campusAdmin = await buildSite(t.db);
    const key = await t
      .api()
      .post('/api/org/api-keys')
      .set(bearer(b.tokens.admin))
      .send({ name: 'All scopes', scopes: ['checkins:read', 'checkins:write', 'families:read', 'families:write', 'reports:read'] });
    expect(key.status).toBe(201);
    for (const token of [campusAdmin.tokens.admin, b.tokens.staff, b.tokens.volunteer, key.body.secret as string]) {
      const all: [string, string, object?][] = [
        ['get', '/api/org/webhooks'],
        ['post', '/api/org/webhooks', { url: rx.url, events: ['checkin.created'] }],
        ...routes,
      ];
      for (const [m, path, body] of all) {
        const res = await (t.api() as unknown as Record<string, (p: string) => import('supertest').Test>)[m]!(path).set(bearer(token)).send(body);
        expect([m, path, res.status]).toEqual([m, path, 403]);
      }
    }
    expect(await t.db('webhook_endpoints').where({ id: webhook.id }).first()).toMatchObject({ active: false });
  });
});

describe('deliveries', () => {
  test('a check-in and a checkout are each delivered once, signed so the reference verifier accepts them, without codes', async () => {
    await pauseAll(a);
    const mine = await startReceiver();
    try {
      const { webhook, secret } = await subscribe(mine.url, ['checkin.created', 'checkin.checkedOut']);
      const { fam, body } = await checkIn(a, [24, 48]);
      const [first] = await mine.waitFor(1);
      const verifier = new Verifier(secret);
      const event = verifier.verify(first!.body, first!.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
      expect(event.type).toBe('checkin.created');
      expect(event.data).toMatchObject({ siteId: a.siteId, serviceId: a.serviceId, batchId: body.batchId });
      const kids = event.data.checkins as { checkinId: string; firstName: string; roomName: string }[];
      expect(kids.map((k) => k.roomName).sort()).toEqual(['Preschool', 'Toddlers']);
      expect(kids.map((k) => k.checkinId).sort()).toEqual(body.checkins.map((c) => c.id).sort());
      expect(first!.body).not.toContain(body.securityCode);
      expect(first!.body).not.toMatch(/allerg|medical|photo|securityCode|phone/i);
      expect(first!.headers['webhook-id']).toBeTruthy();
      // the body is what the OpenAPI document's webhooks section says (strict: nothing more)
      expect(WEBHOOK_PAYLOADS['checkin.created'].safeParse(event).error).toBeUndefined();

      const token = body.pickupUrl.split('/pass/')[1];
      const out = await t
        .api()
        .post('/api/checkouts')
        .set(bearer(a.tokens.volunteer))
        .send({ checkinIds: body.checkins.map((c) => c.id), token, pickupPersonId: fam.guardianId });
      expect(out.status).toBe(200);
      const [, second] = await mine.waitFor(2);
      const out2 = verifier.verify(second!.body, second!.headers as Record<string, string>) as {
        type: string;
        data: { checkins: { firstName: string; roomName: string }[] };
      };
      expect(out2.type).toBe('checkin.checkedOut');
      expect(WEBHOOK_PAYLOADS['checkin.checkedOut'].safeParse(out2).error).toBeUndefined();
      expect(out2.data.checkins.map((c) => c.firstName).sort()).toEqual(['Kid0', 'Kid1']);
      expect(out2.data.checkins.every((c) => c.roomName)).toBe(true);
      expect(second!.body).not.toContain(body.securityCode);
      const log = await settled(a, webhook.id, 2);
      expect(log.map((d) => [d.event, d.status, d.attempts, d.lastStatusCode])).toEqual([
        ['checkin.checkedOut', 'delivered', 1, 200],
        ['checkin.created', 'delivered', 1, 200],
      ]);
      expect(mine.received).toHaveLength(2);
      // the names left with the delivery: the log keeps the outcome only
      expect((await t.db('webhook_deliveries').where({ endpoint_id: webhook.id })).map((d) => d.payload)).toEqual([{}, {}]);
      // a forged body is refused by the verifier
      expect(() => verifier.verify(first!.body.replace('Kid0', 'Eve'), first!.headers as Record<string, string>)).toThrow();
    } finally {
      await mine.close();
    }
  });

  test('a check-in that rolls back writes no delivery', async () => {
    await pauseAll(a);
    const { webhook } = await subscribe(rx.url, ['checkin.created']);
    const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
    // a child of another family: refused, nothing committed
    const other = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
    const res = await t
      .api()
      .post('/api/checkins')
      .set(bearer(a.tokens.kiosk))
      .send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: other.childIds, idempotencyKey: key() });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await t.db('webhook_deliveries').where({ endpoint_id: webhook.id })).toEqual([]);
  });

  test('a receiver answering 500 and then 200 gets the same webhook-id again', async () => {
    await pauseAll(a);
    const mine = await startReceiver();
    try {
      mine.answer((_r, n) => ({ status: n === 1 ? 500 : 200 }));
      const { webhook, secret } = await subscribe(mine.url, ['checkin.created']);
      await checkIn(a);
      const [one, two] = await mine.waitFor(2);
      expect(two!.headers['webhook-id']).toBe(one!.headers['webhook-id']);
      expect(two!.body).toBe(one!.body);
      const v = new Verifier(secret);
      expect(() => v.verify(two!.body, two!.headers as Record<string, string>)).not.toThrow();
      const [d] = await settled(a, webhook.id);
      expect(d).toMatchObject({ id: one!.headers['webhook-id'], status: 'delivered', attempts: 2, lastStatusCode: 200, lastError: null });
    } finally {
      await mine.close();
    }
  });

  test('a redirect is not followed: a 3xx is a failure, retried, and the target never hears of it', async () => {
    await pauseAll(a);
    const target = await startReceiver('/elsewhere');
    const redirecting = await startReceiver();
    try {
      redirecting.answer(() => ({ status: 307, headers: { location: target.url } }));
      const { webhook } = await subscribe(redirecting.url, ['checkin.created']);
      await t.db('webhook_endpoints').where({ id: webhook.id }).update({ active: true });
      await checkIn(a);
      await redirecting.waitFor(2);
      await t.api().patch(`/api/org/webhooks/${webhook.id}`).set(bearer(a.tokens.admin)).send({ active: false });
      const [d] = await deliveriesOf(a, webhook.id);
      expect(d!.lastStatusCode).toBe(307);
      expect(d!.lastError).toMatch(/redirects are not followed/);
      expect(d!.status).not.toBe('delivered');
      expect(target.received).toHaveLength(0);
      await t.api().delete(`/api/org/webhooks/${webhook.id}`).set(bearer(a.tokens.admin));
    } finally {
      await target.close();
      await redirecting.close();
    }
  });

  test('after a rotation both secrets sign for a while; the test ping reaches the endpoint alone', async () => {
    await pauseAll(a);
    const mine = await startReceiver();
    try {
      const { webhook, secret: old } = await subscribe(mine.url, ['alert.raised']);
      const rotated = await t.api().post(`/api/org/webhooks/${webhook.id}/rotate-secret`).set(bearer(a.tokens.admin));
      expect(rotated.status).toBe(200);
      const fresh = (rotated.body as WebhookCreated).secret;
      expect(fresh).not.toBe(old);
      expect(rotated.body.webhook.previousSecretExpiresAt).toBeTruthy();
      const ping = await t.api().post(`/api/org/webhooks/${webhook.id}/test`).set(bearer(a.tokens.admin));
      expect(ping.status).toBe(202);
      expect(ping.body.delivery).toMatchObject({ event: 'webhook.test', status: 'pending' });
      const [r] = await mine.waitFor(1);
      expect(String(r!.headers['webhook-signature']).split(' ')).toHaveLength(2);
      for (const s of [old, fresh])
        expect((new Verifier(s).verify(r!.body, r!.headers as Record<string, string>) as { type: string }).type).toBe('webhook.test');
      expect(r!.headers['webhook-id']).toBe(ping.body.delivery.id);
    } finally {
      await mine.close();
    }
  });

  test('two dispatchers racing never send one delivery twice, nor at the same time', async () => {
    await pauseAll(a);
    const mine = await startReceiver();
    const logger = createLogger('silent');
    const racers: WebhookDispatcher[] = [];
    try {
      const { webhook } = await subscribe(mine.url, ['checkin.created']);
      await t.db('webhook_endpoints').where({ id: webhook.id }).update({ active: false });
      // twenty pings queued while no dispatcher of this test runs; the app's own is stopped too
      await wh.stop();
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push((await t.api().post(`/api/org/webhooks/${webhook.id}/test`).set(bearer(a.tokens.admin))).body.delivery.id);
      const claimedBy = new Map<string, number[]>();
      for (let n = 0; n < 2; n++) {
        racers.push(
          createWebhookDispatcher({
            db: t.db,
            logger,
            secret: t.ctx.secret,
            allowPrivate: true,
            // longer than this test can take: the first answers are held until five are open, and
            // on a loaded machine a 3 s timeout could lapse first and (rightly) send them again,
            // which is at-least-once delivery, not the double claim this test is about
            timeoutMs: 30_000,
            retryBaseMs: 10,
            retryMaxMs: 50,
            giveUpMs: 60_000,
            // claims of two, two at a time: one dispatcher holds at most four deliveries (never
            // paced: a loaded test machine would otherwise claim larger batches, webhook-pacing.test.ts)
            concurrency: 2,
            batchSize: 2,
            busy: () => false,
            pollMs: 20,
            onClaim: (row) => {
              if (ids.includes(row.id)) claimedBy.set(row.id, [...(claimedBy.get(row.id) ?? []), n]);
            },
          }),
        );
      }
      let concurrent = 0;
      let most = 0;
      let releaseFive!: () => void;
      const fiveOpen = new Promise<void>((resolve) => (releaseFive = resolve));
      const open = new Set<string>();
      let overlap = false;
      mine.answer((r) => {
        const id = String(r.headers['webhook-id']);
        if (open.has(id)) overlap = true;
        open.add(id);
        most = Math.max(most, ++concurrent);
        // the first answers wait until five requests are open at once: one dispatcher sends at most
        // four at a time (two batches of two), so by then both are sending — and racing for the rest
        const answer = mine.received.length >= 5 ? Promise.resolve() : fiveOpen;
        if (mine.received.length >= 5) releaseFive();
        return answer.then(() => {
          open.delete(id);
          concurrent--;
          return { status: 200 };
        });
      });
      racers.forEach((d) => d.start());
      await mine.waitFor(20);
      await Promise.all(racers.map((d) => d.drain()));
      const got = mine.received.map((r) => String(r.headers['webhook-id']));
      // each claimed once, by one dispatcher, and attempted once
      expect(claimedBy.size).toBe(20);
      expect([...claimedBy.entries()].filter(([, c]) => c.length !== 1)).toEqual([]);
      const rows = await t.db('webhook_deliveries').whereIn('id', ids).select('id', 'status', 'attempts', 'last_error');
      expect(rows.filter((r) => r.status !== 'delivered' || r.attempts !== 1)).toEqual([]);
      expect(got.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
      expect(new Set(got).size).toBe(got.length);
      expect(overlap).toBe(false);
      expect(most).toBeGreaterThanOrEqual(5);
      // both dispatchers took part
      expect(new Set([...claimedBy.values()].flat()).size).toBe(2);
    } finally {
      await Promise.all(racers.map((d) => d.stop()));
      wh = startWebhooks(t.ctx, { pollMs: 50 });
      await mine.close();
    }
  });
});

test('the OpenAPI document describes every event in its webhooks section, with the signature headers', async () => {
  const doc = (await t.api().get('/api/openapi.json')).body;
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENTS, 'webhook.test'].sort());
  const created = doc.webhooks['checkin.created'].post;
  expect(created.parameters.map((p: { name: string }) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
  expect(Object.keys(created.requestBody.content['application/json'].schema.properties.data.properties)).toEqual(
    expect.arrayContaining(['batchId', 'checkins', 'checkedInAt']),
  );
  expect(JSON.stringify(doc.webhooks)).not.toMatch(/securityCode|medical|allerg|photo/i);
  for (const p of [
    '/api/org/webhooks',
    '/api/org/webhooks/{id}',
    '/api/org/webhooks/{id}/rotate-secret',
    '/api/org/webhooks/{id}/test',
    '/api/org/webhooks/{id}/deliveries',
  ])
    expect(doc.paths[p]).toBeDefined();
});

describe('private and loopback targets without WEBHOOK_ALLOW_PRIVATE', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp({ db: t.db, env: { WEBHOOK_ALLOW_PRIVATE: 'false' } });
  });
  afterAll(() => strict.stop());

  test.each([
    'http://127.0.0.1:9/hook',
    'http://localhost:9/hook',
    'http://10.1.2.3/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
  ])('%s is refused when saved', async (url) => {
    const res = await strict
      .api()
      .post('/api/org/webhooks')
      .set(bearer(a.tokens.admin))
      .send({ url, events: ['checkin.created'] });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('url');
    expect(res.body.error.message).toMatch(/private|loopback|this machine/);
  });

  test('an endpoint saved while allowed is refused at delivery once the setting is off (the address is checked when connecting)', async () => {
    await pauseAll(a);
    const mine = await startReceiver();
    const strictRunner = startWebhooks(strict.ctx, { pollMs: 20 });
    try {
      await wh.stop();
      const { webhook } = await subscribe(mine.url.replace('127.0.0.1', 'localhost'), ['checkin.created']);
      await checkIn(a);
      await strictRunner.dispatcher!.drain();
      const [d] = await deliveriesOf(a, webhook.id);
      expect(d).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null });
      expect(d!.lastError).toMatch(/^refused: .*private, loopback or link-local/);
      expect(mine.received).toHaveLength(0);
    } finally {
      await strictRunner.stop();
      wh = startWebhooks(t.ctx, { pollMs: 50 });
      await mine.close();
    }
  });
});
