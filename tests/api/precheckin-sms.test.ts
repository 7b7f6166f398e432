/**
 * The weekly pre-check-in text (DESIGN §12): a campus setting (weekday, time), a periodic pass
 * that sends once per family per send date (run twice, run by two instances at once), in the
 * family's language, never to a number that replied STOP — through the SMS outbox, the real
 * twilio SDK and the local Twilio-compatible server; the link in the text opens the family's page.
 */
import type { Knex } from 'knex';
import { dateInTimezone, localDateTime, weekdayOf } from '../../contracts/rules';
import { createDb } from '../../server/src/db/knex';
import { startFakeTwilio, waitFor, type FakeTwilio } from '../../server/src/dev/fake-twilio';
import { sendDueWeekly } from '../../server/src/precheckin/precheckin.service';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { isolatedDatabaseUrl } from '../support/db';

let fake: FakeTwilio;
let t: TestApp;
let second: TestApp;
let db: Knex;
beforeAll(async () => {
  fake = await startFakeTwilio();
  db = createDb(await isolatedDatabaseUrl('precheck_sms'), 10);
  t = await startTestApp({ db, dispatcher: true, env: fake.env() });
  // a second instance on the same database (no dispatcher of its own)
  second = await startTestApp({ db });
});
afterAll(async () => {
  await second.stop();
  await t.stop();
  await db.destroy();
  await fake.close();
});

const TZ = 'America/Chicago';
/** The setting for a send `minutesAgo` before now, on the campus's clock (negative: later today). */
function sendAt(minutesAgo: number) {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  return { weekday: weekdayOf(dateInTimezone(at, TZ)), time: localDateTime(at, TZ).slice(11, 16) };
}
const checkIn = (site: BuiltSite, householdId: string, childIds: string[]) =>
  t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
const linkTexts = (siteId: string) => t.db('notifications').where({ site_id: siteId, kind: 'precheckin_link' });

test('due: one text per recent family, in its language, none to a STOP number or a family not seen lately — run twice and by two instances at once', async () => {
  const site = await buildSite(t.db, { timezone: TZ, name: 'Grace West', settings: { preCheckinSms: sendAt(60) } });
  const en = await buildHousehold(t.db, site.siteId, [{ firstName: 'Nora', months: 30 }]);
  const es = await buildHousehold(t.db, site.siteId, [{ firstName: 'Pablo', months: 30 }]);
  const stop = await buildHousehold(t.db, site.siteId, [{ firstName: 'Quinn', months: 30 }]);
  const away = await buildHousehold(t.db, site.siteId, [{ firstName: 'Remy', months: 30 }]);
  for (const f of [en, es, stop]) expect((await checkIn(site, f.householdId, f.childIds)).status).toBe(201);
  await t.db('households').where({ id: es.householdId }).update({ language: 'es' });
  await t.db('guardians').where({ id: stop.guardianId }).update({ sms_opted_out_at: new Date() });

  await sendDueWeekly(t.ctx);
  await sendDueWeekly(t.ctx);
  await Promise.all([sendDueWeekly(t.ctx), sendDueWeekly(second.ctx), sendDueWeekly(second.ctx)]);

  const rows = await linkTexts(site.siteId);
  expect(rows.map((r) => r.guardian_id).sort()).toEqual([en.guardianId, es.guardianId].sort());
  expect(await t.db('precheckin_links').where({ site_id: site.siteId })).toHaveLength(2);
  // the stored text holds a placeholder, never the token
  for (const r of rows) expect(r.body).toContain('{{precheckUrl}}');

  const [enMsg] = await waitFor(
    () =>
      fake.messages.filter((m) => m.to === en.phone && m.body.includes('/precheck/')).length
        ? fake.messages.filter((m) => m.to === en.phone && m.body.includes('/precheck/'))
        : undefined,
    5000,
    'the English text',
  );
  expect(enMsg!.body).toMatch(
    /^Grace West: pre-check in your children for this week's service; at the kiosk one scan prints their labels: http:\/\/127\.0\.0\.1:\d+\/precheck\/[A-Za-z0-9_-]{43}$/,
  );
  const [esMsg] = await waitFor(
    () =>
      fake.messages.filter((m) => m.to === es.phone && m.body.includes('/precheck/')).length
        ? fake.messages.filter((m) => m.to === es.phone && m.body.includes('/precheck/'))
        : undefined,
    5000,
    'the Spanish text',
  );
  expect(esMsg!.body).toContain('registre desde ahora la entrada de sus niños');
  expect(fake.messages.filter((m) => m.to === stop.phone || m.to === away.phone).filter((m) => m.body.includes('/precheck/'))).toEqual([]);

  // the link in the text opens the family's own page (Spanish for the Spanish family)
  const page = await t.api().get(new URL(enMsg!.body.slice(enMsg!.body.indexOf('http'))).pathname);
  expect(page.status).toBe(200);
  expect(page.text).toContain('Nora');
  expect(page.text).not.toContain('Pablo');
  const esPage = await t.api().get(new URL(esMsg!.body.slice(esMsg!.body.indexOf('http'))).pathname);
  expect(esPage.text).toContain('¿Quién viene?');
  expect(esPage.text).toContain('Pablo');
});

