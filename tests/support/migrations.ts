/**
 * For tests of one migration carrying data forward: the options knex's migrator needs for our
 * migrations, and the walk back down to the schema just before a given migration.
 */
import type { Knex } from 'knex';
import { MIGRATIONS_DIR } from '../../server/src/db/migrate';

export const MIGRATION_OPTS = { directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] };

/** Rolls back one migration at a time until the last applied one sorts before `before` (a timestamp or a file name without .ts). */
export async function migrateDownTo(db: Knex, before: string): Promise<void> {
  while (true) {
    const [done] = await db.migrate.list(MIGRATION_OPTS);
    const last = (done as { name: string }[])
      .map((m) => m.name.replace(/\.ts$/, ''))
      .sort()
      .pop();
    if (last === undefined || last < before) return;
    await db.migrate.down(MIGRATION_OPTS);
  }
}
