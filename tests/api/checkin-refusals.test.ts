/**
 * A full room's refusal as cheap as an admission (DESIGN §9, issue #33): what a check-in costs in
 * round trips, and a refusal of a plainly full room decided without queueing on the room's lock —
 * each refusal still audited, the room-full alert raised once, and never an overbooking.
 */
import { buildHousehold, buildSite, key, kioskToken, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolMax: 30 });
});
afterAll(async () => {
  await t.stop();
});

const TODDLERS = (capacity: number) => [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity }];
const checkIn = (site: BuiltSite, householdId: string, childIds: string[], token = site.tokens.kiosk) =>
  t.api().post('/api/checkins').set(bearer(token)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });

/** The statements the app's pool sends while `run` runs (one per round trip; BEGIN and COMMIT included). */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listen = (q: { sql: string }) => seen.push(q.sql.replace(/\s+/g, ' ').slice(0, 60));
  t.db.on('query', listen);
  try {
    await run();
  } finally {
    t.db.off('query', listen);
  }
  return seen;
}

describe('round trips per check-in', () => {
  test('an admission takes six round trips inside its transaction (seven with the webhook lookup), a refusal of a plainly full room five and no room lock', async () => {
    // a room with space (no alert to raise), and a room of one that is full
    const roomy = await buildSite(t.db, { rooms: TODDLERS(30) });
    const site = await buildSite(t.db, { rooms: TODDLERS(1) });
    const a = await buildHousehold(t.db, roomy.siteId, [{ months: 24 }]);
    const [b, c, d] = await Promise.all([1, 2, 3].map(() => buildHousehold(t.db, site.siteId, [{ months: 24 }])));
    // kiosk authentication touches last_seen_at at most once a minute, off the request path: not counted
    const inTx = (xs: string[]) => xs.slice(xs.indexOf('BEGIN;'), xs.lastIndexOf('COMMIT;') + 1);
    const admitted = inTx(await statementsOf(async () => expect((await checkIn(roomy, a.householdId, a.childIds)).body.checkins).toHaveLength(1)));
    expect((await checkIn(site, b!.householdId, b!.childIds)).body.checkins).toHaveLength(1);
    // the first refusal raises the room-full alert (under the room's lock: at most once per condition)
    const first = inTx(await statementsOf(async () => expect((await checkIn(site, c!.householdId, c!.childIds)).body.refused[0].reason).toBe('room_full')));
    const later = inTx(await statementsOf(async () => expect((await checkIn(site, d!.householdId, d!.childIds)).body.refused[0].reason).toBe('room_full')));
    // printed for the report: what each path sends
    console.log(JSON.stringify({ admitted, first, later }, null, 1));
    const isRoomLock = (s: string) => /FROM rooms .*FOR UPDATE|SELECT id FROM rooms/i.test(s);
    // BEGIN, context, the family's day, lock and recount, insert, [webhook subscriptions,] COMMIT
    expect(admitted.filter((s) => !/webhook_endpoints|SELECT e\.id, e\.organization_id/.test(s)).length).toBeLessThanOrEqual(6);
    expect(admitted.filter(isRoomLock)).toHaveLength(1);
    // BEGIN, context, the family's day, lock and recount, insert, raise the alert, webhook subscriptions (alert.raised), COMMIT
    expect(first.length).toBeLessThanOrEqual(8);
    // BEGIN, context, the family's day, insert (audit), COMMIT: no lock
    expect(later.length).toBeLessThanOrEqual(5);
    expect(later.filter(isRoomLock)).toEqual([]);
  });
});

describe('a returning family', () => {
  test("joins its day in the room lock's round trip: five round trips inside the transaction (six with the webhook lookup); a key with quotes is kept as sent and replays", async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS(30) });
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }, { months: 26 }]);
    const post = (childIds: string[], idempotencyKey: string) =>
      t.api().post('/api/checkins').set(bearer(site.tokens.staff)).send({ serviceId: site.serviceId, householdId: fam.householdId, childIds, idempotencyKey });
    const first = await post([fam.childIds[0]!], key());
    expect(first.body.checkins).toHaveLength(1);
    const odd = `it's; a \\ key -- ${key()}`;
    let second: Awaited<ReturnType<typeof post>> | undefined;
    const sent = await statementsOf(async () => {
      second = await post([fam.childIds[1]!], odd);
    });
    expect(second!.status).toBe(201);
    expect(second!.body).toMatchObject({ joined: true, securityCode: first.body.securityCode, batchId: first.body.batchId });
    const inTx = sent.slice(sent.indexOf('BEGIN;'), sent.lastIndexOf('COMMIT;') + 1);
    console.log(JSON.stringify({ returning: inTx }, null, 1));
    // BEGIN, context, join + lock and recount, insert, [webhook subscriptions,] COMMIT
    expect(inTx.filter((x) => !/SELECT e\.id, e\.organization_id/.test(x)).length).toBeLessThanOrEqual(5);
    expect(await t.db('checkin_requests').where({ idempotency_key: odd }).count('* as n')).toEqual([{ n: 1 }]);
    // the same key again: the same answer, nothing new
    const again = await post([fam.childIds[1]!], odd);
    expect(again.body.checkins.map((c: { id: string }) => c.id)).toEqual(second!.body.checkins.map((c: { id: string }) => c.id));
    expect(await t.db('checkins').where({ household_id: fam.householdId }).count('* as n')).toEqual([{ n: 2 }]);
  });
});

