/**
 * The check-in path as tuned for throughput (few round trips, overflow rooms locked in a second
 * step, the audit row and SMS receipt written by the insert's own statement under the locks)
 * keeps every promise under contention: no room past its limit, one receipt per guardian naming
 * exactly the rooms the children got, one family batch (code and pass) per household and day, one
 * audit row per request matching the check-ins, replays that answer the same, and staff moves into
 * the overflow room running alongside without deadlocks.
 */
import crypto from 'node:crypto';
import { buildHousehold, buildSite, kioskToken, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolMax: 30 });
});
afterAll(async () => {
  await t.stop();
});

const checkIn = (site: BuiltSite, householdId: string, childIds: string[], idempotencyKey: string, token: string) =>
  t.api().post('/api/checkins').set(bearer(token)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey });

test('120 sibling pairs at once into small rooms with an overflow: limits hold, receipts, passes and audit match what was admitted', async () => {
  const site = await buildSite(t.db, {
    rooms: [
      { name: 'Toddlers A', ageGroup: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 7, sortOrder: 1 },
      { name: 'Toddlers B', ageGroup: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 6, sortOrder: 2 },
      { name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 9, sortOrder: 3 },
      { name: 'Overflow', kind: 'overflow', minAgeMonths: 12, maxAgeMonths: 71, capacity: 5, sortOrder: 9 },
    ],
    settings: { strategy: 'balance' },
  });
  const kiosks = [site.tokens.kiosk, ...(await Promise.all(Array.from({ length: 7 }, () => kioskToken(t.db, site.siteId))))];
  const fams = await Promise.all(
    Array.from({ length: 120 }, (_, i) =>
      buildHousehold(
        t.db,
        site.siteId,
        i % 3 === 0
          ? [
              { firstName: 'Ann', months: 20 },
              { firstName: 'Bo', months: 48 },
            ]
          : [
              { firstName: 'Cy', months: 24 + (i % 8) },
              { firstName: 'Di', months: 30 },
            ],
      ),
    ),
  );
  const keys = fams.map(() => crypto.randomUUID());
  const results = await Promise.all(fams.map((f, i) => checkIn(site, f.householdId, f.childIds, keys[i]!, kiosks[i % kiosks.length]!)));
  expect(results.filter((r) => r.status !== 201).map((r) => [r.status, r.body])).toEqual([]);

  // no room past its capacity, and every seat that could be used was used
  const rooms = await t
    .db('service_rooms as sr')
    .join('rooms as r', 'r.id', 'sr.room_id')
    .where('sr.service_id', site.serviceId)
    .select('r.id', 'r.name', 'sr.capacity');
  const counts = new Map(
    (
      await t
        .db('checkins')
        .where({ service_id: site.serviceId, status: 'checked_in' })
        .select('room_id')
        .count<{ room_id: string; n: number }[]>('* as n')
        .groupBy('room_id')
    ).map((r) => [r.room_id, Number(r.n)]),
  );
  for (const r of rooms) expect(counts.get(r.id) ?? 0).toBe(r.capacity);
  const admittedTotal = results.reduce((n, r) => n + r.body.checkins.length, 0);
  expect(admittedTotal).toBe(7 + 6 + 9 + 5);

  const batches = results.map((r) => r.body.batchId as string);
  const receipts = await t.db('notifications').whereIn('batch_id', batches).where({ kind: 'checkin_receipt' }).select('batch_id', 'body');
  const passes = new Set((await t.db('pickup_passes').whereIn('batch_id', batches).pluck('batch_id')) as string[]);
  const audits = await t.db('audit_log').whereIn('entity_id', batches).where({ action: 'checkin.create' }).select('entity_id', 'details');
  for (const r of results) {
    const b = r.body;
    const mine = receipts.filter((x) => x.batch_id === b.batchId);
    if (b.checkins.length === 0) {
      expect(mine).toEqual([]);
      // the family's batch keeps its code for the day, but nobody is in it and the answer gives none out
      expect(await t.db('checkins').where({ batch_id: b.batchId })).toEqual([]);
      expect(b.pickupUrl).toBeNull();
      expect(b.securityCode).toBeNull();
    } else {
      expect(mine).toHaveLength(1); // one guardian, one receipt
      for (const c of b.checkins) expect(mine[0]!.body).toContain(`${c.firstName} (${c.roomName})`);
      expect(mine[0]!.body).toContain(b.securityCode);
      expect(passes.has(b.batchId)).toBe(true);
    }
    const audit = audits.filter((a) => a.entity_id === b.batchId);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details.admitted.map((a: { checkinId: string }) => a.checkinId).sort()).toEqual(b.checkins.map((c: { id: string }) => c.id).sort());
    expect(audit[0]!.details.refused.map((x: { childId: string; reason: string }) => `${x.childId}:${x.reason}`).sort()).toEqual(
      b.refused.map((x: { childId: string; reason: string }) => `${x.childId}:${x.reason}`).sort(),
    );
    expect(b.checkins.length + b.refused.length).toBe(2);
  }

  // a replay of any of them answers the same and creates nothing
  const before = await t.db('checkins').where({ service_id: site.serviceId }).count<{ n: number }[]>('* as n');
  const replays = await Promise.all(fams.slice(0, 20).map((f, i) => checkIn(site, f.householdId, f.childIds, keys[i]!, kiosks[0]!)));
  for (const [i, r] of replays.entries()) {
    expect(r.status).toBe(201);
    expect(r.body.batchId).toBe(results[i]!.body.batchId);
    expect(r.body.checkins.map((c: { id: string }) => c.id).sort()).toEqual(results[i]!.body.checkins.map((c: { id: string }) => c.id).sort());
    expect(r.body.pickupUrl).toBe(results[i]!.body.pickupUrl);
  }
  expect(await t.db('checkins').where({ service_id: site.serviceId }).count<{ n: number }[]>('* as n')).toEqual(before);
});

