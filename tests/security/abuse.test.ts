import { hashPassword } from '../../server/src/auth/crypto';
import { VERIFY_FAILURES_PER_WINDOW } from '../../server/src/pickup/pickup.routes';
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

describe('brute force', () => {
  test('five wrong passwords lock the account: even the right one is refused, and every failure is audited', async () => {
    const site = await buildSite(t.db);
    const email = `lock-${site.siteId}@x.church`;
    await t
      .db('users')
      .where({ id: site.userIds.staff })
      .update({ email, password_hash: await hashPassword('right password') });
    for (let i = 0; i < 5; i++)
      expect(
        (
          await t
            .api()
            .post('/api/auth/login')
            .send({ email, password: `wrong ${i}` })
        ).status,
      ).toBe(401);
    const locked = await t.api().post('/api/auth/login').send({ email, password: 'right password' });
    // the same answer as a wrong password (a locked account is not told apart: tests/security/login-race.test.ts)
    expect(locked.status).toBe(401);
    expect(locked.body.error.code).toBe('invalid_credentials');
    expect(await t.db('audit_log').where({ entity_id: site.userIds.staff, action: 'auth.login_failed' })).toHaveLength(5);
  });

  test('a wrong email and a wrong password get the same answer', async () => {
    const a = await t.api().post('/api/auth/login').send({ email: 'nobody-at-all@x.church', password: 'whatever' });
    expect(a.status).toBe(401);
    expect(a.body.error.code).toBe('invalid_credentials');
  });

  test('guessing pairing codes is rate-limited', async () => {
    // the limit is per address and counted in the database every instance shares: this test spends
    // it on a server of its own, then gives it back for the tests after it
    const own = await startTestApp({ db: t.db });
    const statuses: number[] = [];
    try {
      for (let i = 0; i < 12; i++)
        statuses.push(
          (
            await own
              .api()
              .post('/api/kiosks/pair')
              .send({ pairingCode: `ZZZZZZZ${i % 10}` })
          ).status,
        );
    } finally {
      await own.stop();
      await t.db('attempt_counters').where('key', 'like', 'rate:kioskPairingFailures:%').del();
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  test('guessing security codes is rate-limited per user and every failure is audited', async () => {
    const site = await buildSite(t.db);
    const statuses: number[] = [];
    for (let i = 0; i < VERIFY_FAILURES_PER_WINDOW + 2; i++) {
      statuses.push(
        (await t.api().post('/api/pickups/verify').set(bearer(site.tokens.volunteer)).send({ securityCode: 'ZZZZ', serviceId: site.serviceId })).status,
      );
    }
    expect(statuses.slice(0, VERIFY_FAILURES_PER_WINDOW).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(VERIFY_FAILURES_PER_WINDOW)).toEqual([429, 429]);
    const failures = await t.db('audit_log').where({ site_id: site.siteId, action: 'pickup.verify_failed', actor_id: site.userIds.volunteer });
    expect(failures).toHaveLength(VERIFY_FAILURES_PER_WINDOW);
    // another user is not blocked by the first one's failures
    expect((await t.api().post('/api/pickups/verify').set(bearer(site.tokens.staff)).send({ securityCode: 'ZZZZ', serviceId: site.serviceId })).status).toBe(
      404,
    );
  });
});

describe('tokens expire and can be revoked', () => {
  test('an expired session is refused', async () => {
    const site = await buildSite(t.db);
    await t
      .db('sessions')
      .where({ user_id: site.userIds.staff })
      .update({ expires_at: t.db.raw("now() - interval '1 second'") });
    expect((await t.api().get('/api/services/current').set(bearer(site.tokens.staff))).status).toBe(401);
  });

  test('unpairing a kiosk stops its token at once and disconnects its socket', async () => {
    const site = await buildSite(t.db);
    const sock = t.socket(site.tokens.kiosk);
    await connected(sock);
    const status = nextEvent<{ kind: string }>(sock, 'kiosk.status');
    const gone = new Promise<string>((resolve) => sock.once('disconnect', (reason) => resolve(reason)));
    expect((await t.api().delete(`/api/kiosks/${site.kioskId}`).set(bearer(site.tokens.admin))).status).toBe(204);
    expect((await status).kind).toBe('revoked');
    expect(await gone).toBe('io server disconnect');
    expect((await t.api().get('/api/services/current').set(bearer(site.tokens.kiosk))).status).toBe(401);
    const again = t.socket(site.tokens.kiosk);
    await expect(connected(again)).rejects.toThrow('unauthorized');
  });

  test("signing out ends that sign-in's sockets at once; another sign-in of the same user stays", async () => {
    const site = await buildSite(t.db);
    const { sessionFor } = jest.requireActual<typeof import('../support/factories')>('../support/factories');
    const otherTab = await sessionFor(t.db, site.userIds.staff);
    const mine = t.socket(site.tokens.staff);
    const other = t.socket(otherTab);
    await Promise.all([connected(mine), connected(other)]);
    const ended = nextEvent<{ reason: string }>(mine, 'session.ended');
    const gone = new Promise<string>((resolve) => mine.once('disconnect', (reason) => resolve(reason)));
    expect((await t.api().post('/api/auth/logout').set(bearer(site.tokens.staff))).status).toBe(204);
    expect((await ended).reason).toBe('logout');
    expect(await gone).toBe('io server disconnect');
    expect(other.connected).toBe(true);
    await expect(connected(t.socket(site.tokens.staff))).rejects.toThrow('unauthorized');
    expect((await t.api().get('/api/services/current').set(bearer(otherTab))).status).toBe(200);
  });

  test('a pickup pass stops working at checkout and at the end of the service day', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }, { months: 26 }]);
    const r = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    const token = r.body.pickupUrl.split('/pass/')[1];
    const pass = await t.db('pickup_passes').where({ batch_id: r.body.batchId }).first();
    // the end of the service day in the site's timezone, and never the token itself
    const { rows } = await t.db.raw('SELECT ((?::date + 1)::timestamp AT TIME ZONE ?) AS eod', [
      (await t.db('services').where({ id: site.serviceId }).first()).service_date,
      site.timezone,
    ]);
    expect(new Date(pass.expires_at).getTime()).toBe(new Date(rows[0].eod).getTime());
    await t
      .db('pickup_passes')
      .where({ id: pass.id })
      .update({ expires_at: t.db.raw("now() - interval '1 second'") });
    expect((await t.api().post('/api/pickups/verify').set(bearer(site.tokens.volunteer)).send({ token })).status).toBe(404);
  });
});

