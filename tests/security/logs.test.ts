/**
 * No phone number, medical note, password or token in any log line, whatever the app does:
 * every log line of a busy session at trace level is collected and searched.
 */
import { hashPassword } from '../../server/src/auth/crypto';
import { createLogger } from '../../server/src/logger';
import { buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

const logs: string[] = [];
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ logs, dispatcher: true, env: { LOG_LEVEL: 'trace' } });
});
afterAll(async () => {
  await t.stop();
});

test('a whole session leaves no secret or personal detail in the logs', async () => {
  const site = await buildSite(t.db);
  const email = `logs-${site.siteId}@x.church`;
  await t
    .db('users')
    .where({ id: site.userIds.staff })
    .update({ email, password_hash: await hashPassword('s3cret-password!') });
  await t.api().post('/api/auth/login').send({ email, password: 'wrong-password!' });
  const login = await t.api().post('/api/auth/login').send({ email, password: 's3cret-password!' });
  const reg = await t
    .api()
    .post('/api/households')
    .set(bearer(site.tokens.kiosk))
    .send({
      guardians: [{ firstName: 'Lena', lastName: 'Logs', phone: '(312) 555-0147' }],
      children: [{ firstName: 'Milo', lastName: 'Logs', birthdate: '2024-01-15', allergies: 'Peanuts', medicalNotes: 'Seizure plan in office' }],
    });
  expect(reg.status).toBe(201);
  await t.api().get('/api/households').query({ phone: '3125550147' }).set(bearer(site.tokens.kiosk));
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: reg.body.household.id, childIds: [reg.body.household.children[0].id], idempotencyKey: key() });
  expect(ci.status).toBe(201);
  const token = ci.body.pickupUrl.split('/pass/')[1];
  await t.api().get(`/pass/${token}`);
  await t.api().post('/api/pickups/verify').set(bearer(login.body.token)).send({ token });
  await t.api().post('/api/pickups/verify').set(bearer(login.body.token)).send({ securityCode: 'ZZZZ', serviceId: site.serviceId });
  await t
    .api()
    .post('/api/checkouts')
    .set(bearer(login.body.token))
    .send({ checkinIds: [ci.body.checkins[0].id], token, pickedUpBy: 'Lena Logs' });
  // the receipt and the checkout SMS go through the (log) transport
  for (let i = 0; i < 100; i++) {
    const left = await t.db('notifications').where({ site_id: site.siteId }).whereIn('status', ['pending', 'sending']).count('* as n');
    if (Number(left[0]!.n) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(logs.some((l) => l.includes('not sent: no Twilio credentials'))).toBe(true);
  await t
    .api()
    .get('/api/households')
    .set('Authorization', 'Bearer k_' + 'x'.repeat(43))
    .query({ phone: '0147' });

  const text = logs.join('\n');
  expect(logs.length).toBeGreaterThan(10); // the app did log the session (trace level)
  for (const secret of ['3125550147', '555-0147', 'Seizure plan', 's3cret-password!', 'wrong-password!', login.body.token, site.tokens.kiosk, token]) {
    expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
  }
});

test('the logger redacts the known sensitive keys wherever they appear', () => {
  const lines: string[] = [];
  const logger = createLogger('info', {
    write: (l: string) => {
      lines.push(l);
    },
  });
  logger.info(
    {
      phone: '+13125550199',
      token: 'u_abc',
      user: { phone: '+13125550198', password: 'pw', medicalNotes: 'note' },
      req: { headers: { authorization: 'Bearer u_xyz' } },
    },
    'x',
  );
  const out = lines.join('');
  for (const s of ['+13125550199', 'u_abc', '+13125550198', '"pw"', 'note', 'u_xyz']) expect({ s, found: out.includes(s) }).toEqual({ s, found: false });
  expect(out).toContain('[redacted]');
});
