/**
 * The ratio under load (DESIGN §3, §13): 100 children check in at once while volunteers check in
 * to and out of the room. Replaying the committed rows in lock order (audit rows are written under
 * the room's lock, so their ids follow it), the room never holds more children than the volunteers
 * present at that commit may look after, and the maintained count equals the open shifts.
 */
import { buildHousehold, buildSite, key, sessionFor } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

jest.setTimeout(120_000);
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolMax: 30 });
});
afterAll(async () => {
  await t.stop();
});

const RATIO = 5;

test('100 check-ins at once (ten bursts) while volunteers come and go: never over the ratio of the volunteers present at any commit', async () => {
  const site = await buildSite(t.db, {
    rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 100, ratio: RATIO, volunteers: 0 }],
    settings: { ratioEnforcement: 'enforce', twoAdultRule: false },
  });
  const roomId = site.rooms.Toddlers!;
  const expiresOn = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const volunteers: { id: string; token: string }[] = [];
  for (let i = 0; i < 8; i++) {
    const [u] = await t
      .db('users')
      .insert({
        site_id: site.siteId,
        email: `storm-${i}-${key()}@test.church`,
        name: `Helper ${i}`,
        role: 'volunteer',
        password_hash: 'x',
        background_check_status: 'cleared',
        background_check_expires_on: expiresOn,
      })
      .returning('id');
    volunteers.push({ id: u.id, token: await sessionFor(t.db, u.id) });
  }
  const serve = (v: { token: string }) => t.api().post(`/api/services/${site.serviceId}/rooms/${roomId}/volunteers`).set(bearer(v.token)).send({});
  const leave = (shiftId: string, v: { token: string }) => t.api().post(`/api/volunteer-shifts/${shiftId}/checkout`).set(bearer(v.token));
  // six in the room to start with: room for 30 of the 100
  const shifts = new Map<number, string>();
  for (let i = 0; i < 6; i++) shifts.set(i, (await serve(volunteers[i]!)).body.shift.id);
  const families = await Promise.all(Array.from({ length: 100 }, () => buildHousehold(t.db, site.siteId, [{ months: 24 }])));

  // the volunteers' churn, all through the storm: the six leave one after another (every 45 ms),
  // two others arrive in between — the limit falls under the children's feet
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const churn = Promise.all([
    ...[0, 1, 2, 3, 4, 5].map(async (i) => {
      await wait(20 + 45 * i);
      return (await leave(shifts.get(i)!, volunteers[i]!)).status;
    }),
    ...[6, 7].map(async (i) => {
      await wait(60 + 120 * (i - 6));
      return (await serve(volunteers[i]!)).status;
    }),
  ]);
  // the children arrive in ten bursts of ten, 40 ms apart, so the churn lands between them in the lock queue
  const checkins = families.map(async (f, i) => {
    await wait(40 * Math.floor(i / 10));
    return t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: f.householdId, childIds: f.childIds, idempotencyKey: key() });
  });
  const [churned, answers] = await Promise.all([churn, Promise.all(checkins)]);
  expect(churned.every((s) => s === 200 || s === 201)).toBe(true);
  expect(answers.every((a) => a.status === 201)).toBe(true);
  const admitted = answers.reduce((n, a) => n + a.body.checkins.length, 0);
  expect(admitted).toBeGreaterThan(0);
  expect(admitted).toBeLessThan(100);

  // replay the committed rows in the room's lock order
  const rows = await t
    .db('audit_log')
    .where({ site_id: site.siteId })
    .whereIn('action', ['checkin.create', 'volunteer.checkin', 'volunteer.checkout'])
    .orderBy('id');
  let present = 0;
  let headcount = 0;
  const violations: string[] = [];
  for (const r of rows) {
    if (r.action === 'checkin.create') {
      const added = (r.details.admitted as { roomId: string }[]).filter((x) => x.roomId === roomId).length;
      headcount += added;
      // a volunteer leaving may leave the room short (below_ratio): a check-in must never add to it
      if (added > 0 && headcount > present * RATIO) violations.push(`audit ${r.id}: ${headcount} children with ${present} volunteers`);
    } else {
      present = r.details.volunteers;
    }
  }
  if (process.env.STORM_DEBUG)
    console.log(
      rows
        .map((r) =>
          r.action === 'checkin.create'
            ? r.details.admitted.length
              ? 'c'
              : 'x'
            : r.action === 'volunteer.checkin'
              ? `+${r.details.volunteers}`
              : `-${r.details.volunteers}`,
        )
        .join(' '),
    );
  expect(violations).toEqual([]);
  expect(headcount).toBe(admitted);
  // the maintained count is the open shifts
  const open = await t.db('volunteer_shifts').where({ room_id: roomId }).whereNull('checked_out_at').count<{ n: string }[]>('* as n');
  const sr = await t.db('service_rooms').where({ service_id: site.serviceId, room_id: roomId }).first();
  expect(sr.volunteers).toBe(Number(open[0]!.n));
  expect(sr.volunteers).toBe(present);
});
