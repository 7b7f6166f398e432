/**
 * Scale-out (DESIGN §6, issue 7): two real server processes on one database with
 * SOCKET_ADAPTER=postgres. An event committed on one instance reaches staff sockets on the
 * other; 200 simultaneous check-ins split across both into a room of 10 admit exactly 10; the
 * capacity alerts they cause are raised once, not once per instance.
 */
import crypto from 'node:crypto';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { Knex } from 'knex';
import { createDb } from '../../server/src/db/knex';
import { portFree } from '../../server/src/db/embedded';
import { isolatedDatabaseUrl } from '../support/db';
import { startServer, type ServerProc } from '../support/processes';
import { buildHousehold, buildSite, kioskToken, key, type BuiltSite } from '../support/factories';
import type { CheckinCreatedEvent } from '../../contracts';

type Instance = ServerProc & { name: string };

async function freePort(from: number): Promise<number> {
  for (let p = from; p < 3800; p++) if (await portFree(p)) return p;
  throw new Error('no free port in 3710–3799');
}

async function startInstance(name: string, databaseUrl: string, port: number): Promise<Instance> {
  const server = await startServer(
    {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      SOCKET_ADAPTER: 'postgres',
      DEMO_SEED: 'false',
      SERVE_UI: 'false',
      SMS_DISPATCH: 'false',
      APP_SECRET: 'scale-test-secret-scale-test-secret-0123',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DB_POOL_MAX: '10',
    },
    25_000,
  );
  return { ...server, name };
}

function connect(url: string, token: string): Promise<Socket> {
  const s = ioClient(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`socket to ${url} did not connect`)), 5000);
    s.once('connect', () => {
      clearTimeout(t);
      resolve(s);
    });
    s.once('connect_error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

const post = (url: string, token: string, body: unknown) =>
  fetch(`${url}/api/checkins`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { checkins: { id: string }[]; refused: { reason: string }[] } }));

let markers = 0;
/**
 * A room change made through instance A, waited for on every socket: events committed before it
 * have been delivered by then (NOTIFY hands them over in commit order, one connection keeps its
 * order). `retry`: repeat it until heard, for a fresh instance whose LISTEN may not be up yet.
 */
async function marker(site: BuiltSite, on: Socket[], retry = false) {
  for (const until = Date.now() + 10_000; ;) {
    const volunteers = 50 + (++markers % 50);
    const heard = on.map(
      (s) =>
        new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), retry ? 500 : 5000);
          s.on('room.updated', function mine(e: { room: { id: string; volunteers: number } }) {
            if (e.room.id !== site.rooms.Toddlers || e.room.volunteers !== volunteers) return;
            clearTimeout(timer);
            s.off('room.updated', mine);
            resolve(true);
          });
        }),
    );
    const r = await fetch(`${a.url}/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${site.tokens.admin}` },
      body: JSON.stringify({ volunteers, reason: 'marker for the sockets' }),
    });
    expect(r.status).toBe(200);
    if ((await Promise.all(heard)).every(Boolean)) return;
    if (!retry || Date.now() > until) throw new Error('the marker room.updated did not reach every socket');
  }
}

let db: Knex;
let a: Instance;
let b: Instance;
const sockets: Socket[] = [];

beforeAll(async () => {
  const url = await isolatedDatabaseUrl('scale');
  db = createDb(url, 5);
  const pa = await freePort(3710);
  const pb = await freePort(pa + 1);
  [a, b] = await Promise.all([startInstance('A', url, pa), startInstance('B', url, pb)]);
}, 30_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all([a, b].filter(Boolean).map((i) => i.kill('SIGTERM')));
  await db?.destroy();
});

