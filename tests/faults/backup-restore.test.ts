/**
 * The backup and restore of README "Running it for a church", tried for real: deploy/backup.sh
 * dumps a campus's database, everything is lost, deploy/restore.sh brings every family back; a
 * damaged dump is refused before anything is dropped. pg_dump must be the server's major version
 * or newer, so on a machine whose client tools are older than the test PostgreSQL (the embedded
 * one) this file says so and skips.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Knex } from '../../server/src/db/knex';
import { adminUrl, isolatedDatabaseUrl } from '../support/db';
import { buildHousehold, buildSite } from '../support/factories';

const ROOT = path.resolve(__dirname, '../..');
function majors(): { client: number; server: number } | null {
  try {
    const client = Number(/(\d+)/.exec(execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }))![1]);
    const server = Math.floor(Number(execFileSync('psql', [adminUrl(), '-tAc', 'SHOW server_version_num'], { encoding: 'utf8' }).trim()) / 10_000);
    return { client, server };
  } catch {
    return null;
  }
}
const v = majors();
const runnable = v != null && v.client >= v.server;
if (!runnable) console.log(`backup/restore skipped: ${v ? `pg_dump ${v.client} cannot dump PostgreSQL ${v.server}` : 'no pg_dump/psql here'}`);

(runnable ? describe : describe.skip)('backup and restore (deploy/backup.sh, deploy/restore.sh)', () => {
  let url: string;
  let db: Knex;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-backup-'));
  const sh = (script: string, args: string[] = []) =>
    execFileSync('sh', [path.join(ROOT, 'deploy', script), ...args], {
      env: { ...process.env, DATABASE_URL: url, BACKUP_DIR: dir },
      encoding: 'utf8',
      stdio: 'pipe',
    });
  beforeAll(async () => {
    url = await isolatedDatabaseUrl('backup');
    db = createDb(url, 2);
  });
  afterAll(async () => {
    await db?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a dump, the database lost, the dump restored: every family, child and migration is back; a damaged dump changes nothing', async () => {
    const site = await buildSite(db);
    const fam = await buildHousehold(db, site.siteId, [{ firstName: 'Zoë', months: 30, allergies: 'Peanuts' }]);
    const count = async (table: string) => Number((await db(table).count<{ n: string }[]>('* as n'))[0]!.n);
    const before = { households: await count('households'), children: await count('children'), migrations: await count('knex_migrations') };
    expect(before.households).toBeGreaterThan(0);

    expect(sh('backup.sh', ['--once'])).toMatch(/backup: .*kidsclub-\d{8}-\d{6}\.dump \(\d+ bytes\)/);
    const [dump] = fs.readdirSync(dir).filter((f) => f.endsWith('.dump'));
    expect(dump).toBeDefined();

    // the disaster: the schema is gone
    await db.raw('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await expect(db('households').count()).rejects.toThrow(/does not exist/);

    // a damaged file is refused before anything is touched
    const bad = path.join(dir, 'damaged.dump');
    fs.writeFileSync(bad, fs.readFileSync(path.join(dir, dump!)).subarray(0, 200));
    expect(() => sh('restore.sh', [bad])).toThrow();

    expect(sh('restore.sh', [path.join(dir, dump!)])).toMatch(/restored/);
    expect({ households: await count('households'), children: await count('children'), migrations: await count('knex_migrations') }).toEqual(before);
    const child = await db('children').where({ id: fam.childIds[0] }).first();
    expect({ first: child.first_name, allergies: child.allergies }).toEqual({ first: 'Zoë', allergies: 'Peanuts' });
  });
});
