/**
 * A church's past Sundays, written once after the seed and put back before every repetition.
 *
 * Why: a repetition used to start from check-in tables emptied by TRUNCATE. Their statistics then
 * said "empty", so the plans cached in the first few hundred milliseconds (the app's prepared
 * statements and PostgreSQL's own foreign-key checks, which are prepared plans too) were
 * sequential scans, and they stayed cached while the table grew: every insert into `checkins`
 * read the whole of `checkin_batches` and `checkin_requests` to check its two foreign keys
 * (pg_stat_user_tables in one 20 s ceiling run: 88 million tuples read from `checkin_batches` for
 * 9,500 inserts). How slow a repetition was then depended on when autoanalyze happened to
 * re-plan them. No real church starts its Sunday from empty tables; this gives the bench the
 * weeks of history a running church has, so every plan is made against a table of realistic size.
 */
import { Client } from 'pg';

/** The copies the reset restores from, in foreign-key order (parents first). */
const HISTORY = [
  ['checkin_batches', 'bench_hist_checkin_batches'],
  ['checkin_requests', 'bench_hist_checkin_requests'],
  ['pickup_passes', 'bench_hist_pickup_passes'],
  ['checkins', 'bench_hist_checkins'],
  ['notifications', 'bench_hist_notifications'],
  ['audit_log', 'bench_hist_audit_log'],
] as const;

export interface History {
  weeks: number;
  batches: number;
  checkins: number;
  seconds: number;
}

/**
 * Writes `weeks` past Sundays (one in `every` households checks its children in each week, at its
 * own campus, in one of that campus's services; every child checked out 75 minutes later, a
 * receipt sent, the check-in and the pickup audited) into the check-in tables, and keeps a copy of
 * each table for {@link restoreHistory}. Expects the check-in tables empty (straight after the seed).
 */
export async function seedHistory(url: string, opts: { weeks: number; every: number }): Promise<History> {
  const t0 = performance.now();
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO checkin_batches (id, organization_id, site_id, service_id, household_id, service_date, security_code, family_day, created_at)
       SELECT gen_random_uuid(), h.organization_id, h.site_id,
              ss.ids[1 + (w.w + abs(hashtext(h.id::text))) % cardinality(ss.ids)],
              h.id, (current_date - 7 * w.w), 'H' || lpad((row_number() OVER ())::text, 7, '0'), true,
              (current_date - 7 * w.w) + time '09:00' + random() * interval '40 minutes'
         FROM generate_series(1, $1::int) AS w(w)
         JOIN households h ON abs(hashtext(h.id::text || w.w)) % $2::int = 0
         JOIN (SELECT site_id, array_agg(id ORDER BY id) AS ids FROM services GROUP BY site_id) ss ON ss.site_id = h.site_id
        WHERE EXISTS (SELECT 1 FROM children k WHERE k.household_id = h.id)`,
      [opts.weeks, opts.every],
    );
    await c.query(
      `INSERT INTO checkin_requests (organization_id, site_id, batch_id, idempotency_key, request_hash, service_ids, created_at)
       SELECT b.organization_id, b.site_id, b.id, gen_random_uuid()::text, md5(b.id::text), ARRAY[b.service_id], b.created_at FROM checkin_batches b`,
    );
    await c.query(
      `INSERT INTO pickup_passes (organization_id, batch_id, token_hash, expires_at)
       SELECT b.organization_id, b.id, md5(random()::text) || md5(random()::text), b.created_at + interval '1 day' FROM checkin_batches b`,
    );
    await c.query(
      `INSERT INTO checkins (organization_id, batch_id, request_id, site_id, service_id, service_date, room_id, child_id, household_id,
                             security_code, status, checked_in_at, checked_out_at, picked_up_kind)
       SELECT b.organization_id, b.id, q.id, b.site_id, b.service_id, b.service_date,
              sr.ids[1 + abs(hashtext(k.id::text)) % cardinality(sr.ids)], k.id, b.household_id,
              b.security_code, 'checked_out', b.created_at, b.created_at + interval '75 minutes', 'guardian'
         FROM checkin_batches b
         JOIN checkin_requests q ON q.batch_id = b.id
         JOIN children k ON k.household_id = b.household_id
         JOIN (SELECT site_id, array_agg(id ORDER BY id) AS ids FROM rooms GROUP BY site_id) sr ON sr.site_id = b.site_id`,
    );
    await c.query(
      `INSERT INTO notifications (organization_id, site_id, guardian_id, batch_id, "to", kind, body, status, attempts, created_at, sent_at, updated_at)
       SELECT b.organization_id, b.site_id, g.id, b.id, g.phone, 'checkin_receipt', 'Your children are checked in. Pickup code ' || b.security_code || '.',
              'sent', 1, b.created_at, b.created_at, b.created_at
         FROM checkin_batches b
         JOIN LATERAL (SELECT id, phone FROM guardians g WHERE g.household_id = b.household_id AND g.phone IS NOT NULL ORDER BY id LIMIT 1) g ON true`,
    );
    await c.query(
      `INSERT INTO audit_log (organization_id, site_id, actor_kind, action, entity, entity_id, details, at)
       SELECT b.organization_id, b.site_id, 'kiosk', 'checkin.create', 'checkin_batch', b.id, '{}'::jsonb, b.created_at FROM checkin_batches b
       UNION ALL
       SELECT k.organization_id, k.site_id, 'kiosk', 'checkin.checkout', 'checkin', k.id, '{}'::jsonb, k.checked_out_at FROM checkins k`,
    );
    for (const [table, copy] of HISTORY) {
      await c.query(`DROP TABLE IF EXISTS ${copy}`);
      await c.query(`CREATE TABLE ${copy} AS SELECT * FROM ${table}`);
    }
    await c.query('COMMIT');
    const n = (await c.query(`SELECT (SELECT count(*) FROM checkin_batches)::int AS b, (SELECT count(*) FROM checkins)::int AS k`)).rows[0];
    return { weeks: opts.weeks, batches: n.b, checkins: n.k, seconds: Math.round((performance.now() - t0) / 100) / 10 };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await c.end();
  }
}

/** Puts the history back into the (just emptied) check-in tables; nothing when no history was seeded. */
export async function restoreHistory(c: Client) {
  const have = (await c.query(`SELECT to_regclass('bench_hist_checkins') IS NOT NULL AS ok`)).rows[0].ok;
  if (!have) return;
  for (const [table, copy] of HISTORY) await c.query(`INSERT INTO ${table} SELECT * FROM ${copy}`);
}
