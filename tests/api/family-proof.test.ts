/**
 * Joining the day's code needs proof (DESIGN §16): a stranger who knows the last 4 digits of a
 * parent's phone finds the family at a kiosk, but checking in its absent sibling must not hand
 * them the family's code, a label with it or the pickup pass — the code releases the child
 * already in a room.
 */
import { buildHousehold, buildSite, givePrinter, key, type BuiltSite, type BuiltHousehold } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { PROOF_FAILURES_PER_WINDOW } from '../../server/src/checkin/family-proof';
import { MAX_FAMILY_REPRINTS } from '../../server/src/printing/printing.service';
import { fakePrinter } from '../support/printer';

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

describe("a parent reprints the family's labels at a kiosk later (DESIGN §18)", () => {
  const reprint = (site: BuiltSite, body: object, token = site.tokens.kiosk) => t.api().post('/api/print/family-labels').set(bearer(token)).send(body);

  test("with the code off the tag: the labels of the children still in, to this kiosk's Zebra; without it nothing; limited and audited", async () => {
    const { site, fam, code, pickupUrl } = await familyInRoom();
    const printer = await fakePrinter();
    try {
      await givePrinter(t.db, site.kioskId, printer.address);
      const base = { householdId: fam.householdId, serviceId: site.serviceId };
      // the stranger with the last 4 digits: no proof, a guess
      const none = await reprint(site, { ...base });
      expect(none.status).toBe(400);
      expect(none.body.error.field).toBe('proof');
      const guess = await reprint(site, { ...base, proof: code === 'BCDF' ? 'GHJK' : 'BCDF' });
      expect(guess.status).toBe(403);
      expect(guess.body.error.code).toBe('proof_invalid');
      expect(JSON.stringify(guess.body)).not.toContain(code);
      expect(printer.jobs).toHaveLength(0);

      // the parent types the code off the tag: the child in the room gets a label, with the parent tag
      const job = printer.nextJob();
      const ok = await reprint(site, { ...base, proof: code.toLowerCase() });
      expect(ok.status).toBe(200);
      expect(ok.body.printed).toBe(true);
      expect(ok.body.labels).toBe(2);
      expect(ok.body.set.securityCode).toBe(code);
      const zpl = await job;
      expect(zpl).toContain(code);
      // the pass scanned works the same way, printed by the browser
      const viaPass = await reprint(site, { ...base, proof: pickupUrl, browser: true });
      expect(viaPass.status).toBe(200);
      expect(viaPass.body.printed).toBe(false);
      for (let i = 2; i < MAX_FAMILY_REPRINTS; i++) expect((await reprint(site, { ...base, proof: code, browser: true })).status).toBe(200);
      const over = await reprint(site, { ...base, proof: code, browser: true });
      expect(over.status).toBe(409);
      expect(over.body.error.code).toBe('reprint_limit');
      const batch = await t.db('checkin_batches').where({ household_id: fam.householdId }).first('id');
      const audited = await t.db('audit_log').where({ action: 'labels.family_reprint', entity_id: batch.id }).count('* as n');
      expect(Number(audited[0]!.n)).toBe(MAX_FAMILY_REPRINTS);
    } finally {
      await printer.close();
    }
  });

  test("another campus's kiosk, a staff token, a family with nothing in today: refused", async () => {
    const { site, fam, code } = await familyInRoom();
    const other = await buildSite(t.db);
    const base = { householdId: fam.householdId, serviceId: site.serviceId, proof: code, browser: true };
    expect((await reprint(other, base)).status).toBe(404);
    expect((await reprint(site, base, site.tokens.staff)).status).toBe(403);
    const fresh = await buildHousehold(t.db, site.siteId, [{ months: 30 }]);
    expect((await reprint(site, { ...base, householdId: fresh.householdId })).status).toBe(404);
  });
});
