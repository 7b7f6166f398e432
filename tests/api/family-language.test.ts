/**
 * The family's language (DESIGN §12, #16 point 5): a family that registered or checked in in
 * Spanish gets Spanish texts (through the real dispatcher and a local Twilio-compatible server),
 * a Spanish pass page and Spanish label words; an English family stays English; staff change it.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { buildHousehold, buildSite, givePrinter, key, type BuiltSite } from '../support/factories';
import { startFakeTwilio, waitFor, type FakeTwilio } from '../../server/src/dev/fake-twilio';
import { createDb } from '../../server/src/db/knex';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { isolatedDatabaseUrl } from '../support/db';
import { fakePrinter, type FakePrinter } from '../support/printer';

let fake: FakeTwilio;
let t: TestApp;
let db: Knex;
let printer: FakePrinter;
beforeAll(async () => {
  fake = await startFakeTwilio();
  printer = await fakePrinter();
  db = createDb(await isolatedDatabaseUrl('famlang'), 10);
  t = await startTestApp({ db, dispatcher: true, env: { ...fake.env(), SMS_RETRY_BASE_MS: '40', SMS_RETRY_MAX_MS: '200', SMS_MAX_ATTEMPTS: '30' } });
});
afterAll(async () => {
  await t.stop();
  await db.destroy();
  await fake.close();
  await printer.close();
});

const sentTo = (phone: string) => fake.messages.filter((m) => m.to === phone);
const phone = () => `312-555-01${String(crypto.randomInt(100)).padStart(2, '0')}`;
const checkIn = (site: BuiltSite, householdId: string, childIds: string[], extra: Record<string, unknown> = {}) =>
  t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key(), ...extra });
const languageOf = async (householdId: string) => (await t.db('households').where({ id: householdId }).first()).language;

async function checkOut(site: BuiltSite, householdId: string, checkin: { checkinId: string; code: string }) {
  const [gran] = await t.db('authorized_pickups').insert({ household_id: householdId, name: 'Abuela Rosa', relationship: 'abuela' }).returning('id');
  const out = await t
    .api()
    .post('/api/checkouts')
    .set(bearer(site.tokens.volunteer))
    .send({ checkinIds: [checkin.checkinId], securityCode: checkin.code, pickupPersonId: gran.id });
  expect(out.status).toBe(200);
}

describe('a family registered in Spanish at the kiosk', () => {
  test('its receipt, checkout text, page, pass page and labels are Spanish', async () => {
    const site = await buildSite(t.db, {
      name: 'Gracia Norte',
      timezone: 'America/Chicago',
      // the campus customised the English page wording: Spanish families still get Spanish
      settings: { smsTemplates: { page: '{{site}} Kids: please come to {{room}} for {{child}}. {{message}}' } },
    });
    await givePrinter(t.db, site.kioskId, printer.address);
    const tel = phone();
    const reg = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.kiosk))
      .send({
        guardians: [{ firstName: 'María', lastName: 'López', phone: tel }],
        children: [
          {
            firstName: 'Ana',
            lastName: 'López',
            birthdate: new Date(Date.now() - 2 * 365 * 86400_000).toISOString().slice(0, 10),
            allergies: 'Cacahuates',
            medicalNotes: 'Asma',
          },
          { firstName: 'Luis', lastName: 'López', birthdate: new Date(Date.now() - 4 * 365 * 86400_000).toISOString().slice(0, 10) },
        ],
        idempotencyKey: key(),
        lang: 'es',
      });
    expect(reg.status).toBe(201);
    const household = reg.body.household as { id: string; children: { id: string; firstName: string }[] };
    expect(await languageOf(household.id)).toBe('es');
    const e164 = (await t.db('guardians').where({ household_id: household.id }).first()).phone;

    // a later check-in without a language keeps the family's
    const res = await checkIn(
      site,
      household.id,
      household.children.map((c) => c.id),
    );
    expect(res.status).toBe(201);
    const [receipt] = await waitFor(() => (sentTo(e164).length ? sentTo(e164) : undefined), 3000, 'the receipt');
    expect(receipt!.body).toMatch(/^Gracia Norte: entrada registrada para (Ana \(\w+\) y Luis \(\w+\)|Luis \(\w+\) y Ana \(\w+\))\. /);
    expect(receipt!.body).toContain(`Clave de recogida ${res.body.securityCode}. Pase de recogida: ${res.body.pickupUrl}`);

    // the pass page
    const pass = await t.api().get(new URL(res.body.pickupUrl).pathname);
    expect(pass.status).toBe(200);
    expect(pass.text).toContain('<html lang="es">');
    expect(pass.text).toContain('Código de seguridad');
    expect(pass.text).toContain('Muestre este código al recoger');
    expect(pass.text).not.toContain('Security code');
    expect(pass.text).not.toContain('Show this code');

    // the Zebra labels' fixed words
    const job = printer.nextJob();
    const printed = await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ batchId: res.body.batchId });
    expect(printed.status).toBe(200);
    const zpl = await job;
    expect(zpl).toContain('ALERGIA');
    expect(zpl).toContain('ETIQUETA DE RECOGIDA');
    expect(zpl).toContain('MÉDICO');
    expect(zpl).not.toContain('MEDICAL');
    expect(zpl).not.toContain('ALLERGY');
    expect(zpl).not.toContain('PARENT PICKUP TAG');
    // …and the browser label's data says Spanish
    const browser = await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ requestId: res.body.requestId, browser: true });
    expect(browser.status).toBe(200);
    expect(browser.body.set.lang).toBe('es');

    // a page: Spanish, although the campus customised its English wording
    const ana = res.body.checkins.find((c: { firstName: string }) => c.firstName === 'Ana');
    const page = await t.api().post(`/api/checkins/${ana.id}/page`).set(bearer(site.tokens.volunteer)).send({ message: 'Necesita ropa.' });
    expect(page.status).toBe(201);
    await waitFor(() => sentTo(e164).length === 2, 3000, 'the page');
    expect(sentTo(e164)[1]!.body).toMatch(/^Gracia Norte: por favor venga a \w+ por Ana\. Necesita ropa\.$/);

    // checkout
    await checkOut(site, household.id, { checkinId: ana.id, code: res.body.securityCode });
    await waitFor(() => sentTo(e164).length === 3, 3000, 'the checkout text');
    expect(sentTo(e164)[2]!.body).toMatch(/^Gracia Norte: recogida de Ana por Abuela Rosa a las \d{1,2}:\d{2}/);
  });
});

describe('an English family', () => {
  test('stays English (receipt, checkout, pass, labels); checking in at a kiosk showing Spanish makes it Spanish', async () => {
    const site = await buildSite(t.db, { name: 'Grace East' });
    await givePrinter(t.db, site.kioskId, printer.address);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Cleo', months: 24, allergies: 'Eggs' }]);
    const res = await checkIn(site, fam.householdId, fam.childIds, { lang: 'en' });
    expect(res.status).toBe(201);
    expect(await languageOf(fam.householdId)).toBe('en');
    await waitFor(() => sentTo(fam.phone).length === 1, 3000, 'the receipt');
    // the first text to the number says how to stop (DESIGN §19), in the family's language
    expect(sentTo(fam.phone)[0]!.body).toBe(
      `Grace East: Cleo (Toddlers) checked in. Pickup code ${res.body.securityCode}. Pickup pass: ${res.body.pickupUrl} Reply STOP to opt out.`,
    );
    const pass = await t.api().get(new URL(res.body.pickupUrl).pathname);
    expect(pass.text).toContain('<html lang="en">');
    expect(pass.text).toContain('Security code');
    const job = printer.nextJob();
    await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ batchId: res.body.batchId });
    const zpl = await job;
    expect(zpl).toContain('ALLERGY');
    expect(zpl).not.toContain('ALERGIA');
    await checkOut(site, fam.householdId, { checkinId: res.body.checkins[0].id, code: res.body.securityCode });
    await waitFor(() => sentTo(fam.phone).length === 2, 3000, 'the checkout text');
    expect(sentTo(fam.phone)[1]!.body).toMatch(/^Grace East: Cleo picked up by Abuela Rosa at /);

    // the next week the parent switched the kiosk to Spanish: the family is Spanish from now on
    const site2 = await buildSite(t.db, { name: 'Grace West' });
    const fam2 = await buildHousehold(t.db, site2.siteId, [{ firstName: 'Dan', months: 24 }]);
    const es = await checkIn(site2, fam2.householdId, fam2.childIds, { lang: 'es' });
    expect(es.status).toBe(201);
    expect(await languageOf(fam2.householdId)).toBe('es');
    await waitFor(() => sentTo(fam2.phone).length === 1, 3000, 'the receipt');
    expect(sentTo(fam2.phone)[0]!.body).toBe(
      `Grace West: entrada registrada para Dan (Toddlers). Clave de recogida ${es.body.securityCode}. Pase de recogida: ${es.body.pickupUrl} Responda STOP para dejar de recibir mensajes.`,
    );
  });
});

describe('staff see and change the family language', () => {
  test('GET shows it, PATCH changes it (audited), the next receipt follows; anything but en/es is a 400 naming lang', async () => {
    const site = await buildSite(t.db, { name: 'Grace South' });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Eve', months: 24 }]);
    const staff = bearer(site.tokens.staff);
    const before = await t.api().get(`/api/households/${fam.householdId}`).set(staff);
    expect(before.status).toBe(200);
    expect(before.body.household.lang).toBe('en');
    const patched = await t.api().patch(`/api/households/${fam.householdId}`).set(staff).send({ lang: 'es' });
    expect(patched.status).toBe(200);
    expect(patched.body.household.lang).toBe('es');
    expect(patched.body.household.name).toBe(before.body.household.name);
    const audit = await t.db('audit_log').where({ entity_id: fam.householdId, action: 'household.update' }).first();
    expect(audit.details).toMatchObject({ before: { lang: 'en' }, after: { lang: 'es' } });
    const res = await checkIn(site, fam.householdId, fam.childIds);
    await waitFor(() => sentTo(fam.phone).length === 1, 3000, 'the receipt');
    expect(sentTo(fam.phone)[0]!.body).toContain('entrada registrada para Eve');

    for (const bad of ['fr', 'ES', '', 3, null]) {
      const r = await t.api().patch(`/api/households/${fam.householdId}`).set(staff).send({ lang: bad });
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('lang');
    }
    const badCheckin = await checkIn(site, fam.householdId, fam.childIds, { lang: 'fr' });
    expect(badCheckin.status).toBe(400);
    expect(badCheckin.body.error.field).toBe('lang');
    const badReg = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.kiosk))
      .send({
        guardians: [{ firstName: 'Zed', lastName: 'Zulu', phone: phone() }],
        children: [{ firstName: 'Zoe', lastName: 'Zulu', grade: 2 }],
        lang: 'de',
      });
    expect(badReg.status).toBe(400);
    expect(badReg.body.error.field).toBe('lang');
    expect(await languageOf(fam.householdId)).toBe('es');
    expect(res.status).toBe(201);
  });
});