describe('secrets and privacy', () => {
  test('no raw token is stored anywhere in the database', async () => {
    const site = await buildSite(t.db);
    const admin = site.tokens.admin;
    const created = await t.api().post('/api/kiosks').set(bearer(admin)).send({ name: 'Door', siteId: site.siteId });
    const paired = await t.api().post('/api/kiosks/pair').send({ pairingCode: created.body.pairingCode });
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const r = await t
      .api()
      .post('/api/checkins')
      .set(bearer(paired.body.token))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    const pickupToken = r.body.pickupUrl.split('/pass/')[1];
    const secrets = [admin, site.tokens.kiosk, paired.body.token, pickupToken, created.body.pairingCode];
    const tables = (await t.db.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((x: { tablename: string }) => x.tablename);
    for (const table of tables) {
      const dump = (await t.db.raw(`SELECT coalesce(string_agg(row_to_json(x)::text, ' '), '') AS d FROM "${table}" x`)).rows[0].d as string;
      for (const s of secrets) expect({ table, leaked: dump.includes(s) }).toEqual({ table, leaked: false });
    }
  });

  test('medical notes reach staff, not kiosks or volunteers (they get a flag)', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24, medicalNotes: 'EpiPen in the blue bag' }], { phone: '+13125550931' });
    const r = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    const kioskLookup = await t.api().get('/api/households').query({ phone: '0931' }).set(bearer(site.tokens.kiosk));
    expect(JSON.stringify(kioskLookup.body)).not.toContain('EpiPen');
    const verify = (token: string) =>
      t.api().post('/api/pickups/verify').set(bearer(token)).send({ securityCode: r.body.securityCode, serviceId: site.serviceId });
    const vol = await verify(site.tokens.volunteer);
    expect(JSON.stringify(vol.body)).not.toContain('EpiPen');
    expect(vol.body.checkins[0].hasMedicalNotes).toBe(true);
    expect((await verify(site.tokens.staff)).body.checkins[0].medicalNotes).toBe('EpiPen in the blue bag');
    expect(JSON.stringify((await t.api().get('/api/households').query({ phone: '0931' }).set(bearer(site.tokens.staff))).body)).toContain('EpiPen');
  });

  test("staff read a child's audit trail: check-in, verify, checkout with actor and time", async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const r = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    await t.api().post('/api/pickups/verify').set(bearer(site.tokens.volunteer)).send({ securityCode: r.body.securityCode, serviceId: site.serviceId });
    await t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.volunteer))
      .send({ checkinIds: [r.body.checkins[0].id], securityCode: r.body.securityCode, pickupPersonId: fam.guardianId });
    const trail = await t.api().get(`/api/children/${fam.childIds[0]}/audit`).set(bearer(site.tokens.staff));
    expect(trail.status).toBe(200);
    expect(trail.body.entries.map((e: { action: string }) => e.action)).toEqual(['checkin.create', 'pickup.verify', 'checkout.create']);
    expect(trail.body.entries[2].actor).toEqual({ kind: 'user', id: site.userIds.volunteer, name: 'Test volunteer' });
    expect((await t.api().get(`/api/children/${fam.childIds[0]}/audit`).set(bearer(site.tokens.volunteer))).status).toBe(403);
    const other = await buildSite(t.db);
    expect((await t.api().get(`/api/children/${fam.childIds[0]}/audit`).set(bearer(other.tokens.staff))).status).toBe(404);
  });
});

