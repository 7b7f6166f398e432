/**
 * Twilio's webhooks: delivery status and inbound STOP/START/HELP, signed with X-Twilio-Signature
 * (checked with the SDK's validator); forgeries get 403 and change nothing.
 */
import twilio from 'twilio';
import type { Knex } from 'knex';
import { createDb } from '../../server/src/db/knex';
import { isolatedDatabaseUrl } from '../support/db';
import { advance, fromTwilioStatus } from '../../server/src/notifications/status';
import { backoffMs } from '../../server/src/notifications/dispatcher';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { startFakeTwilio, waitFor, type FakeTwilio } from '../../server/src/dev/fake-twilio';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let fake: FakeTwilio;
let t: TestApp;
let db: Knex;
// A database of its own: the dispatcher sends every due row it finds, and other files' rows are not ours.
beforeAll(async () => {
  fake = await startFakeTwilio();
  db = createDb(await isolatedDatabaseUrl('smshook'), 10);
  t = await startTestApp({ db, dispatcher: true, env: { ...fake.env(), SMS_RETRY_BASE_MS: '30', SMS_RETRY_MAX_MS: '150' } });
});
afterAll(async () => {
  await t.stop();
  await db.destroy();
  await fake.close();
});

const checkIn = async (site: BuiltSite, householdId: string, childIds: string[]) => {
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body;
};
const sentTo = (phone: string) => fake.messages.filter((m) => m.to === phone);
const statusUrl = () => `${t.baseUrl}/webhooks/twilio/status`;
const inboundUrl = () => `${t.baseUrl}/webhooks/twilio/inbound`;

async function deliveredReceipt() {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  await checkIn(site, fam.householdId, fam.childIds);
  const row = await waitFor(
    async () => {
      const r = await t.db('notifications').where({ site_id: site.siteId }).first();
      return r?.status === 'delivered' ? r : undefined;
    },
    5000,
    'delivered',
  );
  return { site, fam, row };
}