test('not due yet (later today), switched off, or missed by more than a day: nothing is sent', async () => {
  const later = await buildSite(t.db, { timezone: TZ, settings: { preCheckinSms: sendAt(-60) } });
  const off = await buildSite(t.db, { timezone: TZ, settings: { preCheckinSms: null } });
  const missed = await buildSite(t.db, { timezone: TZ, settings: { preCheckinSms: sendAt(26 * 60) } });
  for (const site of [later, off, missed]) {
    const f = await buildHousehold(t.db, site.siteId, [{ months: 30 }]);
    expect((await checkIn(site, f.householdId, f.childIds)).status).toBe(201);
  }
  await sendDueWeekly(t.ctx);
  for (const site of [later, off, missed]) expect(await linkTexts(site.siteId)).toHaveLength(0);
});

test('the periodic pass (PRECHECKIN_SMS_MS) sends on its own, once', async () => {
  const site = await buildSite(t.db, { timezone: TZ, settings: { preCheckinSms: sendAt(5) } });
  const f = await buildHousehold(t.db, site.siteId, [{ months: 30 }]);
  expect((await checkIn(site, f.householdId, f.childIds)).status).toBe(201);
  const ticking = await startTestApp({ db, env: { PRECHECKIN_SMS_MS: '200' } });
  try {
    await waitFor(async () => ((await linkTexts(site.siteId)).length ? true : undefined), 5000, 'the periodic pass');
    // a few more passes: still one
    const passes = Date.now();
    await waitFor(() => (Date.now() - passes > 700 ? true : undefined), 2000, 'more passes');
    expect(await linkTexts(site.siteId)).toHaveLength(1);
  } finally {
    await ticking.stop();
  }
});

test('the settings route takes the weekly text setting and refuses a bad one naming the field', async () => {
  const site = await buildSite(t.db, { timezone: TZ });
  const ok = await t
    .api()
    .patch('/api/site/settings')
    .set(bearer(site.tokens.admin))
    .send({ preCheckinSms: { weekday: 6, time: '18:00' } });
  expect(ok.status).toBe(200);
  expect(ok.body.settings.preCheckinSms).toEqual({ weekday: 6, time: '18:00' });
  const bad = await t
    .api()
    .patch('/api/site/settings')
    .set(bearer(site.tokens.admin))
    .send({ preCheckinSms: { weekday: 7, time: '25:00' } });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('preCheckinSms');
  const offAgain = await t.api().patch('/api/site/settings').set(bearer(site.tokens.admin)).send({ preCheckinSms: null });
  expect(offAgain.body.settings.preCheckinSms).toBeNull();
});