describe('HTTP hardening', () => {
  test('security headers, and no CORS for other origins', async () => {
    const r = await t.api().get('/healthz');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['strict-transport-security']).toBeDefined();
    expect(r.headers['x-powered-by']).toBeUndefined();
    const pre = await t.api().options('/api/checkins').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('both UIs are served with the strict CSP and security headers', async () => {
    const ui = await startTestApp({ db: t.db, env: { SERVE_UI: 'true' } });
    try {
      for (const path of ['/kiosk/', '/staff/', '/staff/families']) {
        const r = await ui.api().get(path);
        expect({ path, status: r.status }).toEqual({ path, status: 200 }); // npm test builds the UIs first
        expect(r.text).toContain('<div id="root">');
        const csp = r.headers['content-security-policy'] ?? '';
        for (const d of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"])
          expect({ path, has: csp.includes(d), d }).toEqual({ path, has: true, d });
        expect(csp).not.toContain("'unsafe-eval'");
        expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
        expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(r.headers['referrer-policy']).toBe('no-referrer');
      }
    } finally {
      await ui.stop();
    }
  });

  test('a socket handshake from another origin is refused; the same origin is accepted', async () => {
    const site = await buildSite(t.db);
    const { io } = jest.requireActual<typeof import('socket.io-client')>('socket.io-client');
    const open = (origin: string) =>
      io(t.baseUrl, { auth: { token: site.tokens.staff }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { Origin: origin } });
    const evil = open('https://evil.example');
    await expect(connected(evil)).rejects.toThrow();
    evil.close();
    const same = open(t.baseUrl);
    await connected(same);
    same.close();
  });

  test('bodies over 64 kB are refused with the envelope', async () => {
    const site = await buildSite(t.db);
    const r = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.kiosk))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(70_000) }));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('body_too_large');
  });
});
