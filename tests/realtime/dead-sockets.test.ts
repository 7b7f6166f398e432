/**
 * A dead session has no socket: a socket ends within a few seconds when the session behind it is
 * revoked or expires by any path (here: straight in the database, behind the server's back), when
 * its kiosk is unpaired in the database, and at once when its kiosk is paired again on another
 * tablet. The sweep runs in every instance over that instance's own sockets.
 */
import type { Socket } from 'socket.io-client';
import { sha256 } from '../../server/src/auth/crypto';
import { sweepDeadSockets } from '../../server/src/realtime/socket';
import { buildSite, sessionFor } from '../support/factories';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';

const SWEEP_MS = 250;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { SOCKET_SWEEP_MS: String(SWEEP_MS) } });
});
afterAll(async () => {
  await t.stop();
});

const disconnected = (s: Socket<any, any>, ms = 5000) =>
  new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    s.once('disconnect', (reason: string) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
const pong = (s: Socket<any, any>) => new Promise((resolve) => s.emit('ping', resolve));

test('a session revoked in the database loses its socket within seconds (session.ended first); another sign-in stays', async () => {
  const site = await buildSite(t.db);
  const otherToken = await sessionFor(t.db, site.userIds.staff);
  const doomed = t.socket(site.tokens.staff);
  const other = t.socket(otherToken);
  await Promise.all([connected(doomed), connected(other)]);
  const ended = nextEvent<{ reason: string }>(doomed, 'session.ended', 5000);
  const gone = disconnected(doomed);
  const started = Date.now();
  await t
    .db('sessions')
    .where({ token_hash: sha256(site.tokens.staff) })
    .update({ revoked_at: t.db.fn.now() });
  expect((await ended).reason).toBe('revoked');
  expect(await gone).toBe('io server disconnect');
  expect(Date.now() - started).toBeLessThan(SWEEP_MS * 8);
  // the sweep that ended it had the other sign-in in view and left it alone
  expect(other.connected).toBe(true);
  expect(await pong(other)).toMatchObject({ ok: true });
});

test('a session expired in the database loses its socket', async () => {
  const site = await buildSite(t.db);
  const s = t.socket(site.tokens.volunteer);
  await connected(s);
  const ended = nextEvent<{ reason: string }>(s, 'session.ended', 5000);
  const gone = disconnected(s);
  await t
    .db('sessions')
    .where({ token_hash: sha256(site.tokens.volunteer) })
    .update({ expires_at: new Date(Date.now() - 1000) });
  expect((await ended).reason).toBe('expired');
  expect(await gone).toBe('io server disconnect');
});

test('a kiosk revoked in the database loses its socket', async () => {
  const site = await buildSite(t.db);
  const s = t.socket(site.tokens.kiosk);
  await connected(s);
  const status = nextEvent<{ kind: string }>(s, 'kiosk.status', 5000);
  const gone = disconnected(s);
  await t.db('kiosks').where({ id: site.kioskId }).update({ token_hash: null, revoked_at: t.db.fn.now() });
  expect((await status).kind).toBe('revoked');
  expect(await gone).toBe('io server disconnect');
});

test('a sweep ends nothing alive', async () => {
  const site = await buildSite(t.db);
  const sockets = [t.socket(site.tokens.kiosk), t.socket(site.tokens.admin)];
  await Promise.all(sockets.map((s) => connected(s)));
  await sweepDeadSockets(t.io, t.db);
  expect(sockets.map((s) => s.connected)).toEqual([true, true]);
});

describe('re-pairing', () => {
  // no sweep here: re-pairing must end the old tablet's socket by itself, at once
  let quiet: TestApp;
  beforeAll(async () => {
    quiet = await startTestApp({ db: t.db, env: { SOCKET_SWEEP_MS: '0' } });
  });
  afterAll(async () => {
    await quiet.stop();
  });

  test("pairing again ends the old tablet's socket and token; the new tablet stays connected", async () => {
    const site = await buildSite(quiet.db);
    const oldTablet = quiet.socket(site.tokens.kiosk);
    await connected(oldTablet);
    const code = await quiet.api().post(`/api/kiosks/${site.kioskId}/pairing-code`).set(bearer(site.tokens.admin));
    expect(code.status).toBe(200);
    // a code alone changes nothing: the old tablet works until the code is used
    expect((await quiet.api().get('/api/kiosk/me').set(bearer(site.tokens.kiosk))).status).toBe(200);
    expect(oldTablet.connected).toBe(true);
    const status = nextEvent<{ kind: string }>(oldTablet, 'kiosk.status');
    const gone = disconnected(oldTablet, 3000);
    const paired = await quiet.api().post('/api/kiosks/pair').send({ pairingCode: code.body.pairingCode });
    expect(paired.status).toBe(200);
    expect((await status).kind).toBe('revoked');
    expect(await gone).toBe('io server disconnect');
    expect((await quiet.api().get('/api/kiosk/me').set(bearer(site.tokens.kiosk))).status).toBe(401);
    await expect(connected(quiet.socket(site.tokens.kiosk))).rejects.toThrow('unauthorized');
    const newTablet = quiet.socket(paired.body.token);
    await connected(newTablet);
    // a sweep (run here by hand) keeps the new pairing's socket
    expect(await sweepDeadSockets(quiet.io, quiet.db)).toBe(0);
    expect(await pong(newTablet)).toMatchObject({ ok: true });
  });
});

test('every instance ends its own sockets of a revoked session (two servers on one database)', async () => {
  const second = await startTestApp({ db: t.db, env: { SOCKET_SWEEP_MS: String(SWEEP_MS) } });
  try {
    const site = await buildSite(t.db);
    const a = t.socket(site.tokens.staff);
    const b = second.socket(site.tokens.staff);
    await Promise.all([connected(a), connected(b)]);
    const gone = Promise.all([disconnected(a), disconnected(b)]);
    await t
      .db('sessions')
      .where({ token_hash: sha256(site.tokens.staff) })
      .update({ revoked_at: t.db.fn.now() });
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
  } finally {
    await second.stop();
  }
});
