/**
 * Photos (DESIGN §16): each kind of person, the re-encoding (no EXIF/GPS, ≤ 512 px, checked on the
 * served bytes with sharp), every refusal with nothing stored, who may see a photo (every actor),
 * the photo urls of a pickup verification, delete, and the url kept out of the logs.
 */
import sharp from 'sharp';
import type { Knex } from 'knex';
import { buildHousehold, buildSite, kioskToken, key, sessionFor, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestApp({ logs, env: { LOG_LEVEL: 'debug' } });
});
afterAll(async () => {
  await t.stop();
});

/** A photo as a phone takes it: larger than 512 px, with EXIF (camera, owner) and GPS. */
async function cameraJpeg(width = 1600, height = 1200): Promise<Buffer> {
  const img = await sharp({ create: { width, height, channels: 3, background: { r: 180, g: 120, b: 90 } } })
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Camera 9', Artist: 'Secret Artist', Copyright: 'Family Private' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '41/1 52/1 5/1', GPSLongitudeRef: 'W', GPSLongitude: '87/1 37/1 44/1' },
    })
    .jpeg({ quality: 90 })
    .toBuffer();
  const meta = await sharp(img).metadata();
  // the input really carries what must be removed
  expect(meta.exif).toBeDefined();
  expect(img.includes(Buffer.from('Secret Artist'))).toBe(true);
  return img;
}

/** A PNG of a few bytes whose header declares 30000×30000 (a decompression bomb). */
function bombPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const idat = require('node:zlib').deflateSync(Buffer.alloc(30001 * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const put = (token: string, kind: string, id: string, body: Buffer | string, type = 'image/jpeg', query: Record<string, string> = {}) =>
  t.api().put(`/api/photos/${kind}/${id}`).query(query).set(bearer(token)).set('Content-Type', type).send(body);
const get = (token: string | null, url: string) => {
  const r = t
    .api()
    .get(url)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  return token ? r.set(bearer(token)) : r;
};

interface Family {
  householdId: string;
  childId: string;
  guardianId: string;
  pickupId: string;
  alertId: string;
}
async function family(db: Knex, site: BuiltSite): Promise<Family> {
  const f = await buildHousehold(db, site.siteId, [{ firstName: 'Ada', months: 24 }], { lastName: 'Rivera' });
  const [p] = await db('authorized_pickups').insert({ household_id: f.householdId, name: 'Grandma Jo', relationship: 'grandmother' }).returning('id');
  const [a] = await db('custody_alerts').insert({ household_id: f.householdId, name: 'Jordan Kim', note: 'court order' }).returning('id');
  return { householdId: f.householdId, childId: f.childIds[0]!, guardianId: f.guardianId, pickupId: p.id, alertId: a.id };
}
const photoRows = (f: Family) =>
  t
    .db('photos')
    .whereIn('child_id', [f.childId])
    .orWhereIn('guardian_id', [f.guardianId])
    .orWhereIn('authorized_pickup_id', [f.pickupId])
    .orWhereIn('custody_alert_id', [f.alertId]);

async function checkIn(site: BuiltSite, f: Family) {
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: f.householdId, childIds: [f.childId], idempotencyKey: key() });
  expect(r.status).toBe(201);
  return { code: r.body.securityCode as string, roomId: r.body.checkins[0].roomId as string };
}
const verify = (token: string, site: BuiltSite, code: string) =>
  t.api().post('/api/pickups/verify').set(bearer(token)).send({ securityCode: code, serviceId: site.serviceId });

async function userAt(site: BuiltSite, role: 'volunteer' | 'staff' | 'admin', extra: Record<string, unknown> = {}) {
  const [u] = await t
    .db('users')
    .insert({ site_id: site.siteId, email: `${role}-${key()}@test.church`, name: `Another ${role}`, role, password_hash: 'x', ...extra })
    .returning('id');
  return { id: u.id as string, token: await sessionFor(t.db, u.id) };
}

