/** `npm run migrate [-- down]`: migrate DATABASE_URL (or the embedded server) up or all the way down. */
import { loadConfig } from '../config';
import { createDb } from './knex';
import { startDatabase } from './embedded';
import { migrateLatest, migrateRollbackAll } from './migrate';

async function main() {
  const config = loadConfig();
  const database = await startDatabase(config, console.log);
  const db = createDb(database.url, 2);
  try {
    if (process.argv.includes('down')) {
      await migrateRollbackAll(db);
      console.log('rolled back all migrations');
    } else console.log('applied:', await migrateLatest(db));
  } finally {
    await db.destroy();
    await database.stop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
