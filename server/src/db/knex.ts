import knex, { type Knex } from 'knex';
import pg from 'pg';

// DATE columns stay 'YYYY-MM-DD' strings: a birthdate has no timezone.
pg.types.setTypeParser(1082, (v: string) => v);
// bigint counts fit in a JS number here.
pg.types.setTypeParser(20, (v: string) => Number(v));

export interface DbLog {
  warn(msg: string): void;
}

export function createDb(connectionString: string, poolMax = 20, log?: DbLog): Knex {
  // knex's own pool chatter (connection refused while the database is down) goes to our
  // logger at warn level, not to stdout; callers see the failures as 503s anyway.
  const say = (m: unknown) => log?.warn(typeof m === 'string' ? m : String((m as Error)?.message ?? m));
  return knex({
    client: 'pg',
    log: { warn: say, error: say, deprecate: () => {}, debug: () => {} },
    connection: { connectionString, application_name: 'kidsclub', connectionTimeoutMillis: 5000, keepAlive: true },
    pool: {
      min: 0,
      max: poolMax,
      // a dead database fails a request in seconds instead of hanging it
      acquireTimeoutMillis: 5000,
      createTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        // connection-level errors (server restart) must not crash the process
        conn.on('error', () => {});
        conn.query("SET statement_timeout = '15s'; SET lock_timeout = '10s'; SET idle_in_transaction_session_timeout = '30s'", (err) =>
          done(err ?? null, conn),
        );
      },
    },
  });
}
export type { Knex };
