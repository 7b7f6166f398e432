import path from 'node:path';
import type { Knex } from 'knex';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../migrations');

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = await db.migrate.latest({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] });
  return applied as string[];
}
export async function migrateRollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] }, true);
}
