/**
 * The hourly schedule top-up of one campus, run on its own as a separate process would (the test
 * starts it under a far-from-UTC TZ): `tsx tests/support/tz-topup.ts DATABASE_URL SITE_ID NOW`.
 * Prints one JSON line: how many services it made and the process's own zone and offset.
 */
import { createDb } from '../../server/src/db/knex';
import { withTransaction } from '../../server/src/db/transaction';
import { generateForSite } from '../../server/src/admin/schedules.service';

async function main() {
  const [url, siteId, now] = process.argv.slice(2);
  const db = createDb(url!, 2);
  try {
    const made = await withTransaction(
      db,
      () => {},
      (tx) => generateForSite(tx, siteId!, new Date(now!)),
    );
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    console.log(`TOPUP ${JSON.stringify({ made, zone, offsetMinutes: -new Date(now!).getTimezoneOffset() })}`);
  } finally {
    await db.destroy();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
