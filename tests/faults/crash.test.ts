/**
 * Crash safety: a real server process is SIGKILLed while ten kiosks check families in, then
 * started again; the kiosks retry with their idempotency keys. Every acknowledged check-in is
 * there with the same answer, nothing is duplicated, no room passes its capacity, and each
 * family's receipt SMS goes out exactly once.
 */
import { buildHousehold, buildSite, key, kioskToken, type BuiltHousehold } from '../support/factories';
import { serverSuite } from '../support/server-suite';

jest.setTimeout(120_000);
const CAPACITY = 40;
const suite = serverSuite('crash', { firstPort: 3180, secret: 'crash-test-secret-crash-test-secret-0123', twilio: true });
const startServer = () => suite.start({ SMS_SEND_TIMEOUT_MS: '1000', SMS_RETRY_BASE_MS: '100', SMS_RETRY_MAX_MS: '500' }, 60_000);

interface Attempt {
  fam: BuiltHousehold;
  kiosk: string;
  key: string;
  acked?: any;
}

async function send(a: Attempt, serviceId: string): Promise<any | undefined> {
  try {
    const r = await fetch(`${suite.base}/api/checkins`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${a.kiosk}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ serviceId, householdId: a.fam.householdId, childIds: a.fam.childIds, idempotencyKey: a.key }),
      signal: AbortSignal.timeout(10_000),
    });
    if (r.status !== 201) return undefined;
    return await r.json();
  } catch {
    return undefined;
  } // the server died under us: the kiosk will retry
}

test('SIGKILL under load: acknowledged check-ins survive, retries duplicate nothing, capacity holds, SMS once each', async () => {
  const site = await buildSite(suite.db, { rooms: [{ name: 'Toddlers', minAgeMonths: 0, maxAgeMonths: 71, capacity: CAPACITY }] });
  const kiosks = [site.tokens.kiosk, ...(await Promise.all(Array.from({ length: 9 }, () => kioskToken(suite.db, site.siteId))))];
  const fams = await Promise.all(
    Array.from({ length: 60 }, (_, i) => buildHousehold(suite.db, site.siteId, i % 3 === 0 ? [{ months: 20 }, { months: 30 }] : [{ months: 24 }])),
  );
  const attempts: Attempt[] = fams.map((fam, i) => ({ fam, kiosk: kiosks[i % 10]!, key: key() }));

  let server = await startServer();
  // ten kiosks, each working through its own families; the server is killed part-way
  let acked = 0;
  const killAt = 15;
  let killed: Promise<void> | undefined;
  await Promise.all(
    kiosks.map(async (_k, lane) => {
      for (const a of attempts.filter((_x, i) => i % 10 === lane)) {
        const body = await send(a, site.serviceId);
        if (body) {
          a.acked = body;
          acked++;
        }
        if (acked >= killAt && !killed) killed = server.kill('SIGKILL');
      }
    }),
  );
  await killed;
  const ackedBefore = attempts.filter((a) => a.acked).map((a) => ({ key: a.key, body: a.acked }));
  expect(ackedBefore.length).toBeGreaterThanOrEqual(killAt);
  expect(ackedBefore.length).toBeLessThan(attempts.length); // the kill really interrupted the load

  server = await startServer();
  // every kiosk retries everything it has not heard back about, and re-asks what it has
  for (const a of attempts) {
    const again = await send(a, site.serviceId);
    expect(again).toBeDefined();
    if (a.acked) expect(again).toEqual(a.acked);
    a.acked = again;
  }

  const rows = await suite.db('checkins').where({ service_id: site.serviceId }).select('id', 'child_id', 'batch_id', 'status');
  const children = rows.map((r) => r.child_id);
  expect(new Set(children).size).toBe(children.length); // nobody checked in twice
  expect(rows.length).toBe(CAPACITY); // 80 children wanted in, the room holds 40
  for (const { key: k, body } of ackedBefore) {
    for (const c of body.checkins) expect(rows.find((r) => r.id === c.id)).toEqual(expect.objectContaining({ child_id: c.childId, batch_id: body.batchId }));
    expect(attempts.find((a) => a.key === k)!.acked.batchId).toBe(body.batchId);
  }
  const batches = await suite.db('checkin_batches').where({ service_id: site.serviceId }).count('* as n');
  expect(Number(batches[0]!.n)).toBe(attempts.length);

  // each admitted family's receipt goes out exactly once, after the restart too
  const admitted = attempts.filter((a) => a.acked.checkins.length > 0);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && admitted.some((a) => !suite.fake.messages.some((m) => m.to === a.fam.phone))) await new Promise((r) => setTimeout(r, 200));
  // no duplicate can follow: every receipt's outcome is recorded (none pending or sending, which alone a dispatcher sends)
  const unsettled = () => suite.db('notifications').where({ site_id: site.siteId }).whereIn('status', ['pending', 'sending']);
  while (Date.now() < deadline && (await unsettled()).length) await new Promise((r) => setTimeout(r, 200));
  expect(await unsettled()).toEqual([]);
  for (const a of admitted) {
    const sent = suite.fake.messages.filter((m) => m.to === a.fam.phone);
    expect({ family: a.fam.phone, sent: sent.length }).toEqual({ family: a.fam.phone, sent: 1 });
    expect(sent[0]!.body).toContain(a.acked.securityCode);
  }
  const refusedOnly = attempts.filter((a) => a.acked.checkins.length === 0);
  for (const a of refusedOnly) expect(suite.fake.messages.some((m) => m.to === a.fam.phone)).toBe(false);
});
