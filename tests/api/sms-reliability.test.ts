/**
 * The outbox under failure: Twilio down, erroring, rate-limiting, or accepting a message whose
 * answer never arrives; permanent errors; opted-out guardians. Real SDK, local fake Twilio.
 */
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { startFakeTwilio, waitFor, type FakeTwilio } from '../../server/src/dev/fake-twilio';
import type { Knex } from 'knex';
import { createDb } from '../../server/src/db/knex';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { isolatedDatabaseUrl } from '../support/db';

// the waits below are bounded generously for a loaded machine (quiet, each takes well under a second)
jest.setTimeout(120_000);
const MAX_ATTEMPTS = 30;
let fake: FakeTwilio;
let t: TestApp;
let db: Knex;
// A database of its own: the dispatcher sends every due row it finds, and other files' rows are not ours.
beforeAll(async () => {
  fake = await startFakeTwilio();
  db = createDb(await isolatedDatabaseUrl('smsrel'), 10);
  t = await startTestApp({
    db,
    dispatcher: true,
    env: { ...fake.env(), SMS_RETRY_BASE_MS: '30', SMS_RETRY_MAX_MS: '150', SMS_MAX_ATTEMPTS: String(MAX_ATTEMPTS) },
  });
});
afterAll(async () => {
  await t.stop();
  await db.destroy();
  await fake.close();
});
afterEach(() => {
  fake.setDown(false);
  fake.failNext(0);
  fake.loseResponses(0);
  fake.setCallbacks(true);
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
const rows = (siteId: string) => t.db('notifications').where({ site_id: siteId }).orderBy('created_at');
/** A dispatcher pass that found nothing due: whatever it would have resent, it has. */
const drained = () => t.sms!.dispatcher!.drain();

async function families(n: number) {
  const site = await buildSite(t.db);
  const fams = [];
  for (let i = 0; i < n; i++) fams.push(await buildHousehold(t.db, site.siteId, [{ months: 24 }]));
  return { site, fams };
}

describe('transient failures are retried until Twilio is back, and every message goes out exactly once', () => {
  test('Twilio unreachable (connections reset) for a while, then back', async () => {
    const { site, fams } = await families(5);
    fake.setDown(true);
    for (const f of fams) await checkIn(site, f.householdId, f.childIds);
    await waitFor(async () => (await rows(site.siteId)).every((r) => r.attempts >= 3 && r.status === 'pending'), 30_000, 'several failed attempts each');
    const during = await rows(site.siteId);
    expect(during.every((r) => r.error && /network|ECONNRESET|socket hang up/i.test(r.error))).toBe(true);
    expect(during.every((r) => r.provider_id === null)).toBe(true);
    expect(fams.every((f) => sentTo(f.phone).length === 0)).toBe(true);
    fake.setDown(false);
    // generous on a loaded CI machine (retries are due within 150 ms, but the dispatcher polls and
    // checks Twilio's log before a resend); on a timeout the rows say where each message stood
    await waitFor(
      async () => (await rows(site.siteId)).every((r) => r.provider_id && r.status !== 'pending' && r.status !== 'sending'),
      30_000,
      'all sent',
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify((await rows(site.siteId)).map((r) => [r.status, r.attempts, r.error]))}`);
    });
    for (const f of fams) expect(sentTo(f.phone)).toHaveLength(1);
    const after = await rows(site.siteId);
    expect(new Set(after.map((r) => r.provider_id)).size).toBe(5);
    for (const r of after) expect(sentTo(r.to)[0]!.sid).toBe(r.provider_id);
    expect(fake.requests.filter((q) => q.status === 'reset').length).toBeGreaterThanOrEqual(15);
  });

  test.each([[500], [429]] as const)('Twilio answering %i to every request for a while, then recovering', async (status) => {
    const { site, fams } = await families(4);
    fake.failNext(40, status);
    for (const f of fams) await checkIn(site, f.householdId, f.childIds);
    await waitFor(async () => (await rows(site.siteId)).every((r) => r.provider_id && r.status !== 'pending' && r.status !== 'sending'), 30_000, 'all sent');
    for (const f of fams) expect(sentTo(f.phone)).toHaveLength(1);
    const after = await rows(site.siteId);
    expect(after.every((r) => r.attempts > 1)).toBe(true); // they did fail first
    expect(fake.requests.filter((q) => q.status === status).length).toBe(40);
  });

  test('Twilio accepted the message but the answer was lost: the retry finds it at Twilio and does not send again', async () => {
    const { site, fams } = await families(1);
    const fam = fams[0]!;
    fake.setCallbacks(false); // only the dispatcher's own check can find out
    fake.loseResponses(1);
    await checkIn(site, fam.householdId, fam.childIds);
    const [row] = await waitFor(
      async () => {
        const r = await rows(site.siteId);
        return r[0]?.provider_id ? r : undefined;
      },
      5000,
      'recorded',
    );
    await drained();
    expect(sentTo(fam.phone)).toHaveLength(1);
    expect(row!.provider_id).toBe(sentTo(fam.phone)[0]!.sid);
    expect(row!.attempts).toBe(2);
    expect(row!.status).toBe('queued');
    expect(fake.requests.some((q) => q.method === 'GET')).toBe(true);
  });

  test('the same with callbacks on: whichever learns first, Twilio holds one message and the row ends delivered', async () => {
    const { site, fams } = await families(3);
    fake.loseResponses(3);
    for (const f of fams) await checkIn(site, f.householdId, f.childIds);
    await waitFor(async () => (await rows(site.siteId)).every((r) => r.status === 'delivered'), 30_000, 'delivered');
    await drained();
    for (const f of fams) expect(sentTo(f.phone)).toHaveLength(1);
  });

  test('after SMS_MAX_ATTEMPTS transient failures the message is failed, with the reason', async () => {
    const { site, fams } = await families(1);
    const fam = fams[0]!;
    fake.setDown(true);
    // a message that has already used all but one of its tries
    const [n] = await t
      .db('notifications')
      .insert({ site_id: site.siteId, guardian_id: fam.guardianId, to: fam.phone, kind: 'page', body: 'Please come to Toddlers', attempts: MAX_ATTEMPTS - 1 })
      .returning('id');
    t.sms!.dispatcher!.kick();
    const row = await waitFor(
      async () => {
        const r = await t.db('notifications').where({ id: n.id }).first();
        return r.status === 'failed' ? r : undefined;
      },
      5000,
      'failed',
    );
    expect(row.attempts).toBe(MAX_ATTEMPTS);
    expect(row.error).toMatch(new RegExp(`gave up after ${MAX_ATTEMPTS} attempts`));
  });
});

describe('permanent errors are not retried', () => {
  test('21211 invalid number: failed after one attempt, never tried again', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }], { phone: '+13125550000' });
    const before = fake.requests.filter((q) => q.method === 'POST').length;
    await checkIn(site, fam.householdId, fam.childIds);
    const [row] = await waitFor(
      async () => {
        const r = await rows(site.siteId);
        return r[0]?.status === 'failed' ? r : undefined;
      },
      5000,
      'failed',
    );
    expect(row!.error).toMatch(/21211/);
    expect(row!.attempts).toBe(1);
    await drained(); // a failed row is never due again: the pass does not claim it
    expect((await rows(site.siteId))[0].attempts).toBe(1);
    expect(fake.requests.filter((q) => q.method === 'POST').length - before).toBe(1);
    expect(
      t.events.some(
        (e) => e.name === 'notification.updated' && e.payload.id === row!.id && e.payload.status === 'failed' && /21211/.test(e.payload.error ?? ''),
      ),
    ).toBe(true);
  });

  test('21610 unsubscribed at Twilio: failed, not retried, and the guardian is recorded as opted out (audited)', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    fake.unsubscribe(fam.phone);
    await checkIn(site, fam.householdId, fam.childIds);
    const [row] = await waitFor(
      async () => {
        const r = await rows(site.siteId);
        return r[0]?.status === 'failed' ? r : undefined;
      },
      5000,
      'failed',
    );
    expect(row!.error).toMatch(/21610/);
    await drained();
    expect((await rows(site.siteId))[0].attempts).toBe(1);
    expect((await t.db('guardians').where({ id: fam.guardianId }).first()).sms_opted_out_at).not.toBeNull();
    const audit = await t.db('audit_log').where({ entity: 'guardian', entity_id: fam.guardianId, action: 'guardian.sms_opt_out' });
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_kind).toBe('system');
  });

  test('a guardian who opted out after the message was queued gets nothing: failed without calling Twilio', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    await t.db('guardians').where({ id: fam.guardianId }).update({ sms_opted_out_at: new Date() });
    const [n] = await t
      .db('notifications')
      .insert({ site_id: site.siteId, guardian_id: fam.guardianId, to: fam.phone, kind: 'page', body: 'Please come to Toddlers' })
      .returning('id');
    t.sms!.dispatcher!.kick();
    const row = await waitFor(
      async () => {
        const r = await t.db('notifications').where({ id: n.id }).first();
        return r.status === 'failed' ? r : undefined;
      },
      5000,
      'failed',
    );
    expect(row.error).toMatch(/opted out/);
    expect(sentTo(fam.phone)).toHaveLength(0);
  });
});