describe('status callbacks', () => {
  test('forged, unsigned, re-addressed or tampered callbacks get 403 and change nothing', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    fake.setCallbacks(false);
    try {
      await checkIn(site, fam.householdId, fam.childIds);
      const row = await waitFor(
        async () => {
          const r = await t.db('notifications').where({ site_id: site.siteId }).first();
          return r?.status === 'queued' ? r : undefined;
        },
        5000,
        'queued',
      );
      const eventsBefore = t.events.length;
      const params = {
        AccountSid: fake.accountSid,
        MessageSid: row.provider_id,
        SmsSid: row.provider_id,
        MessageStatus: 'delivered',
        To: fam.phone,
        From: fake.from,
      };
      const url = `${statusUrl()}?n=${row.id}`;
      expect((await fake.postStatus(url, params, { forge: true })).status).toBe(403);
      expect((await fake.postStatus(url, params, { unsigned: true })).status).toBe(403);
      // a valid signature for other parameters, replayed with a changed status
      const sigForSent = twilio.getExpectedTwilioSignature(fake.authToken, url, { ...params, MessageStatus: 'sent' });
      const tampered = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': sigForSent },
        body: new URLSearchParams(params).toString(),
      });
      expect(tampered.status).toBe(403);
      // a valid signature for another URL
      const sigOtherUrl = twilio.getExpectedTwilioSignature(fake.authToken, `${statusUrl()}?n=00000000-0000-4000-8000-000000000000`, params);
      const moved = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': sigOtherUrl },
        body: new URLSearchParams(params).toString(),
      });
      expect(moved.status).toBe(403);
      const after = await t.db('notifications').where({ id: row.id }).first();
      expect(after.status).toBe('queued');
      expect(after.updated_at).toEqual(row.updated_at);
      expect(t.events.slice(eventsBefore).filter((e) => e.name === 'notification.updated')).toHaveLength(0);
      // the genuine one is applied and pushed
      expect((await fake.postStatus(url, params)).status).toBe(204);
      expect((await t.db('notifications').where({ id: row.id }).first()).status).toBe('delivered');
      expect(t.events.slice(eventsBefore).some((e) => e.name === 'notification.updated' && e.payload.id === row.id && e.payload.status === 'delivered')).toBe(
        true,
      );
    } finally {
      fake.setCallbacks(true);
    }
  });

  test('status never goes backwards: a late "sent" after "delivered" changes nothing', async () => {
    const { fam, row } = await deliveredReceipt();
    const late = await fake.postStatus(statusUrl(), {
      AccountSid: fake.accountSid,
      MessageSid: row.provider_id,
      MessageStatus: 'sent',
      To: fam.phone,
      From: fake.from,
    });
    expect(late.status).toBe(204);
    expect((await t.db('notifications').where({ id: row.id }).first()).status).toBe('delivered');
  });

  test("undelivered is recorded with Twilio's error code", async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    fake.setCallbacks(false);
    try {
      await checkIn(site, fam.householdId, fam.childIds);
      const row = await waitFor(
        async () => {
          const r = await t.db('notifications').where({ site_id: site.siteId }).first();
          return r?.provider_id ? r : undefined;
        },
        5000,
        'queued',
      );
      const r = await fake.postStatus(statusUrl(), {
        AccountSid: fake.accountSid,
        MessageSid: row.provider_id,
        MessageStatus: 'undelivered',
        ErrorCode: '30006',
        To: fam.phone,
        From: fake.from,
      });
      expect(r.status).toBe(204);
      const after = await t.db('notifications').where({ id: row.id }).first();
      expect(after.status).toBe('undelivered');
      expect(after.error).toMatch(/30006/);
    } finally {
      fake.setCallbacks(true);
    }
  });

  test('the rules: forwards only, Twilio statuses mapped, backoff grows with jitter up to the cap', () => {
    expect(advance('queued', 'sent')).toBe('sent');
    expect(advance('delivered', 'sent')).toBe('delivered');
    expect(advance('undelivered', 'delivered')).toBe('undelivered');
    expect(advance('sending', 'queued')).toBe('queued');
    expect(fromTwilioStatus('accepted')).toBe('queued');
    expect(fromTwilioStatus('read')).toBe('delivered');
    expect(fromTwilioStatus('receiving')).toBeUndefined();
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    const spread = new Set(Array.from({ length: 20 }, () => backoffMs(3, 1000, 60_000)));
    expect(spread.size).toBeGreaterThan(1);
  });
});

