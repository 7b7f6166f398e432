/**
 * The set-up every real-server-process test repeated (kill, restart, shutdown): a free port of its
 * own from `firstPort` up (a fixed one may be held by another run's server on a shared machine —
 * then every request reaches that one), an isolated database, a data directory, the local
 * Twilio-compatible server when asked; `start` runs server/src/main.ts on them. After the suite,
 * every server it started is killed and the rest closed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../../server/src/db/knex';
import { portFree } from '../../server/src/db/embedded';
import { startFakeTwilio, type FakeTwilio } from '../../server/src/dev/fake-twilio';
import { isolatedDatabaseUrl } from './db';
import { key, type BuiltHousehold, type BuiltSite } from './factories';
import { startServer, type ServerProc } from './processes';

export interface ServerSuite {
  readonly base: string;
  readonly db: Knex;
  /** the local Twilio-compatible server (only with `twilio: true`) */
  readonly fake: FakeTwilio;
  /** main.ts on this suite's port, database and data directory; `env` adds to (or overrides) the defaults */
  start(env?: Record<string, string>, ms?: number): Promise<ServerProc>;
  /** POST /api/checkins as the campus's kiosk, for the household's children, with a new idempotency key */
  checkIn(site: BuiltSite, fam: Pick<BuiltHousehold, 'householdId' | 'childIds'>): Promise<Response>;
}

export function serverSuite(label: string, o: { firstPort: number; secret: string; twilio?: boolean }): ServerSuite {
  let port = o.firstPort;
  let db: Knex | undefined;
  let dbUrl = '';
  let dataDir = '';
  let fake: FakeTwilio | undefined;
  const started: ServerProc[] = [];
  beforeAll(async () => {
    while (!(await portFree(port))) port++;
    if (o.twilio) fake = await startFakeTwilio();
    dbUrl = await isolatedDatabaseUrl(label);
    db = createDb(dbUrl, 4);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kc-${label}-`));
  });
  afterAll(async () => {
    for (const s of started) await s.kill('SIGKILL');
    await db?.destroy();
    await fake?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const base = () => `http://127.0.0.1:${port}`;
  return {
    get base() {
      return base();
    },
    get db() {
      if (!db) throw new Error('serverSuite: the database is not ready yet');
      return db;
    },
    get fake() {
      if (!fake) throw new Error('serverSuite: no Twilio-compatible server (twilio: true)');
      return fake;
    },
    async start(env = {}, ms) {
      const s = await startServer(
        {
          DATABASE_URL: dbUrl,
          DEMO_SEED: 'false',
          SERVE_UI: 'false',
          PORT: String(port),
          PUBLIC_URL: base(),
          DATA_DIR: dataDir,
          APP_SECRET: o.secret,
          LOG_LEVEL: 'warn',
          ...fake?.env(),
          ...env,
        },
        ms,
      );
      started.push(s);
      return s;
    },
    checkIn: (site, fam) =>
      fetch(`${base()}/api/checkins`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${site.tokens.kiosk}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() }),
      }),
  };
}
