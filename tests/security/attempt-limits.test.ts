/**
 * Attempt limits that count before they judge, and limiters that count failures only (DESIGN
 * §4, §11; CONVENTIONS 22): guesses sent all at once are judged no more often than the limit
 * allows, and right answers sent all at once are never refused as if they were wrong.
 */
import { birthdateForMonths, buildHousehold, buildSite, key, kioskToken, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { dateInTimezone } from '../../contracts/rules';

// a number of this file's own: a STOP another test's family sent from a shared number would stop the join codes
const LINE = String(150 + Math.floor(Math.random() * 50)).padStart(4, '0');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolMax: 30 });
});
afterAll(async () => {
  await t.stop();
});

const family = () => ({
  guardians: [{ firstName: 'Sam', lastName: 'Johnson', phone: `(312) 555-${LINE}`, smsOptIn: true }],
  children: [{ firstName: 'Ava', lastName: 'Johnson', birthdate: birthdateForMonths(30, dateInTimezone(new Date(), 'America/Chicago')) }],
  idempotencyKey: key(),
});

describe('join codes: 5 wrong codes per family per 10 minutes, counted before they are judged', () => {
  test('60 guesses sent at once: at most 5 are judged, the rest are refused 429 unjudged; then even the right code waits', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { phone: `+1312555${LINE}`, lastName: 'Johnson' });
    expect(
      (
        await t
          .api()
          .post(`/api/households/${fam.householdId}/join-code`)
          .set(bearer(site.tokens.kiosk))
          .send({ phone: `312 555 ${LINE}` })
      ).status,
    ).toBe(202);
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
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { phone: `+1312555${LINE}`, lastName: 'Johnson' });
    const join = (joinCode: string) =>
      t
        .api()
        .post('/api/households')
        .set(bearer(site.tokens.kiosk))
        .send({ ...family(), joinHouseholdId: fam.householdId, joinCode });
    expect(
      (
        await t
          .api()
          .post(`/api/households/${fam.householdId}/join-code`)
          .set(bearer(site.tokens.kiosk))
          .send({ phone: `312 555 ${LINE}` })
      ).status,
    ).toBe(202);
    const code = /(\d{6})/.exec((await t.db('notifications').where({ site_id: site.siteId, kind: 'join_code' }).first()).body)![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) expect((await join(wrong)).status).toBe(403);
    expect((await join(code)).status).toBe(200);
    expect((await join(wrong)).status).toBe(403);
    expect((await join(wrong)).status).toBe(429);
  });
});

describe('the door: only wrong codes and wrong PINs count, once they are known', () => {
  const rooms = [{ name: 'Big room', minAgeMonths: 0, maxAgeMonths: 200, capacity: 40, ratio: null, volunteers: 4 }];
  /** n families checked in, each with one child: their codes, check-ins and guardians */
  async function families(site: BuiltSite, n: number) {
    const out: { code: string; checkinId: string; guardianId: string }[] = [];
    for (let i = 0; i < n; i++) {
      const fam = await buildHousehold(t.db, site.siteId, [{ months: 30 }]);
      const r = await t
        .api()
        .post('/api/checkins')
        .set(bearer(site.tokens.kiosk))
        .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
      expect(r.status).toBe(201);
      out.push({ code: r.body.securityCode, checkinId: r.body.checkins[0].id, guardianId: fam.guardianId });
    }
    return out;
  }
  const wrongCode = (codes: string[]) => ['2222', '3333', '4444', '5555', '6666', '7777'].find((c) => !codes.includes(c))!;

  test('8 right checkouts at once from one door all succeed (no "too many wrong PINs"); wrong codes are still limited', async () => {
    const site = await buildSite(t.db, { rooms });
    const door = await kioskToken(t.db, site.siteId, 'pickup');
    const fams = await families(site, 8);
    const answers = await Promise.all(
      fams.map((f) =>
        t
          .api()
          .post('/api/checkouts')
          .set(bearer(door))
          .send({ checkinIds: [f.checkinId], securityCode: f.code, pickupPersonId: f.guardianId }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(fams.map(() => 200));
    expect(
      await t
        .db('audit_log')
        .where({ site_id: site.siteId })
        .whereIn('action', ['pickup.override_rate_limited', 'pickup.rate_limited', 'pickup.override_denied']),
    ).toEqual([]);
    // wrong codes from that door: 10 are judged (404), then the door waits (429)
    const wrong = wrongCode(fams.map((f) => f.code));
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await t.api().post('/api/pickups/verify').set(bearer(door)).send({ securityCode: wrong, serviceId: site.serviceId })).status);
    expect(statuses).toEqual([...Array(10).fill(404), 429]);
  });

  test('16 right verifications at once on one pickup kiosk all succeed; wrong override PINs are still limited', async () => {
    const site = await buildSite(t.db, { rooms });
    const door = await kioskToken(t.db, site.siteId, 'pickup');
    const fams = await families(site, 16);
    const answers = await Promise.all(
      fams.map((f) => t.api().post('/api/pickups/verify').set(bearer(door)).send({ securityCode: f.code, serviceId: site.serviceId })),
    );
    expect(answers.map((r) => r.status)).toEqual(fams.map(() => 200));
    // wrong override PINs: five are judged (403), the sixth waits, even with the right PIN
    const other = await families(site, 1);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await t
            .api()
            .post('/api/checkouts')
            .set(bearer(door))
            .send({
              checkinIds: [other[0]!.checkinId],
              securityCode: other[0]!.code,
              pickedUpBy: 'Sam Stranger',
              override: { pin: `91${i}919`, reason: 'guess' },
            })
        ).status,
      );
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
  });
});
