/**
 * `npm run queries`: writes the check-in's hot statements to server/src/queries/*.sql with their
 * EXPLAIN on a seeded database, so a changed statement or a changed plan shows in review (as
 * immich keeps its queries/*.sql). Uses DATABASE_URL, else the embedded server; works in a
 * scratch database that it drops again.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../config';
import { startDatabase } from '../db/embedded';
import { createDb } from '../db/knex';
import { migrateLatest } from '../db/migrate';
import { CHECKIN_CONTEXT_SQL, INSERT_CHECKINS_SQL, JOIN_FAMILY_SQL, NEW_FAMILY_SQL } from '../checkin/checkin.repo';

const SCRATCH = 'kidsclub_queries';
const uuid = () => crypto.randomUUID();

async function main() {
  const config = loadConfig();
  const database = await startDatabase(config, () => {});
  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${SCRATCH}`);
  const u = new URL(database.url);
  u.pathname = `/${SCRATCH}`;
  const db = createDb(u.toString(), 2);
  try {
    await migrateLatest(db);
    // a campus with 20,000 families, 100 days of history and today's check-ins, so the planner sees real sizes
    // the seed writes ~600,000 rows through the tenancy triggers: no 15 s statement timeout for it
    await db.raw(`
      SET statement_timeout = 0;
      INSERT INTO sites (id, name) VALUES ('00000000-0000-0000-0000-0000000000aa', 'Plan');
      INSERT INTO services (id, site_id, name, starts_at, checkin_opens_at, checkin_closes_at, service_date)
        SELECT ('00000000-0000-0000-0001-' || lpad(d::text, 12, '0'))::uuid, '00000000-0000-0000-0000-0000000000aa', 'svc', now() - d * interval '1 day',
          now() - d * interval '1 day' - interval '1 hour', now() - d * interval '1 day' + interval '1 hour', (now() - d * interval '1 day')::date FROM generate_series(0, 99) d;
      INSERT INTO rooms (id, site_id, name) SELECT ('00000000-0000-0000-0002-' || lpad(r::text, 12, '0'))::uuid, '00000000-0000-0000-0000-0000000000aa', 'room' || r FROM generate_series(0, 19) r;
      INSERT INTO service_rooms (service_id, room_id, capacity) SELECT s.id, r.id, 400 FROM services s, rooms r;
      INSERT INTO households (id, site_id, name) SELECT ('00000000-0000-0000-0003-' || lpad(h::text, 12, '0'))::uuid, '00000000-0000-0000-0000-0000000000aa', 'h' || h FROM generate_series(0, 19999) h;
      INSERT INTO guardians (household_id, first_name, last_name, phone, sms_opt_in) SELECT id, 'g', 'g', '+1312555' || lpad((row_number() over ())::text, 4, '0'), true FROM households;
      INSERT INTO children (id, household_id, first_name, last_name) SELECT ('00000000-0000-0000-0004-' || lpad(h::text, 12, '0'))::uuid, ('00000000-0000-0000-0003-' || lpad(h::text, 12, '0'))::uuid, 'c', 'c' FROM generate_series(0, 19999) h;
      INSERT INTO checkin_batches (id, site_id, service_id, household_id, service_date, security_code, family_day)
        SELECT ('00000000-0000-0005-' || lpad(d::text, 4, '0') || '-' || lpad(h::text, 12, '0'))::uuid, '00000000-0000-0000-0000-0000000000aa', ('00000000-0000-0000-0001-' || lpad(d::text, 12, '0'))::uuid,
          ('00000000-0000-0000-0003-' || lpad(h::text, 12, '0'))::uuid, (now() - d * interval '1 day')::date, NULL, true FROM generate_series(0, 99) d, generate_series(0, 1999) h;
      INSERT INTO checkin_requests (id, site_id, batch_id, idempotency_key, service_ids) SELECT id, site_id, id, id::text, ARRAY[service_id] FROM checkin_batches;
      INSERT INTO pickup_passes (batch_id, token_hash, expires_at, revoked_at) SELECT id, md5(id::text) || md5(id::text || 'p'), service_date + 1, CASE WHEN service_date < now()::date THEN now() END FROM checkin_batches;
      INSERT INTO alerts (site_id, service_id, kind, age_group, room_ids, message, raised_at, cleared_at)
        SELECT site_id, id, 'open_room', 'Toddlers', '{}', 'x', starts_at, starts_at + interval '1 hour' FROM services;
      INSERT INTO checkins (batch_id, request_id, site_id, service_id, service_date, room_id, child_id, household_id, security_code, status)
        SELECT b.id, b.id, b.site_id, b.service_id, b.service_date, ('00000000-0000-0000-0002-' || lpad((hashtext(b.id::text) & 15)::text, 12, '0'))::uuid,
          ('00000000-0000-0000-0004-' || right(b.household_id::text, 12))::uuid, b.household_id, 'BCDF', CASE WHEN b.service_date = now()::date THEN 'checked_in' ELSE 'checked_out' END FROM checkin_batches b;
      ANALYZE;`);
    const today = '00000000-0000-0000-0001-000000000000';
    const household = '00000000-0000-0000-0003-000000019999';
    const child = '00000000-0000-0000-0004-000000019999';
    const batch = '00000000-0000-0005-0000-000000000001';
    const site = '00000000-0000-0000-0000-0000000000aa';
    const room = '00000000-0000-0000-0002-000000000001';
    const organizationId = ((await db('sites').select('organization_id').where({ id: site }).first()) as { organization_id: string }).organization_id;
    const queries: { name: string; what: string; sql: string; bindings: Record<string, unknown> }[] = [
      {
        name: 'checkin-context',
        what: 'everything the check-in decides on before any lock (one round trip)',
        sql: CHECKIN_CONTEXT_SQL,
        bindings: { siteId: site, serviceIds: [today], householdId: household, childIds: [child], idempotencyKey: uuid() },
      },
      {
        name: 'checkin-join-family',
        what: "a later check-in that day: lock the family's batch, record the request",
        sql: JOIN_FAMILY_SQL,
        bindings: { organizationId, batchId: batch, siteId: site, idempotencyKey: uuid(), requestHash: 'x', serviceIds: [today], kioskId: null, userId: null },
      },
      {
        name: 'checkin-new-family',
        what: "the family's first check-in of the day: its batch, pass and request",
        sql: NEW_FAMILY_SQL,
        bindings: {
          organizationId,
          siteId: site,
          serviceId: today,
          householdId: household,
          serviceDate: new Date().toISOString().slice(0, 10),
          securityCode: 'ZZZZ',
          kioskId: null,
          userId: null,
          passId: uuid(),
          tokenHash: 'y'.repeat(64),
          timezone: 'UTC',
          idempotencyKey: uuid(),
          requestHash: 'x',
          serviceIds: [today],
        },
      },
      {
        name: 'checkin-insert',
        what: 'under the room locks: check-ins, audit row, SMS receipt, pass, refusals, alert inputs (one round trip)',
        sql: INSERT_CHECKINS_SQL,
        bindings: {
          organizationId,
          batchId: batch,
          requestId: batch,
          siteId: site,
          serviceDate: new Date().toISOString().slice(0, 10),
          householdId: household,
          securityCode: 'BCDF',
          kioskId: null,
          userId: null,
          placedServiceIds: [today],
          placedRoomIds: [room],
          placedChildIds: [child],
          actorKind: 'kiosk',
          actorId: uuid(),
          serviceIds: [today],
          refused: '[]',
          receiptBody: 'x',
          hasReceipt: true,
          planned: 1,
          alertServiceId: today,
          arrivalRoomIds: [room],
          countRoomIds: [room],
          windowMinutes: 10,
        },
      },
    ];
    const dir = path.resolve(__dirname);
    for (const q of queries) {
      const native = db.raw(q.sql, q.bindings as never).toSQL();
      // EXPLAIN without ANALYZE for the writing statements would not run them; ANALYZE inside a rolled-back transaction shows the real plan
      const trx = await db.transaction();
      let plan: string[];
      try {
        const r = await trx.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, BUFFERS OFF) ${native.sql}`, native.bindings as never);
        plan = (r.rows as { 'QUERY PLAN': string }[]).map((x) => x['QUERY PLAN']);
      } finally {
        await trx.rollback();
      }
      const text = [
        `-- ${q.name}: ${q.what}`,
        '-- Generated by `npm run queries` (server/src/queries/generate.ts); do not edit by hand.',
        '',
        q.sql.trim(),
        ';',
        '',
        '-- EXPLAIN (ANALYZE) on 20,000 families with 100 days of history:',
        ...plan.map((l) => `-- ${l}`),
        '',
      ].join('\n');
      fs.writeFileSync(path.join(dir, `${q.name}.sql`), text);
      console.log(`wrote server/src/queries/${q.name}.sql`);
    }
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
    await admin.end();
    await database.stop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
