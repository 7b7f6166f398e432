/**
 * Attempt limits that count before they judge, and limiters that count failures only (DESIGN
 * §4, §11; CONVENTIONS 22): guesses sent all at once are judged no more often than the limit
 * allows, and right answers sent all at once are never refused as if they were wrong.
 */
import { birthdateForMonths, buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { dateInTimezone } from '../../contracts/rules';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolMax: 30 });
});
afterAll(async () => {
  await t.stop();
});

const family = () => ({
  guardians: [{ firstName: 'Sam', lastName: 'Johnson', phone: '(312) 555-0123', smsOptIn: true }],
  children: [{ firstName: 'Ava', lastName: 'Johnson', birthdate: birthdateForMonths(30, dateInTimezone(new Date(), 'America/Chicago')) }],
  idempotencyKey: key(),
});

describe('join codes: 5 wrong codes per family per 10 minutes, counted before they are judged', () => {
  test('60 guesses sent at once: at most 5 are judged, the rest are refused 429 unjudged; then even the right code waits', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { phone: '+13125550123', lastName: 'Johnson' });
    expect((await t.api().post(`/api/households/${fam.householdId}/join-code`).set(bearer(site.tokens.kiosk)).send({ phone: '312 555 0123' })).status).toBe(
      202,
    );
    const sms = await t.db('notifications').where({ site_id: site.siteId, kind: 'join_code' }).first();
    const code = /(\d{6})/.exec(sms.body)![1]!;
    const guesses = Array.from({ length: 60 }, (_, i) => String(100000 + i)).filter((g) => g !== code);
    const answers = await Promise.all(
      guesses.map((joinCode) =>
        t
          .api()
          .post('/api/households')
          .set(bearer(site.tokens.kiosk))
          .send({ ...family(), joinHouseholdId: fam.householdId, joinCode }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s !== 403 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 403).length).toBeLessThanOrEqual(5);
    const refusals = await t.db('audit_log').where({ entity_id: fam.householdId, action: 'household.join_refused' }).select('details');
    const judged = refusals.filter((r: { details: { reason: string } }) => r.details.reason === 'wrong_code');
    expect(judged.length).toBeLessThanOrEqual(5);
    // every refusal is on record: the unjudged ones as rate-limited
    expect(refusals).toHaveLength(guesses.length);
    const right = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.kiosk))
      .send({ ...family(), joinHouseholdId: fam.householdId, joinCode: code });
    expect(right.status).toBe(429);
    expect(await t.db('children').where({ household_id: fam.householdId }).count('* as n')).toEqual([{ n: 1 }]);
  });

  test('a right code does not use up an attempt: four wrong, the right one, then still one wrong before the limit', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { phone: '+13125550123', lastName: 'Johnson' });
    const join = (joinCode: string) =>
      t
        .api()
        .post('/api/households')
        .set(bearer(site.tokens.kiosk))
        .send({ ...family(), joinHouseholdId: fam.householdId, joinCode });
    expect((await t.api().post(`/api/households/${fam.householdId}/join-code`).set(bearer(site.tokens.kiosk)).send({ phone: '312 555 0123' })).status).toBe(
      202,
    );
    const code = /(\d{6})/.exec((await t.db('notifications').where({ site_id: site.siteId, kind: 'join_code' }).first()).body)![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) expect((await join(wrong)).status).toBe(403);
    expect((await join(code)).status).toBe(200);
    expect((await join(wrong)).status).toBe(403);
    expect((await join(wrong)).status).toBe(429);
  });
});
