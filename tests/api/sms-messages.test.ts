/**
 * Parent SMS end to end: the real app and dispatcher, the real `twilio` SDK, a local
 * Twilio-compatible server (server/src/dev/fake-twilio.ts), a real Postgres.
 */
import { PAGES_PER_CHILD_PER_HOUR } from '../../contracts';
import type { NotificationUpdatedEvent } from '../../contracts';
import { rankOf } from '../../server/src/notifications/status';
import { checkinReceiptBody } from '../../server/src/notifications/outbox.service';
import { fitsTwoSegments, isGsm7, PICKUP_URL_PLACEHOLDER, smsLength } from '../../server/src/notifications/templates';
import { parseSettings, type ServiceContext } from '../../server/src/sites/sites.repo';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { startFakeTwilio, waitFor, type FakeTwilio } from '../../server/src/dev/fake-twilio';
import type { Knex } from 'knex';
import { createDb } from '../../server/src/db/knex';
import { bearer, connected, startTestApp, type TestApp } from '../support/harness';
import { isolatedDatabaseUrl } from '../support/db';

let fake: FakeTwilio;
let t: TestApp;
let db: Knex;
// A database of its own: the dispatcher sends every due row it finds, and other files' rows are not ours.
beforeAll(async () => {
  fake = await startFakeTwilio();
  db = createDb(await isolatedDatabaseUrl('smsmsg'), 10);
  t = await startTestApp({ db, dispatcher: true, env: { ...fake.env(), SMS_RETRY_BASE_MS: '40', SMS_RETRY_MAX_MS: '200', SMS_MAX_ATTEMPTS: '30' } });
});
afterAll(async () => {
  await t.stop();
  await db.destroy();
  await fake.close();
});

const checkIn = (site: BuiltSite, householdId: string, childIds: string[]) =>
  t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
const sentTo = (phone: string) => fake.messages.filter((m) => m.to === phone);
const rowsFor = (siteId: string) => t.db('notifications').where({ site_id: siteId }).orderBy('created_at');

