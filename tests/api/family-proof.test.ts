/**
 * Joining the day's code needs proof (DESIGN §16): a stranger who knows the last 4 digits of a
 * parent's phone finds the family at a kiosk, but checking in its absent sibling must not hand
 * them the family's code, a label with it or the pickup pass — the code releases the child
 * already in a room.
 */
import { buildHousehold, buildSite, key, type BuiltSite, type BuiltHousehold } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { PROOF_FAILURES_PER_WINDOW } from '../../server/src/checkin/family-proof';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

/** A family of two: the first child is checked in (the parent holds the code and the pass); the sibling stayed home. */
async function familyInRoom(): Promise<{ site: BuiltSite; fam: BuiltHousehold; code: string; pickupUrl: string; inRoom: string; sibling: string }> {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [{ months: 30 }, { months: 36 }]);
  const [inRoom, sibling] = fam.childIds as [string, string];
  const first = await checkIn(site, fam, [inRoom]);
  expect(first.status).toBe(201);
  expect(first.body.securityCode).toMatch(/^[A-Z0-9]{4}$/);
  return { site, fam, code: first.body.securityCode, pickupUrl: first.body.pickupUrl, inRoom, sibling };
}

const checkIn = (site: BuiltSite, fam: BuiltHousehold, childIds: string[], extra: object = {}, token = site.tokens.kiosk) =>
  t
    .api()
    .post('/api/checkins')
    .set(bearer(token))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds, idempotencyKey: key(), ...extra });

const lookup = (site: BuiltSite, last4: string) =>
  t.api().get('/api/households').set(bearer(site.tokens.kiosk)).query({ phone: last4, serviceId: site.serviceId });

test('the stranger: last 4 digits find the family, but checking in the absent sibling gives no code, no label, no pass', async () => {
  const { site, fam, code, sibling } = await familyInRoom();
  // the stranger types the last 4 digits and is shown the family, marked as needing proof
  const found = await lookup(site, fam.phone.slice(-4));
  expect(found.status).toBe(200);
  const mine = found.body.households.find((h: { id: string }) => h.id === fam.householdId);
  expect(mine.proofNeeded).toBe(true);
  expect(JSON.stringify(found.body)).not.toContain(code);

  // the absent sibling, without proof: refused, nothing written, nothing carrying the code
  const before = await t.db('checkins').where({ household_id: fam.householdId }).count('* as n');
  const r = await checkIn(site, fam, [sibling]);
  expect(r.status).toBe(403);
  expect(r.body.error.code).toBe('proof_required');
  expect(r.body.error.field).toBe('proof');
  expect(JSON.stringify(r.body)).not.toContain(code);
  expect(r.body).not.toHaveProperty('pickupUrl');
  expect(await t.db('checkins').where({ household_id: fam.householdId }).count('* as n')).toEqual(before);
  // and nothing to print: the kiosk has no check-in of this family to print labels for
  const print = await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ requestId: key(), browser: true });
  expect(print.status).toBe(404);

  // guesses at the code: refused, audited, and the family's window closes after a few
  const wrong = ['BCDF', 'GHJK', 'LMNP', 'QRST', 'VWXZ'].filter((c) => c !== code);
  for (const g of wrong.slice(0, PROOF_FAILURES_PER_WINDOW)) {
    const w = await checkIn(site, fam, [sibling], { proof: g });
    expect(w.status).toBe(403);
    expect(w.body.error.code).toBe('proof_invalid');
  }
  // now even the right code is refused for a while: the parent is sent to the desk
  const locked = await checkIn(site, fam, [sibling], { proof: code });
  expect(locked.status).toBe(429);
  expect(await t.db('checkins').where({ household_id: fam.householdId }).count('* as n')).toEqual(before);
  const reasons = (await t.db('audit_log').where({ entity_id: fam.householdId, action: 'checkin.proof_refused' }).select('details')).map(
    (a: { details: { reason: string } }) => a.details.reason,
  );
  expect(reasons.filter((x) => x === 'no_proof')).toHaveLength(1);
  expect(reasons.filter((x) => x === 'wrong_proof')).toHaveLength(Math.min(wrong.length, PROOF_FAILURES_PER_WINDOW));
  expect(reasons).toContain('rate_limited');
});