describe('taking photos', () => {
  test('each kind of person: re-encoded JPEG ≤ 512 px with no EXIF or GPS, served privately; consent recorded for a child', async () => {
    const site = await buildSite(t.db);
    const f = await family(t.db, site);
    const input = await cameraJpeg();
    const people: [string, string, Record<string, string>][] = [
      ['child', f.childId, { consentBy: f.guardianId }],
      ['guardian', f.guardianId, {}],
      ['pickup', f.pickupId, {}],
      ['restricted', f.alertId, {}],
    ];
    for (const [kind, id, query] of people) {
      const r = await put(site.tokens.staff, kind, id, input, 'image/jpeg', query);
      expect(r.status).toBe(200);
      const photo = r.body.photo;
      expect(photo).toEqual({ id: expect.any(String), url: `/api/photos/${photo.id}`, width: 512, height: 384, bytes: expect.any(Number) });
      const served = await get(site.tokens.staff, photo.url);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe('image/jpeg');
      expect(served.headers['cache-control']).toBe('private, no-store');
      const bytes = served.body as Buffer;
      expect(bytes.length).toBe(photo.bytes);
      const meta = await sharp(bytes).metadata();
      expect(meta).toEqual(expect.objectContaining({ format: 'jpeg', width: 512, height: 384 }));
      expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(512);
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      for (const secret of ['Exif', 'Secret Artist', 'Family Private', 'PhoneCo']) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    const child = await t.db('photos').where({ child_id: f.childId }).first();
    expect(child).toEqual(
      expect.objectContaining({ consent_guardian_id: f.guardianId, consent_guardian_name: 'Pat Rivera', uploaded_by_user_id: site.userIds.staff }),
    );
    expect(child.consented_at).toBeInstanceOf(Date);
    // PNG and WebP are accepted too, and stored as JPEG; a portrait keeps its shape
    const png = await sharp({ create: { width: 600, height: 900, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const rp = await put(site.tokens.staff, 'guardian', f.guardianId, png, 'image/png');
    expect(rp.body.photo).toEqual(expect.objectContaining({ width: 341, height: 512 }));
    const webp = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#0a0' } })
      .webp()
      .toBuffer();
    const rw = await put(site.tokens.staff, 'pickup', f.pickupId, webp, 'image/webp');
    // smaller than 512: never enlarged
    expect(rw.body.photo).toEqual(expect.objectContaining({ width: 300, height: 200 }));
    expect((await sharp((await get(site.tokens.staff, rw.body.photo.url)).body as Buffer).metadata()).format).toBe('jpeg');
    // replacing gives a new url: the old one is gone, one photo per person
    expect((await photoRows(f)).length).toBe(4);
    expect(await t.db('audit_log').where({ action: 'photo.put', entity_id: f.householdId })).toHaveLength(6);
  });

  test("a child's photo needs the consent of a guardian of that family", async () => {
    const site = await buildSite(t.db);
    const f = await family(t.db, site);
    const other = await family(t.db, site);
    const input = await cameraJpeg(800, 600);
    const none = await put(site.tokens.staff, 'child', f.childId, input);
    expect(none.status).toBe(400);
    expect(none.body.error).toEqual(expect.objectContaining({ field: 'consentBy' }));
    const wrong = await put(site.tokens.staff, 'child', f.childId, input, 'image/jpeg', { consentBy: other.guardianId });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toEqual(expect.objectContaining({ field: 'consentBy', message: expect.stringContaining('not a guardian') }));
    expect(await photoRows(f)).toEqual([]);
  });
});

describe('refusals store nothing', () => {
  let site: BuiltSite;
  let f: Family;
  beforeAll(async () => {
    site = await buildSite(t.db);
    f = await family(t.db, site);
  });
  afterEach(async () => {
    expect(await photoRows(f)).toEqual([]);
  });

  test('a text file named .jpg', async () => {
    const r = await put(site.tokens.staff, 'guardian', f.guardianId, Buffer.from('just some text, not a photo at all\n'.repeat(20)));
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual(expect.objectContaining({ code: 'invalid_image', field: 'body' }));
  });

  test('a truncated JPEG', async () => {
    const whole = await sharp({ create: { width: 900, height: 900, channels: 3, background: '#884422' } })
      .jpeg()
      .toBuffer();
    const r = await put(site.tokens.staff, 'guardian', f.guardianId, whole.subarray(0, Math.floor(whole.length / 2)));
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual(expect.objectContaining({ code: 'invalid_image' }));
  });

  test('a decompression bomb: a tiny PNG declaring 30000×30000', async () => {
    const bomb = bombPng();
    expect(bomb.length).toBeLessThan(10_000);
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toEqual(expect.objectContaining({ width: 30000, height: 30000 }));
    const r = await put(site.tokens.staff, 'guardian', f.guardianId, bomb, 'image/png');
    expect(r.status).toBe(413);
    expect(r.body.error).toEqual(expect.objectContaining({ code: 'image_too_large', field: 'body' }));
  });

  test('a body over 10 MB', async () => {
    const big = Buffer.concat([await cameraJpeg(64, 64), Buffer.alloc(11 * 1024 * 1024)]);
    const r = await put(site.tokens.staff, 'guardian', f.guardianId, big);
    expect(r.status).toBe(413);
    expect(r.body.error).toEqual(expect.objectContaining({ code: 'body_too_large' }));
  });

  test('a body that is not an image type, an unknown kind, an empty body', async () => {
    const text = await put(site.tokens.staff, 'guardian', f.guardianId, 'hello', 'text/plain');
    expect(text.status).toBe(415);
    expect(text.body.error).toEqual(expect.objectContaining({ code: 'unsupported_media_type' }));
    const kind = await put(site.tokens.staff, 'uncle', f.guardianId, await cameraJpeg(64, 64));
    expect(kind.status).toBe(400);
    expect(kind.body.error.field).toBe('kind');
    const empty = await put(site.tokens.staff, 'guardian', f.guardianId, Buffer.alloc(0));
    expect(empty.status).toBe(400);
  });
});

describe('who sees a photo', () => {
  test('staff, org admins, a volunteer handed the code (that family only), a volunteer serving the room (children only), the pickup kiosk that verified; no one else', async () => {
    const site = await buildSite(t.db);
    const f = await family(t.db, site);
    const other = await family(t.db, site);
    const input = await cameraJpeg(700, 700);
    const url = async (token: string, kind: string, id: string, query: Record<string, string> = {}) => {
      const r = await put(token, kind, id, input, 'image/jpeg', query);
      expect(r.status).toBe(200);
      return r.body.photo.url as string;
    };
    const child = await url(site.tokens.staff, 'child', f.childId, { consentBy: f.guardianId });
    const guardian = await url(site.tokens.staff, 'guardian', f.guardianId);
    const otherChild = await url(site.tokens.admin, 'child', other.childId, { consentBy: other.guardianId });
    const status = async (token: string | null, u: string) => (await get(token, u)).status;

    // staff and admin of the campus
    expect(await status(site.tokens.staff, child)).toBe(200);
    expect(await status(site.tokens.admin, guardian)).toBe(200);
    // an organisation admin signed in at another campus; staff of that other campus are refused
    const campus2 = await buildSite(t.db, { organizationId: site.organizationId });
    const orgAdmin = await userAt(campus2, 'admin', { org_admin: true });
    expect(await status(orgAdmin.token, child)).toBe(200);
    expect(await status(campus2.tokens.staff, child)).toBe(403);
    expect(await status(campus2.tokens.admin, child)).toBe(403);
    // another organisation: as if it did not exist
    const elsewhere = await buildSite(t.db);
    expect(await status(elsewhere.tokens.admin, child)).toBe(404);
    expect((await put(elsewhere.tokens.admin, 'guardian', f.guardianId, input)).status).toBe(404);
    expect((await put(campus2.tokens.staff, 'guardian', f.guardianId, input)).status).toBe(403);
    // anonymous
    expect(await status(null, child)).toBe(401);

    // a volunteer without the code sees nothing; the check-in kiosk neither
    expect(await status(site.tokens.volunteer, child)).toBe(403);
    expect(await status(site.tokens.kiosk, child)).toBe(403);
    const pickupKiosk = await kioskToken(t.db, site.siteId, 'pickup');
    expect(await status(pickupKiosk, child)).toBe(403);

    const { code, roomId } = await checkIn(site, f);
    // a volunteer checked in to the child's room: the child, not the adults
    const roomVolunteer = await userAt(site, 'volunteer');
    await t
      .db('volunteer_shifts')
      .insert({ organization_id: site.organizationId, site_id: site.siteId, service_id: site.serviceId, room_id: roomId, user_id: roomVolunteer.id });
    expect(await status(roomVolunteer.token, child)).toBe(200);
    expect(await status(roomVolunteer.token, guardian)).toBe(403);
    expect(await status(roomVolunteer.token, otherChild)).toBe(403);
    // in another room: nothing
    const elsewhereInRoom = await userAt(site, 'volunteer');
    const otherRoom = Object.values(site.rooms).find((r) => r !== roomId)!;
    await t
      .db('volunteer_shifts')
      .insert({ organization_id: site.organizationId, site_id: site.siteId, service_id: site.serviceId, room_id: otherRoom, user_id: elsewhereInRoom.id });
    expect(await status(elsewhereInRoom.token, child)).toBe(403);

    // the door volunteer handed the family's code: that family's photos, no other family's
    expect((await verify(site.tokens.volunteer, site, code)).status).toBe(200);
    expect(await status(site.tokens.volunteer, child)).toBe(200);
    expect(await status(site.tokens.volunteer, guardian)).toBe(200);
    expect(await status(site.tokens.volunteer, otherChild)).toBe(403);
    // the pickup kiosk that verified it, likewise
    expect((await verify(pickupKiosk, site, code)).status).toBe(200);
    expect(await status(pickupKiosk, child)).toBe(200);
    expect(await status(pickupKiosk, otherChild)).toBe(403);
    // the check-in kiosk never, even with the family checked in; nor a volunteer of another campus who knows the code
    expect(await status(site.tokens.kiosk, child)).toBe(403);
    expect((await verify(campus2.tokens.volunteer, campus2, code)).status).toBe(404);
    expect(await status(campus2.tokens.volunteer, child)).toBe(403);
    // volunteers and kiosks do not take photos (but a check-in kiosk may for the family it just registered, below)
    expect((await put(site.tokens.volunteer, 'guardian', f.guardianId, input)).status).toBe(403);
    expect((await put(site.tokens.kiosk, 'guardian', f.guardianId, input)).status).toBe(403);
    expect((await put(pickupKiosk, 'guardian', f.guardianId, input)).status).toBe(403);
    // refusals are on record
    expect((await t.db('audit_log').where({ action: 'photo.read_refused' })).length).toBeGreaterThan(5);
  });

  test('a check-in kiosk photographs the family it has just registered and shows back only that photo', async () => {
    const site = await buildSite(t.db);
    const reg = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.kiosk))
      .send({
        guardians: [{ firstName: 'Mara', lastName: 'Okafor', phone: `+1312555${String(Math.floor(Math.random() * 9000) + 1000)}` }],
        children: [{ firstName: 'Tobi', lastName: 'Okafor', grade: 2 }],
        idempotencyKey: key(),
      });
    expect(reg.body).toEqual(expect.objectContaining({ joined: false }));
    expect(reg.status).toBe(201);
    const household = await t.db('households').where({ id: reg.body.household.id }).first();
    const childId = reg.body.household.children[0].id as string;
    const guardianId = reg.body.household.guardians[0].id as string;
    const r = await put(site.tokens.kiosk, 'child', childId, await cameraJpeg(640, 480), 'image/jpeg', { consentBy: guardianId });
    expect(r.status).toBe(200);
    expect(await t.db('photos').where({ child_id: childId }).first()).toEqual(
      expect.objectContaining({ uploaded_by_kiosk_id: site.kioskId, consent_guardian_id: guardianId }),
    );
    expect((await get(site.tokens.kiosk, r.body.photo.url)).status).toBe(200);
    // another check-in kiosk of the campus did not take it
    expect((await get(await kioskToken(t.db, site.siteId, 'checkin'), r.body.photo.url)).status).toBe(403);
    // a family it did not just register: refused
    const f = await family(t.db, site);
    expect((await put(site.tokens.kiosk, 'guardian', f.guardianId, await cameraJpeg(64, 64))).status).toBe(403);
    expect(household.site_id).toBe(site.siteId);
  });
});

describe('at release', () => {
  test('verify answers photo urls for the child, each listed adult and each custody alert (null where none); delete removes the image', async () => {
    const site = await buildSite(t.db);
    const f = await family(t.db, site);
    const [noPhoto] = await t.db('authorized_pickups').insert({ household_id: f.householdId, name: 'Uncle Bo' }).returning('id');
    const input = await cameraJpeg(1024, 768);
    const urls: Record<string, string> = {};
    for (const [kind, id, q] of [
      ['child', f.childId, { consentBy: f.guardianId }],
      ['guardian', f.guardianId, {}],
      ['pickup', f.pickupId, {}],
      ['restricted', f.alertId, {}],
    ] as const)
      urls[kind] = (await put(site.tokens.staff, kind, id, input, 'image/jpeg', q)).body.photo.url;
    const { code } = await checkIn(site, f);
    const v = await verify(site.tokens.volunteer, site, code);
    expect(v.status).toBe(200);
    expect(v.body.checkins[0].photoUrl).toBe(urls.child);
    expect(v.body.guardians).toEqual([{ id: f.guardianId, firstName: 'Pat', lastName: 'Rivera', photoUrl: urls.guardian }]);
    expect(v.body.authorizedPickups).toEqual([
      { id: f.pickupId, name: 'Grandma Jo', relationship: 'grandmother', photoUrl: urls.pickup },
      { id: noPhoto.id, name: 'Uncle Bo', relationship: '', photoUrl: null },
    ]);
    expect(v.body.custodyAlerts).toEqual([{ id: f.alertId, name: 'Jordan Kim', note: 'court order', photoUrl: urls.restricted }]);
    // the door volunteer can open every one of them
    for (const u of Object.values(urls)) expect((await get(site.tokens.volunteer, u)).status).toBe(200);

    // delete: the image is gone, the url answers 404, verify says null
    const del = await t.api().delete(`/api/photos/restricted/${f.alertId}`).set(bearer(site.tokens.staff));
    expect(del.status).toBe(204);
    expect(await t.db('photos').where({ custody_alert_id: f.alertId })).toEqual([]);
    expect((await get(site.tokens.staff, urls.restricted!)).status).toBe(404);
    expect((await t.api().delete(`/api/photos/restricted/${f.alertId}`).set(bearer(site.tokens.staff))).status).toBe(404);
    const again = await verify(site.tokens.volunteer, site, code);
    expect(again.body.custodyAlerts[0].photoUrl).toBeNull();
    // deleting the person deletes their photo
    await t.db('children').where({ id: f.childId }).delete();
    expect(await t.db('photos').where({ child_id: f.childId })).toEqual([]);
    // the family page lists what staff may see
    const fam = await t.api().get(`/api/households/${f.householdId}`).set(bearer(site.tokens.staff));
    expect(fam.body.household.photos).toEqual(
      expect.arrayContaining([
        { kind: 'guardian', personId: f.guardianId, url: urls.guardian },
        { kind: 'pickup', personId: f.pickupId, url: urls.pickup },
      ]),
    );
    const campus2 = await buildSite(t.db, { organizationId: site.organizationId });
    expect((await t.api().get(`/api/households/${f.householdId}`).set(bearer(campus2.tokens.staff))).body.household.photos).toEqual([]);
  });

  test("a photo's url never reaches the logs", async () => {
    const site = await buildSite(t.db);
    const f = await family(t.db, site);
    const r = await put(site.tokens.staff, 'guardian', f.guardianId, await cameraJpeg(300, 300));
    const id = r.body.photo.id as string;
    logs.length = 0;
    expect((await get(site.tokens.staff, r.body.photo.url)).status).toBe(200);
    expect((await get(site.tokens.volunteer, r.body.photo.url)).status).toBe(403);
    expect((await get(site.tokens.staff, `/api/photos/${id}x`)).status).toBe(400);
    expect(logs.some((l) => l.includes('/api/photos/:photoId'))).toBe(true);
    expect(logs.join('\n')).not.toContain(id);
  });
});
