/**
 * Photos at release in a real Chromium (DESIGN §16): the staff pickup station shows the child's
 * photo beside the guardian's and the authorised pickup's chips, and the custody alert with the
 * restricted person's face; each photo is fetched with the volunteer's token (a blob: URL, never
 * the API url in an <img>). Screens: tests/artifacts/photos-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describeBrowser, launchBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { fakeCamera } from '../support/camera';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer } from '../support/harness';

jest.setTimeout(120_000);

// page.evaluate bodies run in the browser; the project compiles without the DOM lib.
declare const document: any;

/** A portrait card: a coloured background with a big label, so the screenshot shows whose photo is where. */
const portrait = (label: string, colour: string) =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="1200"><rect width="900" height="1200" fill="${colour}"/>` +
        `<circle cx="450" cy="480" r="230" fill="#f1d1b5"/><rect x="170" y="760" width="560" height="440" rx="200" fill="#f1d1b5"/>` +
        `<text x="450" y="1120" font-size="150" text-anchor="middle" font-family="sans-serif" font-weight="bold" fill="#111">${label}</text></svg>`,
    ),
  )
    .jpeg()
    .toBuffer();

describeBrowser('photos at the pickup station', () => {
  const suite = staffBrowserSuite();

  async function family(site: BuiltSite) {
    const t = suite.t;
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24 }], { lastName: 'Okafor' });
    const [pickup] = await t
      .db('authorized_pickups')
      .insert({ household_id: fam.householdId, name: 'Grandma Joy', relationship: 'grandmother' })
      .returning('id');
    const [alert] = await t.db('custody_alerts').insert({ household_id: fam.householdId, name: 'Rex Stone', note: 'Court order' }).returning('id');
    const put = async (kind: string, id: string, body: Buffer, query: Record<string, string> = {}) => {
      const r = await t.api().put(`/api/photos/${kind}/${id}`).query(query).set(bearer(site.tokens.staff)).set('Content-Type', 'image/jpeg').send(body);
      expect(r.status).toBe(200);
    };
    await put('child', fam.childIds[0]!, await portrait('ADA', '#7cc4ff'), { consentBy: fam.guardianId });
    await put('guardian', fam.guardianId, await portrait('PAT', '#9be39b'));
    await put('pickup', pickup.id, await portrait('JOY', '#ffd27c'));
    await put('restricted', alert.id, await portrait('REX', '#ff8c8c'));
    const ci = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(ci.status).toBe(201);
    return { code: ci.body.securityCode as string };
  }

  test("the child's photo beside the guardian's and the pickup's, and the custody alert's face (desk and phone)", async () => {
    const site = await buildSite(suite.t.db);
    const { code } = await family(site);
    for (const [name, viewport] of [
      ['desk', { width: 1366, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const page = await suite.open(site.tokens.volunteer, '/pickup', viewport);
      await page.getByRole('tab', { name: 'Type code' }).click();
      await page.getByLabel('Security code from the parent’s tag').fill(code);
      await page.getByRole('button', { name: 'Find children' }).click();
      await page.getByRole('heading', { name: 'Okafor family' }).waitFor();
      // every face has loaded from a blob: URL (fetched with the token), none is missing
      await page.waitForFunction(() => {
        const imgs = [...document.querySelectorAll('[data-testid="face"] img')];
        return imgs.length === 4 && imgs.every((i: any) => i.complete && i.naturalWidth > 0);
      });
      const srcs = await page.locator('[data-testid="face"] img').evaluateAll((imgs: any[]) => imgs.map((i) => String(i.src)));
      expect(srcs.every((s) => s.startsWith('blob:'))).toBe(true);
      // the child's face next to the child's name; the adults' faces on their chips; the restricted person's in the alert
      expect(await page.getByRole('img', { name: 'Ada Okafor' }).count()).toBe(1);
      const chips = page.getByRole('group', { name: "The family's list" });
      expect(await chips.getByRole('button', { name: 'Pat Okafor' }).locator('img').count()).toBe(1);
      expect(await chips.getByRole('button', { name: 'Grandma Joy' }).locator('img').count()).toBe(1);
      expect(await page.getByTestId('custody-alert').getByRole('img', { name: 'Rex Stone (custody alert)' }).count()).toBe(1);
      // large enough to compare at arm's length
      const box = await page.getByRole('img', { name: 'Ada Okafor' }).boundingBox();
      expect(box!.width).toBeGreaterThanOrEqual(100);
      await page.screenshot({ path: screenshotPath(`photos-pickup-${name}`), fullPage: true });
    }
  });

  test('the pickup-mode kiosk shows the same faces once it has verified the code', async () => {
    const site = await buildSite(suite.t.db);
    const { code } = await family(site);
    const r = await suite.t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'Door', siteId: site.siteId, mode: 'pickup' });
    const ctx = await suite.browser.newContext({ viewport: { width: 1024, height: 768 } });
    try {
      const page = await ctx.newPage();
      await page.goto(`${suite.t.baseUrl}/kiosk/`);
      await page.getByLabel('Pairing code').fill(r.body.pairingCode);
      await page.getByRole('button', { name: 'Pair this kiosk' }).click();
      await page.getByRole('heading', { name: 'Pickup' }).waitFor();
      await page.getByRole('tab', { name: 'Type code' }).click();
      await page.getByLabel('Security code').fill(code);
      await page.getByRole('button', { name: 'Find children' }).click();
      await page.getByRole('heading', { name: /Okafor family/ }).waitFor();
      await page.waitForFunction(() => {
        const imgs = [...document.querySelectorAll('[data-testid="face"] img')];
        return imgs.length === 4 && imgs.every((i: any) => i.complete && i.naturalWidth > 0);
      });
      expect(await page.getByRole('img', { name: 'Ada Okafor' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Pat Okafor' }).locator('img').count()).toBe(1);
      expect(await page.getByTestId('custody-alert').getByRole('img', { name: 'Rex Stone (custody alert)' }).count()).toBe(1);
      await page.screenshot({ path: screenshotPath('photos-pickup-kiosk'), fullPage: true });
    } finally {
      await ctx.close();
    }
  });

  test('a family registered at the kiosk: the guardian consents by name, the fake camera takes the child’s photo, the pickup station shows it', async () => {
    const t = suite.t;
    const site = await buildSite(t.db);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-photo-cam-'));
    const video = path.join(dir, 'face.y4m');
    faceVideo(video);
    const camBrowser = await launchBrowser(fakeCamera(video));
    try {
      const r = await t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'Lobby', siteId: site.siteId });
      const ctx = await camBrowser.newContext({ viewport: { width: 1024, height: 768 } });
      const page = await ctx.newPage();
      await page.goto(`${t.baseUrl}/kiosk/`);
      await page.getByLabel('Pairing code').fill(r.body.pairingCode);
      await page.getByRole('button', { name: 'Pair this kiosk' }).click();
      await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
      for (const d of '3125550147') await page.getByRole('button', { name: d, exact: true }).click();
      await page.getByRole('button', { name: 'Find my family' }).click();
      await page.getByRole('button', { name: 'New here? Register your family' }).click();
      await page.getByLabel('First name').fill('Nia');
      await page.getByLabel('Last name').fill('Bello');
      await page.getByRole('button', { name: 'Next' }).click();
      const child = page.getByRole('group', { name: 'Child 1' });
      await child.getByLabel('First name').fill('Kemi');
      await child.getByLabel('Birthdate').fill(new Date(Date.now() - 2.2 * 365.25 * 86400_000).toISOString().slice(0, 10));
      await page.getByRole('button', { name: 'Register and check in' }).click();
      await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
      await page.getByRole('button', { name: 'Add photos for safe pickup' }).click();
      await page.getByRole('heading', { name: 'A photo of Kemi' }).waitFor();
      // no picture before the guardian, named, consents
      const take = page.getByRole('button', { name: 'Take photo' });
      expect(await take.isDisabled()).toBe(true);
      await page.getByLabel('I, Nia, agree to a photo of Kemi for safe pickup').check();
      await page.waitForFunction(() => document.querySelector('video')?.videoWidth > 0);
      await take.click();
      await page.getByTestId('photo-saved').locator('img').waitFor();
      await page.screenshot({ path: screenshotPath('photos-kiosk-registration'), fullPage: true });
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
      await ctx.close();

      const g = await t.db('guardians').where({ phone: '+13125550147', last_name: 'Bello' }).orderBy('id').first(); // other test files use this number too
      const kid = await t.db('children').where({ household_id: g.household_id }).first();
      const photo = await t.db('photos').where({ child_id: kid.id }).first();
      expect(photo).toEqual(expect.objectContaining({ consent_guardian_id: g.id, consent_guardian_name: 'Nia Bello' }));
      expect(Math.max(photo.width, photo.height)).toBeLessThanOrEqual(512);

      // at the pickup station, the child's face is there
      const batch = await t.db('checkin_batches').where({ household_id: g.household_id }).first();
      const door = await suite.open(site.tokens.volunteer, '/pickup', { width: 1366, height: 900 });
      await door.getByRole('tab', { name: 'Type code' }).click();
      await door.getByLabel('Security code from the parent’s tag').fill(batch.security_code);
      await door.getByRole('button', { name: 'Find children' }).click();
      await door.getByRole('img', { name: 'Kemi Bello' }).waitFor();
      await door.screenshot({ path: screenshotPath('photos-pickup-after-kiosk'), fullPage: true });
    } finally {
      await camBrowser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A Y4M video (Chromium's fake camera) of a dark head and shoulders on a light wall. */
function faceVideo(file: string) {
  const W = 640;
  const H = 480;
  const Y = Buffer.alloc(W * H, 200);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const head = (x - 320) ** 2 + (y - 200) ** 2 < 90 ** 2;
      const body = (x - 320) ** 2 / 200 ** 2 + (y - 520) ** 2 / 200 ** 2 < 1;
      if (head || body) Y[y * W + x] = 70;
    }
  const UV = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Y, UV, UV]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: 10 }, () => frame)]));
}