describe('inbound STOP / START / HELP', () => {
  test('STOP stops later messages to that number (every guardian with it), START resumes them; both audited', async () => {
    const site = await buildSite(t.db);
    const phone = `+1773${String(Date.now()).slice(-7)}`;
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }], { phone });
    const other = await buildHousehold(t.db, site.siteId, [{ months: 48 }], { phone }); // a second household, same parent
    const stop = await fake.sendInbound(inboundUrl(), { from: phone, body: ' Stop ' });
    expect(stop.status).toBe(200);
    expect(stop.body).toMatch(/^<\?xml[^>]*>\s*<Response\s*\/>$|<Response><\/Response>/);
    const guardians = await t.db('guardians').where({ phone });
    expect(guardians.every((g) => g.sms_opted_out_at)).toBe(true);
    expect(
      await t.db('audit_log').where({ action: 'guardian.sms_opt_out', entity: 'guardian' }).whereIn('entity_id', [fam.guardianId, other.guardianId]),
    ).toHaveLength(2);

    // a message queued before the STOP is not sent; a new check-in queues nothing for that number
    const [queued] = await t
      .db('notifications')
      .insert({ site_id: site.siteId, guardian_id: fam.guardianId, to: phone, kind: 'page', body: 'Please come to Toddlers' })
      .returning('id');
    await checkIn(site, fam.householdId, fam.childIds);
    t.sms!.dispatcher!.kick();
    await waitFor(async () => (await t.db('notifications').where({ id: queued.id }).first()).status === 'failed', 5000, 'the queued one failed');
    await t.sms!.dispatcher!.drain();
    expect(sentTo(phone)).toHaveLength(0);
    expect(await t.db('notifications').where({ site_id: site.siteId, kind: 'checkin_receipt' })).toHaveLength(0);

    const start = await fake.sendInbound(inboundUrl(), { from: phone, body: 'START' });
    expect(start.status).toBe(200);
    expect(start.body).toMatch(/<Message>[^<]*subscribed again/);
    expect((await t.db('guardians').where({ phone })).every((g) => g.sms_opted_out_at === null)).toBe(true);
    expect(
      await t.db('audit_log').where({ action: 'guardian.sms_opt_in', entity: 'guardian' }).whereIn('entity_id', [fam.guardianId, other.guardianId]),
    ).toHaveLength(2);
    await checkIn(site, other.householdId, other.childIds);
    await waitFor(() => sentTo(phone).length === 1, 5000, 'a receipt after START');
  });

  test.each(['STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit', 'stop.'])('%s opts out', async (word) => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    expect((await fake.sendInbound(inboundUrl(), { from: fam.phone, body: word })).status).toBe(200);
    expect((await t.db('guardians').where({ id: fam.guardianId }).first()).sms_opted_out_at).not.toBeNull();
  });

  test.each(['START', 'yes', 'Unstop'])('%s opts back in', async (word) => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    await t.db('guardians').where({ id: fam.guardianId }).update({ sms_opted_out_at: new Date() });
    expect((await fake.sendInbound(inboundUrl(), { from: fam.phone, body: word })).status).toBe(200);
    expect((await t.db('guardians').where({ id: fam.guardianId }).first()).sms_opted_out_at).toBeNull();
  });

  test('HELP answers with what the texts are and how to stop; other words change nothing', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const help = await fake.sendInbound(inboundUrl(), { from: fam.phone, body: 'help' });
    expect(help.status).toBe(200);
    expect(help.body).toMatch(/<Message>.*Reply STOP to unsubscribe/);
    const chat = await fake.sendInbound(inboundUrl(), { from: fam.phone, body: 'please stop texting me so much' });
    expect(chat.status).toBe(200);
    expect(chat.body).not.toMatch(/<Message>/);
    expect((await t.db('guardians').where({ id: fam.guardianId }).first()).sms_opted_out_at).toBeNull();
  });

  test('a forged or unsigned STOP gets 403 and opts nobody out', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const params = { AccountSid: fake.accountSid, From: fam.phone, To: fake.from, Body: 'STOP', MessageSid: 'SM1' };
    expect((await fake.postStatus(inboundUrl(), params, { forge: true })).status).toBe(403);
    expect((await fake.postStatus(inboundUrl(), params, { unsigned: true })).status).toBe(403);
    expect((await t.db('guardians').where({ id: fam.guardianId }).first()).sms_opted_out_at).toBeNull();
    expect(await t.db('audit_log').where({ entity: 'guardian', entity_id: fam.guardianId })).toHaveLength(0);
  });
});

describe('without Twilio credentials', () => {
  test('messages are logged (not sent) and say so in their status; the banner and /api/site say so; webhooks accept nothing', async () => {
    // its own database too: the Twilio-configured dispatcher above must not send these rows
    const plainDb = createDb(await isolatedDatabaseUrl('smsplain'), 5);
    const plain = await startTestApp({ dispatcher: true, db: plainDb });
    try {
      expect(plain.sms!.banner).toContain('SMS: no Twilio credentials — messages are logged, not sent');
      const site = await buildSite(plain.db);
      const fam = await buildHousehold(plain.db, site.siteId, [{ months: 24 }]);
      const r = await plain
        .api()
        .post('/api/checkins')
        .set(bearer(site.tokens.kiosk))
        .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
      expect(r.status).toBe(201);
      const row = await waitFor(
        async () => {
          const n = await plain.db('notifications').where({ site_id: site.siteId }).first();
          return n && n.status !== 'pending' && n.status !== 'sending' ? n : undefined;
        },
        5000,
        'logged',
      );
      expect(row.status).toBe('logged');
      expect(row.provider_id).toMatch(/^LOG[0-9a-f]{32}$/);
      // what the staff UI reads: the message's status, and whether this server sends texts at all
      const listed = await plain.api().get(`/api/checkins/${r.body.checkins[0].id}/notifications`).set(bearer(site.tokens.staff));
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).toContain('"status":"logged"');
      expect(JSON.stringify(listed.body)).not.toContain('"status":"sent"');
      const siteInfo = await plain.api().get('/api/site').set(bearer(site.tokens.staff));
      expect(siteInfo.body.sms).toEqual({ sending: false });
      const kioskMe = await plain.api().get('/api/kiosk/me').set(bearer(site.tokens.kiosk));
      expect(kioskMe.body.sms).toEqual({ sending: false });
      const configured = await buildSite(t.db);
      expect((await t.api().get('/api/site').set(bearer(configured.tokens.staff))).body.sms).toEqual({ sending: true });
      const forged = await fake.postStatus(`${plain.baseUrl}/webhooks/twilio/status`, { MessageSid: row.provider_id, MessageStatus: 'delivered' });
      expect(forged.status).toBe(403);
    } finally {
      await plain.stop();
      await plainDb.destroy();
    }
  });
});