test('the parent proves it with the code typed (any case, spaces), the tag or pass scanned, the key tag, or a texted code', async () => {
  // the code typed, in lower case with a space
  {
    const { site, fam, code, sibling } = await familyInRoom();
    const r = await checkIn(site, fam, [sibling], { proof: ` ${code.slice(0, 2).toLowerCase()} ${code.slice(2)} ` });
    expect(r.status).toBe(201);
    expect(r.body.joined).toBe(true);
    expect(r.body.securityCode).toBe(code);
  }
  // the pass's QR (the whole URL) scanned
  {
    const { site, fam, code, sibling, pickupUrl } = await familyInRoom();
    const r = await checkIn(site, fam, [sibling], { proof: pickupUrl });
    expect(r.status).toBe(201);
    expect(r.body.securityCode).toBe(code);
  }
  // the family's express code (key tag) scanned
  {
    const { site, fam, code, sibling } = await familyInRoom();
    const issued = await t.api().post(`/api/households/${fam.householdId}/express-code`).set(bearer(site.tokens.staff));
    expect(issued.status).toBe(201);
    const found = await t.api().post('/api/households/express').set(bearer(site.tokens.kiosk)).send({ code: issued.body.codeText, serviceId: site.serviceId });
    expect(found.body.households[0].proofNeeded).toBe(true);
    const r = await checkIn(site, fam, [sibling], { proof: issued.body.codeText });
    expect(r.status).toBe(201);
    expect(r.body.securityCode).toBe(code);
  }
  // a code texted to the guardian's phone
  {
    const { site, fam, code, sibling } = await familyInRoom();
    const sent = await t.api().post(`/api/households/${fam.householdId}/join-code`).set(bearer(site.tokens.kiosk)).send({ phone: fam.phone });
    expect(sent.status).toBe(202);
    const sms = await t.db('notifications').where({ to: fam.phone, kind: 'join_code' }).first();
    const texted = /(\d{6})/.exec(sms.body)![1]!;
    const r = await checkIn(site, fam, [sibling], { proof: texted });
    expect(r.status).toBe(201);
    expect(r.body.securityCode).toBe(code);
  }
});

test("another family's code, pass or key tag is no proof; a pass that died at checkout is none either", async () => {
  const a = await familyInRoom();
  // a second family at the same campus, also checked in: its code and pass prove nothing for the first
  const other = await buildHousehold(t.db, a.site.siteId, [{ months: 30 }]);
  const o = await checkIn(a.site, other, other.childIds);
  expect(o.status).toBe(201);
  for (const proof of [o.body.securityCode, o.body.pickupUrl]) {
    const r = await checkIn(a.site, a.fam, [a.sibling], { proof });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('proof_invalid');
  }
  // the first child is picked up: the pass dies with the family's last checkout
  const checkinId = (await t.db('checkins').where({ child_id: a.inRoom }).first()).id;
  const out = await t
    .api()
    .post('/api/checkouts')
    .set(bearer(a.site.tokens.volunteer))
    .send({ checkinIds: [checkinId], securityCode: a.code, pickupPersonId: a.fam.guardianId });
  expect(out.status).toBe(200);
  const r = await checkIn(a.site, a.fam, [a.sibling], { proof: a.pickupUrl });
  expect(r.status).toBe(403);
  expect(r.body.error.code).toBe('proof_invalid');
  // the code typed still proves it (the family holds its tag; the code releases nobody now)
  expect((await checkIn(a.site, a.fam, [a.sibling], { proof: a.code })).status).toBe(201);
});

test('staff at the desk see the parent: no proof asked; a new day of the family needs none', async () => {
  const { site, fam, code, sibling } = await familyInRoom();
  const r = await checkIn(site, fam, [sibling], {}, site.tokens.staff);
  expect(r.status).toBe(201);
  expect(r.body.securityCode).toBe(code);
  // a family with nothing checked in today: the first check-in makes the code, no proof needed
  const fresh = await buildHousehold(t.db, site.siteId, [{ months: 30 }]);
  const found = await lookup(site, fresh.phone.slice(-4));
  expect(found.body.households.find((h: { id: string }) => h.id === fresh.householdId).proofNeeded).toBe(false);
  expect((await checkIn(site, fresh, fresh.childIds)).status).toBe(201);
});

test('wrong proofs sent at once are counted before they are judged: at most the limit are judged', async () => {
  const { site, fam, code, sibling } = await familyInRoom();
  const guesses = Array.from({ length: 30 }, (_, i) => {
    const alphabet = 'BCDFGHJKLMNPQRSTVWXZ';
    const g = alphabet[i % 20]! + alphabet[(i * 7) % 20]! + alphabet[(i * 3) % 20]! + alphabet[(i * 11) % 20]!;
    return g === code ? 'ZZZZ' : g;
  });
  const answers = await Promise.all(guesses.map((g) => checkIn(site, fam, [sibling], { proof: g })));
  const judged = answers.filter((a) => a.status === 403);
  expect(judged.length).toBeLessThanOrEqual(PROOF_FAILURES_PER_WINDOW);
  expect(answers.filter((a) => a.status === 429).length).toBe(guesses.length - judged.length);
  expect(answers.every((a) => a.status === 403 || a.status === 429)).toBe(true);
});