describe('each kind of message goes out with the right body', () => {
  test('check-in receipt: children and rooms, code, a working pickup-pass link; status runs queued → sent → delivered and is pushed', async () => {
    const site = await buildSite(t.db, { name: 'Grace North' });
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Ada', months: 24 },
      { firstName: 'Ben', months: 48 },
    ]);
    const started = Date.now();
    const res = await checkIn(site, fam.householdId, fam.childIds);
    expect(res.status).toBe(201);
    const [msg] = await waitFor(() => (sentTo(fam.phone).length ? sentTo(fam.phone) : undefined), 3000, 'the receipt');
    expect(Date.now() - started).toBeLessThan(1500); // woken by the commit, not a slow poll
    // the first text to this number says how to stop (DESIGN §19); the page below, the second, does not
    expect(msg!.body).toBe(
      `Grace North: Ada (Toddlers) and Ben (Preschool) checked in. Pickup code ${res.body.securityCode}. Pickup pass: ${res.body.pickupUrl} Reply STOP to opt out.`,
    );
    expect(msg!.from).toBe(fake.from);
    expect(msg!.statusCallback).toMatch(new RegExp(`^${t.baseUrl}/webhooks/twilio/status\\?n=[0-9a-f-]{36}$`));
    // the link in the text opens the pass
    const pass = await t.api().get(new URL(res.body.pickupUrl).pathname);
    expect(pass.status).toBe(200);
    expect(pass.text).toContain(res.body.securityCode);

    const row = await waitFor(
      async () => {
        const [r] = await rowsFor(site.siteId);
        return r?.status === 'delivered' ? r : undefined;
      },
      5000,
      'delivered',
    );
    expect(row.provider_id).toBe(msg!.sid);
    expect(row.attempts).toBe(1);
    expect(row.body).toContain('{{pickupUrl}}'); // the token itself is never stored
    expect(row.body).not.toContain(res.body.pickupUrl.split('/pass/')[1]);
    const pushed = t.events.filter((e) => e.name === 'notification.updated' && e.payload.id === row.id);
    expect(pushed.every((e) => e.siteId === site.siteId && e.audience === 'staff')).toBe(true);
    const statuses = pushed.map((e) => (e.payload as NotificationUpdatedEvent).status);
    expect(statuses).toEqual(expect.arrayContaining(['sending', 'sent', 'delivered']));
    expect(statuses.map(rankOf)).toEqual([...statuses.map(rankOf)].sort((a, b) => a - b)); // never backwards
    expect((pushed.at(-1)!.payload as NotificationUpdatedEvent).batchId).toBe(res.body.batchId);
  });

  test('checkout confirmation: who picked up whom, and when', async () => {
    const site = await buildSite(t.db, { name: 'Grace South', timezone: 'America/Chicago' });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Cleo', months: 24 }]);
    const [gran] = await t.db('authorized_pickups').insert({ household_id: fam.householdId, name: 'Grandma Jo', relationship: 'grandmother' }).returning('id');
    const res = await checkIn(site, fam.householdId, fam.childIds);
    await waitFor(() => sentTo(fam.phone).length === 1, 3000, 'the receipt');
    const out = await t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.volunteer))
      .send({ checkinIds: [res.body.checkins[0].id], securityCode: res.body.securityCode, pickupPersonId: gran.id });
    expect(out.status).toBe(200);
    await waitFor(() => sentTo(fam.phone).length === 2, 3000, 'the checkout text');
    const time = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: 'numeric', minute: '2-digit' });
    const body = sentTo(fam.phone)[1]!.body;
    // (the narrow no-break space Intl puts before AM/PM is sent as a plain space: GSM-7)
    const possible = [time.format(new Date()), time.format(new Date(Date.now() - 60_000))].map(
      (at) => `Grace South: Cleo picked up by Grandma Jo at ${at.replace(/\s/g, ' ')}.`,
    );
    expect(possible).toContain(body);
  });

  test('page-a-parent: the site template, the room, the optional message; pushed at once; a few per child per hour, then 429', async () => {
    const site = await buildSite(t.db, {
      name: 'Hope',
      settings: { smsTemplates: { page: '{{site}} Kids: please come to {{room}} for {{child}}. {{message}}' } },
    });
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Dev', months: 24 },
      { firstName: 'Eve', months: 48 },
    ]);
    const res = await checkIn(site, fam.householdId, fam.childIds);
    const dev = res.body.checkins.find((c: { firstName: string }) => c.firstName === 'Dev');
    const eve = res.body.checkins.find((c: { firstName: string }) => c.firstName === 'Eve');
    await waitFor(() => sentTo(fam.phone).length === 1, 3000, 'the receipt');

    const page = await t.api().post(`/api/checkins/${dev.id}/page`).set(bearer(site.tokens.volunteer)).send({ message: 'He needs a change of clothes.' });
    expect(page.status).toBe(201);
    expect(page.body.checkinId).toBe(dev.id);
    expect(page.body.pagesLeftThisHour).toBe(PAGES_PER_CHILD_PER_HOUR - 1);
    expect(page.body.notifications).toHaveLength(1);
    expect(page.body.notifications[0]).toEqual(
      expect.objectContaining({ kind: 'page', status: 'pending', toMasked: expect.stringMatching(/^•••-•••-\d{4}$/) }),
    );
    expect(t.events.some((e) => e.name === 'notification.updated' && e.payload.id === page.body.notifications[0].id)).toBe(true);
    await waitFor(() => sentTo(fam.phone).length === 2, 3000, 'the page');
    expect(sentTo(fam.phone)[1]!.body).toBe('Hope Kids: please come to Toddlers for Dev. He needs a change of clothes.');

    // without a message; staff may page too
    expect((await t.api().post(`/api/checkins/${dev.id}/page`).set(bearer(site.tokens.staff)).send({})).status).toBe(201);
    await waitFor(() => sentTo(fam.phone).length === 3, 3000, 'the second page');
    expect(sentTo(fam.phone)[2]!.body).toBe('Hope Kids: please come to Toddlers for Dev.');
    for (let i = 2; i < PAGES_PER_CHILD_PER_HOUR; i++)
      expect((await t.api().post(`/api/checkins/${dev.id}/page`).set(bearer(site.tokens.volunteer)).send({})).status).toBe(201);
    const limited = await t.api().post(`/api/checkins/${dev.id}/page`).set(bearer(site.tokens.volunteer)).send({});
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    // the limit is per child: the sibling can still be paged
    expect((await t.api().post(`/api/checkins/${eve.id}/page`).set(bearer(site.tokens.volunteer)).send({})).status).toBe(201);
    const pages = await t.db('notifications').where({ site_id: site.siteId, kind: 'page' });
    expect(pages).toHaveLength(PAGES_PER_CHILD_PER_HOUR + 1);
    const audit = await t.db('audit_log').where({ site_id: site.siteId, action: 'checkin.page' });
    expect(audit).toHaveLength(PAGES_PER_CHILD_PER_HOUR + 1);
    expect(audit[0].actor_id).toBe(site.userIds.volunteer);

    // the staff UI can list a check-in's texts with their status
    const list = await t.api().get(`/api/checkins/${dev.id}/notifications`).set(bearer(site.tokens.volunteer));
    expect(list.status).toBe(200);
    expect(list.body.notifications.map((n: { kind: string }) => n.kind).sort()).toEqual(['checkin_receipt', ...Array(PAGES_PER_CHILD_PER_HOUR).fill('page')]);
    expect(list.body.notifications.find((n: { kind: string }) => n.kind === 'checkin_receipt').body).toContain('[pickup pass link]');
  });

  test('a staff socket of the site sees the page go pending → … → delivered; a kiosk socket and other sites see nothing', async () => {
    const site = await buildSite(t.db);
    const other = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Gus', months: 24 }]);
    const res = await checkIn(site, fam.householdId, fam.childIds);
    await waitFor(() => sentTo(fam.phone).length === 1, 3000, 'the receipt');
    const staff = t.socket(site.tokens.staff);
    const kiosk = t.socket(site.tokens.kiosk);
    const stranger = t.socket(other.tokens.staff);
    await Promise.all([connected(staff), connected(kiosk), connected(stranger)]);
    const seen: NotificationUpdatedEvent[] = [];
    const leaked: string[] = [];
    staff.on('notification.updated', (e) => seen.push(e));
    kiosk.onAny((name) => leaked.push(`kiosk:${name}`));
    stranger.on('notification.updated', () => leaked.push('other site'));
    const page = await t.api().post(`/api/checkins/${res.body.checkins[0].id}/page`).set(bearer(site.tokens.staff)).send({});
    expect(page.status).toBe(201);
    const id = page.body.notifications[0].id;
    await waitFor(() => seen.some((e) => e.id === id && e.status === 'delivered'), 5000, 'delivered on the socket');
    const statuses = seen.filter((e) => e.id === id).map((e) => e.status);
    expect(statuses[0]).toBe('pending');
    expect(statuses.map(rankOf)).toEqual([...statuses.map(rankOf)].sort((a, b) => a - b));
    expect(seen.find((e) => e.id === id)!.checkinId).toBe(res.body.checkins[0].id);
    expect(leaked).toEqual([]);
  });

  test('paging: bad input is a 400 naming the field; kiosks, other sites and checked-out children are refused', async () => {
    const site = await buildSite(t.db);
    const other = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const res = await checkIn(site, fam.householdId, fam.childIds);
    const id = res.body.checkins[0].id;
    const long = await t
      .api()
      .post(`/api/checkins/${id}/page`)
      .set(bearer(site.tokens.volunteer))
      .send({ message: 'x'.repeat(161) });
    expect(long.status).toBe(400);
    expect(long.body.error.field).toBe('message');
    const wrongType = await t.api().post(`/api/checkins/${id}/page`).set(bearer(site.tokens.volunteer)).send({ message: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.field).toBe('message');
    const extra = await t.api().post(`/api/checkins/${id}/page`).set(bearer(site.tokens.volunteer)).send({ text: 'hi' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.field).toBe('text');
    const badId = await t.api().post('/api/checkins/not-a-uuid/page').set(bearer(site.tokens.volunteer)).send({});
    expect(badId.status).toBe(400);
    expect(badId.body.error.field).toBe('id');
    expect((await t.api().post(`/api/checkins/${id}/page`).send({})).status).toBe(401);
    expect((await t.api().post(`/api/checkins/${id}/page`).set(bearer(site.tokens.kiosk)).send({})).status).toBe(403);
    expect((await t.api().post(`/api/checkins/${id}/page`).set(bearer(other.tokens.staff)).send({})).status).toBe(404);
    expect((await t.api().get(`/api/checkins/${id}/notifications`).set(bearer(other.tokens.staff))).status).toBe(404);
    await t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.volunteer))
      .send({ checkinIds: [id], securityCode: res.body.securityCode, pickupPersonId: fam.guardianId });
    const gone = await t.api().post(`/api/checkins/${id}/page`).set(bearer(site.tokens.volunteer)).send({});
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('not_checked_in');
  });

  test('a family nobody can text: the page says so (409) and counts nothing', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }], { smsOptIn: false });
    const res = await checkIn(site, fam.householdId, fam.childIds);
    const r = await t.api().post(`/api/checkins/${res.body.checkins[0].id}/page`).set(bearer(site.tokens.volunteer)).send({});
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('no_sms_recipient');
    expect(await rowsFor(site.siteId)).toHaveLength(0);
  });
});