describe('replayed webhooks (correctly signed) change nothing', () => {
  const inbound = (sid: string, from: string, body: string) => ({
    AccountSid: fake.accountSid,
    ApiVersion: '2010-04-01',
    MessageSid: sid,
    SmsSid: sid,
    From: from,
    To: fake.from,
    Body: body,
    NumMedia: '0',
    NumSegments: '1',
  });

  test('an old START replayed after STOP does not re-subscribe the parent', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const oldStart = inbound(`SM${'a'.repeat(24)}${Date.now().toString(16)}`.slice(0, 34), fam.phone, 'START');
    expect((await fake.postStatus(inboundUrl(), oldStart)).status).toBe(200);
    const stop = await fake.sendInbound(inboundUrl(), { from: fam.phone, body: 'STOP' });
    expect(stop.status).toBe(200);
    expect((await t.db('guardians').where({ id: fam.guardianId }).first()).sms_opted_out_at).not.toBeNull();
    const replay = await fake.postStatus(inboundUrl(), oldStart);
    expect(replay.status).toBe(200);
    expect(replay.body).not.toContain('<Message>');
    expect((await t.db('guardians').where({ id: fam.guardianId }).first()).sms_opted_out_at).not.toBeNull();
    expect(await t.db('audit_log').where({ action: 'guardian.sms_opt_in', entity_id: fam.guardianId })).toHaveLength(0);
  });

  test('status callbacks: queued → sent → delivered for one MessageSid all land; a replayed one is dropped', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    fake.setCallbacks(false);
    try {
      await checkIn(site, fam.householdId, fam.childIds);
      const row = await waitFor(
        async () => {
          const r = await t.db('notifications').where({ site_id: site.siteId }).first();
          return r?.provider_id ? r : undefined;
        },
        5000,
        'queued',
      );
      const url = `${statusUrl()}?n=${row.id}`;
      const cb = (MessageStatus: string) =>
        fake.postStatus(url, { AccountSid: fake.accountSid, MessageSid: row.provider_id, MessageStatus, To: fam.phone, From: fake.from });
      const seen: string[] = [];
      for (const s of ['queued', 'sent']) {
        expect((await cb(s)).status).toBe(204);
        seen.push((await t.db('notifications').where({ id: row.id }).first()).status);
      }
      expect((await cb('delivered')).status).toBe(204);
      seen.push((await t.db('notifications').where({ id: row.id }).first()).status);
      expect(seen).toEqual(['queued', 'sent', 'delivered']);
      const eventsBefore = t.events.length;
      expect((await cb('delivered')).status).toBe(204);
      expect((await cb('sent')).status).toBe(204);
      const kept = await t.db('twilio_webhook_events').where({ message_sid: row.provider_id, kind: 'status' }).orderBy('received_at');
      expect(kept.map((k) => k.message_status)).toEqual(['queued', 'sent', 'delivered']);
      expect(t.events.slice(eventsBefore).filter((e) => e.name === 'notification.updated')).toHaveLength(0);
      expect((await t.db('notifications').where({ id: row.id }).first()).status).toBe('delivered');
    } finally {
      fake.setCallbacks(true);
    }
  });
});
