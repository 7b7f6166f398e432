/**
 * A child process holding the staff sockets of the push-latency run (apart from the load
 * generator, so neither slows the other). For every checkin.created it records receipt time −
 * the event's `at` (stamped by the server inside the check-in transaction, just before COMMIT;
 * the same machine clock), so a figure is, if anything, a little longer than commit → receipt.
 *
 * Protocol over IPC: {start:{url,tokens}} → {ready:{connected,failed,ms}}; {take:true} → {samples,perSocket} (and start counting again); {stop:true} →
 * {samples:number[], perSocket:number[]}.
 */
import { io, type Socket } from 'socket.io-client';

let sockets: Socket[] = [];
let samples: number[] = [];
let counts: number[] = [];

process.on('message', async (m: { start?: { url: string; tokens: string[] }; take?: boolean; stop?: boolean }) => {
  if (m.start) {
    const t0 = Date.now();
    counts = m.start.tokens.map(() => 0);
    let failed = 0;
    sockets = m.start.tokens.map((token, i) => {
      const s = io(m.start!.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000 });
      s.on('checkin.created', (e: { at: string }) => {
        samples.push(Date.now() - Date.parse(e.at));
        counts[i]!++;
      });
      return s;
    });
    // connect in waves of the whole set; each resolves on connect or error
    await Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.connected) return resolve();
            s.once('connect', () => resolve());
            s.once('connect_error', () => {
              failed++;
              resolve();
            });
          }),
      ),
    );
    process.send!({ ready: { connected: sockets.filter((s) => s.connected).length, failed, ms: Date.now() - t0 } });
  }
  if (m.take) {
    // one push window's samples; the sockets stay connected for the next window
    process.send!({ samples, perSocket: counts });
    samples = [];
    counts = counts.map(() => 0);
  }
  if (m.stop) {
    for (const s of sockets) s.close();
    process.send!({ samples, perSocket: counts }, () => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