describe('refusals of a full room', () => {
  test('a refusal of a room that is plainly full does not wait for the room lock another transaction holds', async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS(1) });
    const fams = await Promise.all([1, 2, 3].map(() => buildHousehold(t.db, site.siteId, [{ months: 24 }])));
    expect((await checkIn(site, fams[0]!.householdId, fams[0]!.childIds)).body.checkins).toHaveLength(1);
    expect((await checkIn(site, fams[1]!.householdId, fams[1]!.childIds)).body.refused[0].reason).toBe('room_full');
    // a staff change (or a slow admission) holds the room's lock
    const holder = await t.db.transaction();
    try {
      await holder.raw('SELECT id FROM rooms WHERE id = ? FOR UPDATE', [site.rooms.Toddlers!]);
      const pid = (await holder.raw('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      let answered = false;
      const refusal = checkIn(site, fams[2]!.householdId, fams[2]!.childIds).then((r) => {
        answered = true;
        return r;
      });
      // either the refusal answers, or some backend ends up waiting behind the holder's lock (the marker of failure)
      for (;;) {
        if (answered) break;
        const blocked = await t.db.raw(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND ? = ANY(pg_blocking_pids(pid))`, [
          pid,
        ]);
        expect(blocked.rows[0].n).toBe(0);
        await new Promise((r) => setImmediate(r));
      }
      const r = await refusal;
      expect(r.status).toBe(201);
      expect(r.body.refused).toEqual([expect.objectContaining({ reason: 'room_full' })]);
    } finally {
      await holder.rollback();
    }
  });

  test('60 refusals sent at once to a full room: every one answered and audited, one room_full alert, nobody overbooked; racing for the last place never overbooks', async () => {
    const site = await buildSite(t.db, {
      rooms: [
        { name: 'Toddlers A', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 2, sortOrder: 1 },
        { name: 'Toddlers B', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 1, sortOrder: 2 },
      ],
    });
    const kiosks = [site.tokens.kiosk, ...(await Promise.all(Array.from({ length: 5 }, () => kioskToken(t.db, site.siteId))))];
    const fams = await Promise.all(Array.from({ length: 63 }, () => buildHousehold(t.db, site.siteId, [{ months: 24 }])));
    // three places, 63 families at once: exactly three admitted (some refusals race the admissions)
    const first = await Promise.all(fams.map((f, i) => checkIn(site, f.householdId, f.childIds, kiosks[i % kiosks.length])));
    expect(first.filter((r) => r.status !== 201).map((r) => [r.status, r.body])).toEqual([]);
    expect(first.filter((r) => r.body.checkins.length === 1)).toHaveLength(3);
    // then 60 refusals at once into rooms that are plainly full
    const refusedFams = fams.filter((_, i) => first[i]!.body.checkins.length === 0);
    const again = await Promise.all(refusedFams.map((f, i) => checkIn(site, f.householdId, f.childIds, kiosks[i % kiosks.length])));
    expect(again.filter((r) => r.status !== 201).map((r) => [r.status, r.body])).toEqual([]);
    for (const r of [...first.filter((x) => x.body.checkins.length === 0), ...again]) {
      expect(r.body.checkins).toEqual([]);
      expect(r.body.securityCode).toBeNull();
      expect(r.body.refused).toEqual([expect.objectContaining({ reason: 'room_full' })]);
    }
    const occupancy = await t.db('checkins').where({ service_id: site.serviceId, status: 'checked_in' }).select('room_id');
    expect(occupancy.filter((c) => c.room_id === site.rooms['Toddlers A']).length).toBe(2);
    expect(occupancy.filter((c) => c.room_id === site.rooms['Toddlers B']).length).toBe(1);
    // one standing room_full alert for the age group, however many were turned away
    const alerts = await t.db('alerts').where({ service_id: site.serviceId, kind: 'room_full' });
    expect(alerts.map((a) => [a.age_group, a.cleared_at])).toEqual([['Toddlers', null]]);
    // every request left its audit row naming its refusal (123 requests: 3 admissions, 120 refusals)
    const audits = await t.db('audit_log').where({ site_id: site.siteId, action: 'checkin.create' }).select('details');
    expect(audits).toHaveLength(123);
    const refusedRows = audits.filter((a) => a.details.refused.length === 1);
    expect(refusedRows).toHaveLength(120);
    for (const a of refusedRows) expect(a.details.refused[0]).toEqual(expect.objectContaining({ reason: 'room_full' }));
  });
});
