/**
 * Logs never hold a token, a link with a token, a join, security or express code, a phone or a
 * note (issue #31, DESIGN §19): every line of a session at trace level — a check-in, its receipt
 * and checkout texts in log mode, a pass page, a pickup verify, a join code, a pre-check-in link,
 * unmatched paths carrying tokens and digits — is collected (pino to a stream) and searched.
 */
import { createLogger, redactText, safePath } from '../../server/src/logger';
import { precheckToken } from '../../server/src/precheckin/precheck-token';
import { buildSite, key } from '../support/factories';
import { bearer, startTestApp, TEST_SECRET, type TestApp } from '../support/harness';

const logs: string[] = [];
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ logs, dispatcher: true, env: { LOG_LEVEL: 'trace' } });
});
afterAll(async () => {
  await t.stop();
});

test('a check-in, a pass page, a pickup verify, a join code and a pre-check-in link leave no token, code, phone or note in the logs', async () => {
  const site = await buildSite(t.db);
  const staff = bearer(site.tokens.staff);
  const reg = await t
    .api()
    .post('/api/households')
    .set(bearer(site.tokens.kiosk))
    .send({
      guardians: [{ firstName: 'Lior', lastName: 'Quell', phone: '(312) 555-0163', smsOptIn: true }],
      children: [{ firstName: 'Noa', lastName: 'Quell', birthdate: '2023-02-03', allergies: 'Sesame seeds', medicalNotes: 'Inhaler in cubby' }],
    });
  expect(reg.status).toBe(201);
  const householdId = reg.body.household.id as string;
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId, childIds: [reg.body.household.children[0].id], idempotencyKey: key() });
  expect(ci.status).toBe(201);
  const { securityCode, pickupUrl } = ci.body as { securityCode: string; pickupUrl: string };
  const passToken = pickupUrl.split('/pass/')[1]!;
  expect((await t.api().get(`/pass/${passToken}`)).status).toBe(200);
  expect((await t.api().post('/api/pickups/verify').set(staff).send({ token: passToken })).status).toBe(200);
  expect((await t.api().post('/api/pickups/verify').set(staff).send({ securityCode, serviceId: site.serviceId })).status).toBe(200);

  // a join code, texted (log mode) to the family's phone
  const join = await t.api().post(`/api/households/${householdId}/join-code`).set(bearer(site.tokens.kiosk)).send({ phone: '3125550163' });
  expect(join.status).toBe(202);
  const joinText = await t.db('notifications').where({ kind: 'join_code', site_id: site.siteId }).first();
  const joinCode = /\b(\d{6})\b/.exec(joinText.body)![1]!;
  // an express code issued and scanned, and a pre-check-in link texted and opened
  const express = (await t.api().post(`/api/households/${householdId}/express-code`).set(staff)).body.code as string;
  expect((await t.api().post('/api/households/express').set(bearer(site.tokens.kiosk)).send({ code: express, serviceId: site.serviceId })).status).toBe(200);
  expect((await t.api().post(`/api/households/${householdId}/precheckin-link`).set(staff)).status).toBe(202);
  const link = await t.db('precheckin_links').where({ household_id: householdId }).first();
  const precheck = precheckToken(Buffer.from(TEST_SECRET), link.id);
  expect((await t.api().get(`/precheck/${precheck}`)).status).toBe(200);
  // paths no route matches, with a token and a phone in them
  await t.api().get(`/precheck/${precheck}/nothing-here`);
  await t.api().get(`/api/lookup/3125550163`).set(staff);
  await t.api().get('/api/households').query({ phone: '3125550163' }).set(bearer(site.tokens.kiosk));
  // every text leaves through the log transport
  await t.sms!.dispatcher!.drain();
  const sent = await t.db('notifications').where({ site_id: site.siteId }).pluck('kind');
  expect(sent).toEqual(expect.arrayContaining(['checkin_receipt', 'join_code', 'precheckin_link']));
  expect(await t.db('notifications').where({ site_id: site.siteId }).whereIn('status', ['pending', 'sending'])).toEqual([]);

  const text = logs.join('\n');
  expect(text).toContain('not sent: no Twilio credentials');
  for (const secret of [
    passToken,
    precheck,
    `/pass/${passToken.slice(0, 10)}`,
    securityCode,
    joinCode,
    express,
    express.slice(2, 8),
    '3125550163',
    '555-0163',
    '5550163',
    'Sesame seeds',
    'Inhaler in cubby',
    site.tokens.kiosk,
    site.tokens.staff,
  ]) {
    expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
  }
});

test('the redaction rules: links, codes and digits out of texts; tokens and digits out of paths; known keys anywhere', () => {
  expect(redactText('Grace: Ana checked in. Pickup code BCDF. Pickup pass: https://x.church/pass/abcDEF123_-xyz Reply STOP to opt out')).toBe(
    'Grace: Ana checked in. Pickup code [redacted]. Pickup pass: [link] Reply STOP to opt out',
  );
  expect(redactText('your code is 123456. It expires in 10 minutes')).toBe('your code is [redacted]. It expires in [redacted] minutes');
  expect(redactText('Family code KC-AB2C-D3FG-HJ4K')).toBe('Family code [redacted]');
  expect(safePath('/precheck/abcdefghijklmnopqrstuvwxyz0123456789/x')).toBe('/precheck/:token/x');
  expect(safePath('/api/households/3fa85f64-5717-4562-b3fc-2c963f66afa6/x')).toBe('/api/households/:id/x');
  expect(safePath('/api/lookup/3125550163')).toBe('/api/lookup/:n');
  const lines: string[] = [];
  const logger = createLogger('info', { write: (l: string) => void lines.push(l) });
  logger.info({ securityCode: 'BCDF', joinCode: '123456', expressCode: 'KCX', pickupUrl: 'u', sms: { note: 'n1', allergies: 'a1', pin: '2468' } }, 'x');
  const out = lines.join('');
  for (const s of ['BCDF', '123456', 'KCX', '"u"', 'n1', 'a1', '2468']) expect({ s, found: out.includes(s) }).toEqual({ s, found: false });
});
