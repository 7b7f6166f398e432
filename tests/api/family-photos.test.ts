/**
 * The family's own photos (DESIGN §16) from its pickup pass and its pre-check-in page: the form is
 * on both pages; an upload of a child or guardian with a named consenting guardian is re-encoded
 * (≤ 512 px, no EXIF) and stored through the photos service; a used, expired or unknown pass or
 * link, another family's person, a consent by another family's guardian, a non-image and an
 * oversized upload are refused with a clear 4xx and nothing stored; uploads per page are limited.
 */
import sharp from 'sharp';
import { precheckToken } from '../../server/src/precheckin/precheck-token';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, TEST_SECRET, type TestApp } from '../support/harness';

let t: TestApp;
const PER_PAGE = 6;
beforeAll(async () => {
  t = await startTestApp({ env: { RATE_LIMITS: `familyPhoto=${PER_PAGE}/600` } });
});
afterAll(async () => {
  await t.stop();
});

/** A phone's photo: larger than 512 px, with EXIF that must not survive. */
const cameraJpeg = (width = 1600, height = 1200) =>
  sharp({ create: { width, height, channels: 3, background: { r: 180, g: 120, b: 90 } } })
    .withExif({ IFD0: { Make: 'PhoneCo', Artist: 'Secret Artist' } })
    .jpeg({ quality: 90 })
    .toBuffer();

interface Fam {
  householdId: string;
  childId: string;
  guardianId: string;
}
async function family(site: BuiltSite, first = 'Ada'): Promise<Fam> {
  const f = await buildHousehold(t.db, site.siteId, [{ firstName: first, months: 24 }]);
  return { householdId: f.householdId, childId: f.childIds[0]!, guardianId: f.guardianId };
}
/** Checks the family in; its pass token (the pickup URL's last part). */
async function passOf(site: BuiltSite, f: Fam): Promise<string> {
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: f.householdId, childIds: [f.childId], idempotencyKey: key() });
  expect(r.status).toBe(201);
  return (r.body.pickupUrl as string).split('/pass/')[1]!;
}
/** Staff text the family a pre-check-in link; its token as the dispatcher renders it. */
async function linkOf(site: BuiltSite, f: Fam): Promise<string> {
  const r = await t.api().post(`/api/households/${f.householdId}/precheckin-link`).set(bearer(site.tokens.staff));
  expect(r.status).toBe(202);
  const row = await t.db('precheckin_links').where({ household_id: f.householdId }).orderBy('created_at', 'desc').first();
  return precheckToken(Buffer.from(TEST_SECRET), row.id);
}
const put = (base: string, kind: string, id: string, body: Buffer | string, consentBy?: string, type = 'image/jpeg') =>
  t
    .api()
    .put(`${base}/photos/${kind}/${id}`)
    .query(consentBy ? { consentBy } : {})
    .set('Content-Type', type)
    .send(body);
const photosOf = (f: Fam) => t.db('photos').where({ child_id: f.childId }).orWhere({ guardian_id: f.guardianId });
const getBytes = (token: string, url: string) =>
  t
    .api()
    .get(url)
    .set(bearer(token))
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

async function expectStoredReencoded(site: BuiltSite, url: string) {
  const g = await getBytes(site.tokens.staff, url);
  expect(g.status).toBe(200);
  const meta = await sharp(g.body as Buffer).metadata();
  expect(meta.format).toBe('jpeg');
  expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(512);
  expect(meta.exif).toBeUndefined();
  expect((g.body as Buffer).includes(Buffer.from('Secret Artist'))).toBe(false);
}

