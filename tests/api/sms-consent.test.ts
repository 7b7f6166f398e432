/**
 * Nothing is texted without consent (issue #31, DESIGN §19): a parent who did not tick the box at
 * registration gets no receipt, no checkout text and no join code; one who did, gets them.
 */
import { buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

test('no consent: no receipt, no join code; consent: both', async () => {
  const site = await buildSite(t.db);
  const register = (first: string, phone: string, smsOptIn: boolean) =>
    t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.kiosk))
      .send({
        guardians: [{ firstName: first, lastName: 'Consent', phone, smsOptIn }],
        children: [{ firstName: `${first}kid`, lastName: 'Consent', birthdate: '2023-03-04' }],
      });
  const outbox = (householdId: string) =>
    t.db('notifications as n').join('guardians as g', 'g.id', 'n.guardian_id').where('g.household_id', householdId).pluck('n.kind');
  for (const [first, phone, yes] of [
    ['Nolan', '3125550171', false],
    ['Yara', '3125550172', true],
  ] as const) {
    const reg = await register(first, phone, yes);
    expect(reg.status).toBe(201);
    const id = reg.body.household.id as string;
    const ci = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: id, childIds: [reg.body.household.children[0].id], idempotencyKey: key() });
    expect(ci.status).toBe(201);
    const join = await t.api().post(`/api/households/${id}/join-code`).set(bearer(site.tokens.kiosk)).send({ phone });
    expect({ first, join: join.status }).toEqual({ first, join: yes ? 202 : 404 });
    expect({ first, kinds: (await outbox(id)).sort() }).toEqual({ first, kinds: yes ? ['checkin_receipt', 'join_code'] : [] });
  }
});