test('staff moving children into the overflow room while kiosks overflow into it: no deadlock, no overbooking', async () => {
  const site = await buildSite(t.db, {
    rooms: [
      { name: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 20, sortOrder: 1 },
      { name: 'Overflow', kind: 'overflow', minAgeMonths: 12, maxAgeMonths: 71, capacity: 8, sortOrder: 9 },
    ],
  });
  // 16 children already in Toddlers, to be moved while 30 more families arrive
  const seated = await Promise.all(Array.from({ length: 16 }, () => buildHousehold(t.db, site.siteId, [{ months: 24 }])));
  const first = await Promise.all(seated.map((f) => checkIn(site, f.householdId, f.childIds, crypto.randomUUID(), site.tokens.kiosk)));
  expect(first.every((r) => r.status === 201 && r.body.checkins.length === 1)).toBe(true);
  const arriving = await Promise.all(Array.from({ length: 30 }, () => buildHousehold(t.db, site.siteId, [{ months: 26 }])));
  const [moves, arrivals] = await Promise.all([
    Promise.all(
      first.map((r) => t.api().post(`/api/checkins/${r.body.checkins[0].id}/move`).set(bearer(site.tokens.staff)).send({ roomId: site.rooms.Overflow })),
    ),
    Promise.all(arriving.map((f) => checkIn(site, f.householdId, f.childIds, crypto.randomUUID(), site.tokens.kiosk))),
  ]);
  expect(moves.map((m) => m.status).filter((s) => s !== 200 && s !== 409)).toEqual([]);
  expect(arrivals.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
  const counts = Object.fromEntries(
    (
      await t
        .db('checkins')
        .where({ service_id: site.serviceId, status: 'checked_in' })
        .select('room_id')
        .count<{ room_id: string; n: number }[]>('* as n')
        .groupBy('room_id')
    ).map((r) => [r.room_id, Number(r.n)]),
  );
  expect(counts[site.rooms.Toddlers!]).toBe(20);
  expect(counts[site.rooms.Overflow!]).toBe(8);
  const admitted = arrivals.filter((a) => a.body.checkins.length === 1).length;
  expect(16 + admitted).toBe(28);
});

test('one family sent by ten kiosks at once (different keys, different children): each child is checked in once, receipts and audit rows name exactly what each batch got', async () => {
  const site = await buildSite(t.db);
  const kiosks = [site.tokens.kiosk, ...(await Promise.all(Array.from({ length: 9 }, () => kioskToken(t.db, site.siteId))))];
  for (let round = 0; round < 5; round++) {
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Eve', months: 24 },
      { firstName: 'Fay', months: 48 },
    ]);
    // some kiosks send both children, some one of them: a kiosk can lose one child to another mid-way
    const subsets = [fam.childIds, [fam.childIds[0]!], [fam.childIds[1]!]];
    const results = await Promise.all(kiosks.map((k, i) => checkIn(site, fam.householdId, subsets[(i + round) % 3]!, crypto.randomUUID(), k)));
    // a kiosk that would add a child to the day the family already started, without proof, is
    // refused and given nothing (DESIGN §16); every other answer is a check-in
    const refusedForProof = results.filter((r) => r.status === 403);
    for (const r of refusedForProof) expect(r.body.error.code).toBe('proof_required');
    const answered = results.filter((r) => r.status === 201);
    expect(answered.length + refusedForProof.length).toBe(kiosks.length);
    const admitted = answered.flatMap((r) => r.body.checkins.map((c: { childId: string }) => c.childId));
    expect(new Set(admitted).size).toBe(admitted.length); // no child twice
    // the children a refusal left out come in with the family's code, shown by the parent
    const code = answered.map((r) => r.body.securityCode).find(Boolean) as string;
    const rest = fam.childIds.filter((id) => !admitted.includes(id));
    if (rest.length) {
      const more = await t
        .api()
        .post('/api/checkins')
        .set(bearer(kiosks[round]!))
        .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: rest, idempotencyKey: crypto.randomUUID(), proof: code });
      expect(more.status).toBe(201);
      answered.push(more);
      admitted.push(...more.body.checkins.map((c: { childId: string }) => c.childId));
    }
    expect(admitted.sort()).toEqual([...fam.childIds].sort()); // each child exactly once
    for (const r of answered) for (const x of r.body.refused) expect(x.reason).toBe('already_checked_in');
    // one family, one code: every request joined the same batch, and every code given out is the same
    const batches = new Set(answered.map((r) => r.body.batchId as string));
    expect(batches.size).toBe(1);
    const [batchId] = [...batches];
    expect(new Set(answered.map((r) => r.body.securityCode).filter(Boolean)).size).toBe(1);
    const receipts = (await t.db('notifications').where({ batch_id: batchId, kind: 'checkin_receipt' }).select('body')).map((x) => x.body as string);
    const withChildren = answered.filter((r) => r.body.checkins.length > 0);
    expect(receipts).toHaveLength(withChildren.length);
    for (const r of withChildren) {
      const body = receipts.find((x) => r.body.checkins.every((c: { firstName: string; roomName: string }) => x.includes(`${c.firstName} (${c.roomName})`)));
      expect(body).toBeDefined();
      // a child refused to this request is not named in its receipt
      for (const x of r.body.refused) expect(body).not.toContain(`${fam.childIds.indexOf(x.childId) === 0 ? 'Eve' : 'Fay'} (`);
    }
    const audits = await t.db('audit_log').where({ entity_id: batchId, action: 'checkin.create' }).select('entity_id', 'details');
    expect(audits).toHaveLength(answered.length);
    for (const r of answered) {
      const a = audits.find((x) => x.details.requestId === r.body.requestId)!;
      expect(a.details.admitted.map((x: { childId: string }) => x.childId).sort()).toEqual(r.body.checkins.map((c: { childId: string }) => c.childId).sort());
      expect(a.details.refused.map((x: { childId: string }) => x.childId).sort()).toEqual(r.body.refused.map((x: { childId: string }) => x.childId).sort());
    }
  }
});