/** Waits until `check` holds, polling (events cross instances through PostgreSQL NOTIFY). */
async function eventually(check: () => boolean, ms: number, what: string) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('two server instances on one database', () => {
  test('a check-in through instance A reaches a staff socket on instance B (and on A)', async () => {
    const site = await buildSite(db);
    const fam = await buildHousehold(db, site.siteId, [{ months: 24 }]);
    const onB = await connect(b.url, site.tokens.staff);
    const onA = await connect(a.url, site.tokens.admin);
    const gotB: CheckinCreatedEvent[] = [];
    const gotA: CheckinCreatedEvent[] = [];
    onB.on('checkin.created', (e: CheckinCreatedEvent) => gotB.push(e));
    onA.on('checkin.created', (e: CheckinCreatedEvent) => gotA.push(e));
    // the adapter's LISTEN is set up as the instance starts: a change through A heard on B says it is up
    await marker(site, [onB, onA], true);
    const r = await post(a.url, site.tokens.kiosk, { serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(r.status).toBe(201);
    await eventually(() => gotB.length > 0 && gotA.length > 0, 5000, 'checkin.created on both instances');
    expect(gotB[0]!.checkins[0]!.childId).toBe(fam.childIds[0]);
    expect(gotB[0]!.checkins[0]!.id).toBe(r.body.checkins[0]!.id);
    await marker(site, [onB, onA]);
    expect(gotB).toHaveLength(1); // delivered once, not once per instance
    expect(gotA).toHaveLength(1);
  });

  test('200 simultaneous check-ins split across both instances into a room of 10 admit exactly 10; alerts are raised once', async () => {
    const site: BuiltSite = await buildSite(db, {
      rooms: [{ name: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 47, capacity: 10, ratio: null, volunteers: 2 }],
    });
    const kiosks = [site.tokens.kiosk, ...(await Promise.all(Array.from({ length: 7 }, () => kioskToken(db, site.siteId))))];
    const fams = await Promise.all(Array.from({ length: 200 }, () => buildHousehold(db, site.siteId, [{ months: 24 }])));
    const watcher = await connect(b.url, site.tokens.staff);
    const created: CheckinCreatedEvent[] = [];
    const raised: { kind: string; ageGroup: string }[] = [];
    watcher.on('checkin.created', (e: CheckinCreatedEvent) => created.push(e));
    watcher.on('alert.raised', (e: { kind: string; ageGroup: string }) => raised.push(e));

    const results = await Promise.all(
      fams.map((f, i) =>
        post(i % 2 ? b.url : a.url, kiosks[i % kiosks.length]!, {
          serviceId: site.serviceId,
          householdId: f.householdId,
          childIds: f.childIds,
          idempotencyKey: crypto.randomUUID(),
        }),
      ),
    );
    expect(results.filter((r) => r.status !== 201).map((r) => r.status)).toEqual([]);
    const admitted = results.filter((r) => r.body.checkins.length === 1);
    expect(admitted).toHaveLength(10);
    expect(results.flatMap((r) => r.body.refused).every((x) => x.reason === 'room_full')).toBe(true);
    const [row] = await db('checkins').where({ service_id: site.serviceId, status: 'checked_in' }).count<{ n: number }[]>('* as n');
    expect(Number(row?.n)).toBe(10);

    // every committed check-in, from either instance, reached the socket on B exactly once
    await eventually(() => created.length >= 10, 5000, '10 checkin.created events on B');
    await marker(site, [watcher]);
    expect(created).toHaveLength(10);
    expect(new Set(created.map((e) => e.batchId)).size).toBe(10);

    // one standing alert per condition, however many instances judged it
    const standing = await db('alerts').where({ service_id: site.serviceId }).whereNull('cleared_at').select('kind', 'age_group');
    const perCondition = new Map<string, number>();
    for (const x of standing) perCondition.set(`${x.kind}:${x.age_group}`, (perCondition.get(`${x.kind}:${x.age_group}`) ?? 0) + 1);
    expect(Object.fromEntries(perCondition)).toEqual({ 'open_room:Toddlers': 1, 'room_full:Toddlers': 1 });
    await eventually(() => raised.length >= 2, 5000, 'alert.raised on B');
    expect(raised.map((x) => `${x.kind}:${x.ageGroup}`).sort()).toEqual(['open_room:Toddlers', 'room_full:Toddlers']);
  });
});