describe('wording stays within two SMS segments', () => {
  const service = (siteName: string): ServiceContext => ({
    id: 's',
    siteId: 'x',
    name: 'Sunday 9:00',
    startsAt: new Date(),
    checkinOpensAt: new Date(),
    checkinClosesAt: new Date(),
    serviceDate: '2026-01-04',
    siteName,
    timezone: 'America/Chicago',
    settings: parseSettings({}),
  });
  const kids = (n: number, name = 'Alexandria') =>
    Array.from({ length: n }, (_, i) => ({ firstName: `${name}${i + 1}`, roomName: 'Elementary Grades 3-5 (Room 214)' }));

  test('typographic punctuation is sent as GSM-7, so a site name with a dash does not halve the room; nothing is cut', () => {
    const body = checkinReceiptBody({ service: service('St. Mark’s Church — North Campus'), securityCode: 'KX7B', children: kids(3, 'Sam') });
    expect(isGsm7(body)).toBe(true);
    expect(body).toBe(
      "St. Mark's Church - North Campus: Sam1 (Elementary Grades 3-5 (Room 214)), Sam2 (Elementary Grades 3-5 (Room 214)) and Sam3 (Elementary Grades 3-5 (Room 214)) checked in. Pickup code KX7B. Pickup pass: {{pickupUrl}}",
    );
    expect(fitsTwoSegments(body)).toBe(true);
  });

  test('a big family shortens the list (names only, then a count), never the code or the link', () => {
    const names = checkinReceiptBody({ service: service('Grace'), securityCode: 'KX7B', children: kids(6) });
    expect(names).toBe(
      'Grace: Alexandria1, Alexandria2, Alexandria3, Alexandria4, Alexandria5 and Alexandria6 checked in. Pickup code KX7B. Pickup pass: {{pickupUrl}}',
    );
    const count = checkinReceiptBody({ service: service('Grace'), securityCode: 'KX7B', children: kids(12, 'Maximiliana-Josephine') });
    expect(count).toBe('Grace: 12 children checked in. Pickup code KX7B. Pickup pass: {{pickupUrl}}');
    for (const b of [names, count]) expect(smsLength(b)).toBeLessThanOrEqual(306);
  });

  test('text that needs UCS-2 is held to 134 characters, keeping the link whole', () => {
    const s = service('教会 Kids Club');
    s.settings.smsTemplates.checkinReceipt =
      '{{site}}: {{children}} checked in 🎉 — have a wonderful morning together with us today! Code {{code}}. {{pickupUrl}}';
    const body = checkinReceiptBody({ service: s, securityCode: 'KX7B', children: kids(1, '小明') });
    expect(isGsm7(body)).toBe(false);
    expect(smsLength(body)).toBeLessThanOrEqual(134);
    expect(body.endsWith(` ${PICKUP_URL_PLACEHOLDER}`)).toBe(true);
  });
});
