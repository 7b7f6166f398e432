/**
 * The pickup pass page (/pass/<token>): the children, the security code and a QR that decodes
 * to the same pickup URL; gone after checkout or at the end of the day; no inline script (only the
 * photo form's served one); escaped.
 */
import jsQR from 'jsqr';
import QRCode from 'qrcode';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

// pngjs comes with qrcode (which renders the PNG); it has no type declarations of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const checkIn = async (site: BuiltSite, householdId: string, childIds: string[]) => {
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body as { securityCode: string; pickupUrl: string; checkins: { id: string; firstName: string }[] };
};
const path = (url: string) => new URL(url).pathname;

/** Decodes the page's QR image (a PNG data URL) back to text. */
function decodeQr(html: string): string | undefined {
  const m = /<img class="qr" src="data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(html);
  if (!m) return undefined;
  const png = PNG.sync.read(Buffer.from(m[1]!, 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('pickup pass page', () => {
  test('shows the children, their rooms and the code, and a QR that decodes to the pickup URL; no inline script', async () => {
    const site = await buildSite(t.db, { name: 'Riverside' });
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Ada', months: 24 },
      { firstName: 'Ben', months: 48 },
    ]);
    const c = await checkIn(site, fam.householdId, fam.childIds);
    const res = await t.api().get(path(c.pickupUrl));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.text).toContain(`>${c.securityCode}<`);
    expect(res.text).toMatch(/<span>Ada<\/span><span class="room">Toddlers<\/span>/);
    expect(res.text).toMatch(/<span>Ben<\/span><span class="room">Preschool<\/span>/);
    expect(res.text).toContain('Riverside');
    expect(res.text).toContain('<meta name="viewport"');
    // the one script is the photo form's, served from this origin (the CSP's script-src 'self'); no inline script, no handler attribute
    expect(res.text.match(/<script[^>]*>/gi)).toEqual(['<script src="/family-photo.js" defer>']);
    expect(res.text).not.toMatch(/<script[^>]*>[^<]|\son[a-z]+=/i);
    expect(decodeQr(res.text)).toBe(c.pickupUrl);
    // and it is qrcode's own rendering of exactly that URL
    const expected = await QRCode.toDataURL(c.pickupUrl, { errorCorrectionLevel: 'M', margin: 2, scale: 8 });
    expect(res.text).toContain(`src="${expected}"`);
    // the scanned QR works at the door
    const v = await t
      .api()
      .post('/api/pickups/verify')
      .set(bearer(site.tokens.volunteer))
      .send({ token: decodeQr(res.text) });
    expect(v.status).toBe(200);
    expect(v.body.securityCode).toBe(c.securityCode);
  });

  test('after a partial checkout it still works and marks who was picked up; after the last checkout it says so (410) and names nobody', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Cleo', months: 24 },
      { firstName: 'Dan', months: 48 },
    ]);
    const c = await checkIn(site, fam.householdId, fam.childIds);
    const cleo = c.checkins.find((x) => x.firstName === 'Cleo')!;
    const dan = c.checkins.find((x) => x.firstName === 'Dan')!;
    expect(
      (
        await t
          .api()
          .post('/api/checkouts')
          .set(bearer(site.tokens.volunteer))
          .send({ checkinIds: [cleo.id], securityCode: c.securityCode, pickupPersonId: fam.guardianId })
      ).status,
    ).toBe(200);
    const partial = await t.api().get(path(c.pickupUrl));
    expect(partial.status).toBe(200);
    expect(partial.text).toMatch(/<li class="out"><span>Cleo<\/span><span class="room">picked up<\/span>/);
    expect(decodeQr(partial.text)).toBe(c.pickupUrl);
    expect(
      (
        await t
          .api()
          .post('/api/checkouts')
          .set(bearer(site.tokens.volunteer))
          .send({ checkinIds: [dan.id], securityCode: c.securityCode, pickupPersonId: fam.guardianId })
      ).status,
    ).toBe(200);
    const done = await t.api().get(path(c.pickupUrl));
    expect(done.status).toBe(410);
    expect(done.text).toContain('Children already picked up');
    // whoever photographed the tag learns nothing: no names, no code, no QR, no express code, no pre-check-in
    expect(done.text).not.toContain('Cleo');
    expect(done.text).not.toContain('Dan');
    expect(done.text).not.toContain('Pat');
    expect(done.text).not.toContain(c.securityCode);
    expect(done.text).not.toContain('class="family-code"');
    expect(done.text).not.toContain('/precheck');
    expect(decodeQr(done.text)).toBeUndefined();
  });

  test('a used pass (last checkout) or an expired one opens no pre-check-in: no link, no names, no express code (one rule for every pass route)', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Wren', months: 30 }]);
    const c = await checkIn(site, fam.householdId, fam.childIds);
    const precheck = () =>
      t
        .api()
        .post(`${path(c.pickupUrl)}/precheck`)
        .redirects(0);
    // live: it opens a link
    expect((await precheck()).status).toBe(303);
    const before = await t.db('precheckin_links').where({ household_id: fam.householdId }).count<{ n: string }[]>('* as n');
    const out = await t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.volunteer))
      .send({ checkinIds: [c.checkins[0]!.id], securityCode: c.securityCode, pickupPersonId: fam.guardianId });
    expect(out.status).toBe(200);
    const used = await precheck();
    expect(used.status).toBe(410);
    expect(used.headers.location).toBeUndefined();
    expect(used.text).not.toContain('Wren');
    expect(await t.db('precheckin_links').where({ household_id: fam.householdId }).count<{ n: string }[]>('* as n')).toEqual(before);
    const page = await t.api().get(path(c.pickupUrl));
    expect(page.status).toBe(410);
    expect(page.text).not.toContain('Wren');
    expect(page.text).not.toContain('class="family-code"');
    // the door still learns who picked up (a signed-in volunteer), but cannot check out by it
    const v = await t
      .api()
      .post('/api/pickups/verify')
      .set(bearer(site.tokens.volunteer))
      .send({ token: path(c.pickupUrl).split('/pass/')[1] });
    expect(v.status).toBe(200);
    expect(v.body.allPickedUp).toBe(true);

    // expired (end of the service day) and never used: the same refusal
    const fam2 = await buildHousehold(t.db, site.siteId, [{ firstName: 'Yara', months: 30 }]);
    const c2 = await checkIn(site, fam2.householdId, fam2.childIds);
    await t
      .db('pickup_passes')
      .whereIn('batch_id', t.db('checkins').select('batch_id').where({ id: c2.checkins[0]!.id }))
      .update({ expires_at: new Date(Date.now() - 1000) });
    const expired = await t
      .api()
      .post(`${path(c2.pickupUrl)}/precheck`)
      .redirects(0);
    expect(expired.status).toBe(410);
    expect(expired.text).not.toContain('Yara');
    expect((await t.api().post('/api/pickups/verify').set(bearer(site.tokens.volunteer)).send({ token: c2.pickupUrl })).status).toBe(404);
  });

  test('an expired pass (end of the service day) says it has expired; an unknown or malformed token is a 404 page', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const c = await checkIn(site, fam.householdId, fam.childIds);
    await t
      .db('pickup_passes')
      .whereIn('batch_id', t.db('checkins').select('batch_id').where({ id: c.checkins[0]!.id }))
      .update({ expires_at: new Date(Date.now() - 1000) });
    const expired = await t.api().get(path(c.pickupUrl));
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('This pass has expired');
    expect(expired.text).not.toContain(c.securityCode);
    const unknown = await t.api().get(`/pass/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Pass not found');
    expect((await t.api().get('/pass/%3Cscript%3E')).status).toBe(404);
  });

  test('every interpolated value is escaped', async () => {
    const site = await buildSite(t.db, { name: '<b>St. Mark\'s & "Co"</b>' });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: '<script>alert(1)</script>', months: 24 }]);
    const c = await checkIn(site, fam.householdId, fam.childIds);
    const res = await t.api().get(path(c.pickupUrl));
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>');
    expect(res.text).not.toContain('<b>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).toContain('&lt;b&gt;St. Mark&#39;s &amp; &quot;Co&quot;&lt;/b&gt;');
  });
});