describe('photos from the pickup pass', () => {
  test('the pass page has the form; a child and a guardian photo are stored re-encoded with the consent, audited as the family', async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const pass = await passOf(site, f);
    const page = await t.api().get(`/pass/${pass}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`data-action="/pass/${pass}/photos/child/${f.childId}"`);
    expect(page.text).toContain(`data-action="/pass/${pass}/photos/guardian/${f.guardianId}"`);
    expect(page.text).toMatch(/<input type="file" name="photo" accept="image\/\*" capture="user"/);
    expect(page.text).toMatch(/<input type="checkbox" name="consent" required> <select name="consentBy"><option value="[^"]+"/);
    expect(page.text).toContain('<script src="/family-photo.js" defer></script>');
    // the served script is same-origin JavaScript the CSP allows
    const js = await t.api().get('/family-photo.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.text).toContain("method: 'PUT'");

    const c = await put(`/pass/${pass}`, 'child', f.childId, await cameraJpeg(), f.guardianId);
    expect(c.status).toBe(200);
    expect(c.body.photo).toMatchObject({ url: `/api/photos/${c.body.photo.id}` });
    expect(Math.max(c.body.photo.width, c.body.photo.height)).toBeLessThanOrEqual(512);
    await expectStoredReencoded(site, c.body.photo.url);
    const row = await t.db('photos').where({ id: c.body.photo.id }).first();
    expect(row).toMatchObject({ child_id: f.childId, consent_guardian_id: f.guardianId, uploaded_by_user_id: null, uploaded_by_kiosk_id: null });
    expect(row.consented_at).not.toBeNull();

    const g = await put(`/pass/${pass}`, 'guardian', f.guardianId, await cameraJpeg(900, 1400), f.guardianId);
    expect(g.status).toBe(200);
    await expectStoredReencoded(site, g.body.photo.url);
    // a replacement takes the old one's place
    const again = await put(`/pass/${pass}`, 'child', f.childId, await cameraJpeg(800, 800), f.guardianId);
    expect(again.status).toBe(200);
    expect(await t.db('photos').where({ child_id: f.childId }).pluck('id')).toEqual([again.body.photo.id]);
    // the page now says so
    expect((await t.api().get(`/pass/${pass}`)).text).toMatch(/photo on file/);
    const audit = await t.db('audit_log').where({ entity_id: f.householdId, action: 'photo.put' });
    expect(audit).toHaveLength(3);
    expect(audit[0]).toMatchObject({ actor_kind: 'anonymous', site_id: site.siteId });
    expect(audit.map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details).via)).toEqual(['pass', 'pass', 'pass']);
  });

  test('a used, an expired or an unknown pass stores nothing', async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const pass = await passOf(site, f);
    const img = await cameraJpeg(600, 400);
    await t
      .db('pickup_passes')
      .where({ batch_id: t.db('checkins').select('batch_id').where({ child_id: f.childId }) })
      .update({ revoked_at: new Date() });
    const used = await put(`/pass/${pass}`, 'child', f.childId, img, f.guardianId);
    expect(used.status).toBe(410);
    expect(used.body.error.code).toBe('gone');
    await t
      .db('pickup_passes')
      .where({ batch_id: t.db('checkins').select('batch_id').where({ child_id: f.childId }) })
      .update({
        revoked_at: null,
        expires_at: new Date(Date.now() - 1000),
      });
    expect((await put(`/pass/${pass}`, 'child', f.childId, img, f.guardianId)).status).toBe(410);
    const unknown = await put(`/pass/${'x'.repeat(43)}`, 'child', f.childId, img, f.guardianId);
    expect(unknown.status).toBe(404);
    expect(await photosOf(f)).toHaveLength(0);
  });

  test("another family's child, a consent by another family's guardian, no consent: refused, nothing stored", async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const other = await family(site, 'Zed');
    const pass = await passOf(site, f);
    const img = await cameraJpeg(600, 400);
    const foreign = await put(`/pass/${pass}`, 'child', other.childId, img, f.guardianId);
    expect(foreign.status).toBe(404);
    const foreignGuardian = await put(`/pass/${pass}`, 'guardian', other.guardianId, img, other.guardianId);
    expect(foreignGuardian.status).toBe(404);
    const refusals = await t.db('audit_log').where({ entity_id: f.householdId, action: 'photo.write_refused' });
    expect(refusals).toHaveLength(2);

    const badConsent = await put(`/pass/${pass}`, 'child', f.childId, img, other.guardianId);
    expect(badConsent.status).toBe(400);
    expect(badConsent.body.error.field).toBe('consentBy');
    const noConsent = await put(`/pass/${pass}`, 'guardian', f.guardianId, img);
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.field).toBe('consentBy');
    // only children and guardians, from a family's page
    const pickup = await put(`/pass/${pass}`, 'pickup', f.childId, img, f.guardianId);
    expect(pickup.status).toBe(400);
    expect(pickup.body.error.field).toBe('kind');
    expect(await photosOf(f)).toHaveLength(0);
    expect(await photosOf(other)).toHaveLength(0);
  });

  test('a non-image, a wrong type and an upload over 10 MB: a clear 4xx, nothing stored', async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const pass = await passOf(site, f);
    const text = await put(`/pass/${pass}`, 'child', f.childId, Buffer.from('not an image at all'), f.guardianId);
    expect(text.status).toBe(400);
    expect(text.body.error).toMatchObject({ code: 'invalid_image', field: 'body' });
    const wrongType = await put(`/pass/${pass}`, 'child', f.childId, 'hello', f.guardianId, 'text/plain');
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error.field).toBe('Content-Type');
    const big = await put(`/pass/${pass}`, 'child', f.childId, Buffer.alloc(10 * 1024 * 1024 + 1, 0xff), f.guardianId);
    expect(big.status).toBe(413);
    expect(big.body.error).toBeDefined();
    expect(await photosOf(f)).toHaveLength(0);
  });

  test('uploads from one pass are rate-limited', async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const pass = await passOf(site, f);
    const img = await cameraJpeg(300, 300);
    const rs = await Promise.all(Array.from({ length: PER_PAGE + 2 }, () => put(`/pass/${pass}`, 'guardian', f.guardianId, img, f.guardianId)));
    const codes = rs.map((r) => r.status);
    expect(codes.filter((c) => c === 200)).toHaveLength(PER_PAGE);
    expect(codes.filter((c) => c === 429)).toHaveLength(2);
    expect(rs.find((r) => r.status === 429)!.body.error.code).toBe('rate_limited');
  });
});

describe('photos from the pre-check-in page', () => {
  test('the page has the form; a child photo is stored re-encoded with the consent', async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const link = await linkOf(site, f);
    const page = await t.api().get(`/precheck/${link}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`data-action="/precheck/${link}/photos/child/${f.childId}"`);
    expect(page.text).toContain('<script src="/family-photo.js" defer></script>');
    const r = await put(`/precheck/${link}`, 'child', f.childId, await cameraJpeg(), f.guardianId);
    expect(r.status).toBe(200);
    await expectStoredReencoded(site, r.body.photo.url);
    expect(await t.db('photos').where({ child_id: f.childId }).first()).toMatchObject({ consent_guardian_id: f.guardianId });
  });

  test("an expired link, another family's child: refused, nothing stored", async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const other = await family(site, 'Zed');
    const link = await linkOf(site, f);
    const img = await cameraJpeg(600, 400);
    expect((await put(`/precheck/${link}`, 'child', other.childId, img, f.guardianId)).status).toBe(404);
    expect((await put(`/precheck/${link}`, 'child', f.childId, img, other.guardianId)).status).toBe(400);
    await t
      .db('precheckin_links')
      .where({ household_id: f.householdId })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const expired = await put(`/precheck/${link}`, 'child', f.childId, img, f.guardianId);
    expect(expired.status).toBe(410);
    expect((await put(`/precheck/${'y'.repeat(43)}`, 'child', f.childId, img, f.guardianId)).status).toBe(404);
    expect(await photosOf(f)).toHaveLength(0);
    expect(await photosOf(other)).toHaveLength(0);
  });
});
