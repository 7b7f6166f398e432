/** The dispatcher's and the webhooks' queries on the outbox (one query per function). */
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface NotificationRow {
  id: string;
  site_id: string;
  guardian_id: string | null;
  checkin_id: string | null;
  batch_id: string | null;
  precheckin_link_id: string | null;
  to: string;
  kind: string;
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  provider_id: string | null;
  error: string | null;
  created_at: Date;
  sent_at: Date | null;
  updated_at: Date;
}
const COLUMNS = [
  'id',
  'site_id',
  'guardian_id',
  'checkin_id',
  'batch_id',
  'precheckin_link_id',
  'to',
  'kind',
  'body',
  'status',
  'attempts',
  'next_attempt_at',
  'provider_id',
  'error',
  'created_at',
  'sent_at',
  'updated_at',
];
const RETURNING = COLUMNS.map((c) => `n."${c}"`).join(', ');

/**
 * Claims the oldest due row: pending → sending, attempts + 1, in one statement. Rows another
 * dispatcher holds are skipped (SKIP LOCKED), and a row it already claimed is no longer
 * 'pending' when the lock is re-checked, so no two dispatchers ever hold the same row.
 */
export async function claimDue(trx: Knex.Transaction): Promise<NotificationRow | undefined> {
  const r = await trx.raw(`
    WITH due AS (
      SELECT id FROM notifications
      WHERE status = 'pending' AND next_attempt_at <= now()
      ORDER BY next_attempt_at
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    UPDATE notifications n SET status = 'sending', attempts = n.attempts + 1, updated_at = now()
    FROM due WHERE n.id = due.id
    RETURNING ${RETURNING}`);
  return r.rows[0];
}

/** Whether the recipient may be texted now: STOP is per phone number, opt-in per guardian. */
export async function recipientOptedOut(db: Db, guardianId: string | null, phone: string): Promise<boolean> {
  const r = await db.raw(
    `
    SELECT EXISTS (SELECT 1 FROM guardians WHERE phone = ? AND sms_opted_out_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM guardians WHERE id = ? AND sms_opt_in = false) AS out`,
    [phone, guardianId],
  );
  return Boolean(r.rows[0]?.out);
}

/**
 * Whether this is the first text to its number (no other message to it was sent before this one
 * was queued), and the family's language. The same answer on every attempt of the row, so a retry
 * renders the same body (an interrupted attempt is recognised by its body).
 */
export async function firstTextTo(
  db: Db,
  row: { id: string; to: string; created_at: Date; guardian_id: string | null },
): Promise<{ first: boolean; language: string | null }> {
  const r = await db.raw(
    `SELECT NOT EXISTS (SELECT 1 FROM notifications WHERE "to" = :to AND id <> :id AND sent_at IS NOT NULL AND sent_at < :createdAt) AS first,
            (SELECT h.language FROM guardians g JOIN households h ON h.id = g.household_id WHERE g.id = :guardianId) AS language`,
    { to: row.to, id: row.id, createdAt: row.created_at, guardianId: row.guardian_id },
  );
  return { first: Boolean(r.rows[0]?.first), language: r.rows[0]?.language ?? null };
}

/** The batch's pickup pass id (the token is derived from it, never stored). */
export async function passIdForBatch(db: Db, batchId: string): Promise<string | undefined> {
  const row = await db('pickup_passes').select('id').where({ batch_id: batchId }).first();
  return row?.id;
}

export async function lockById(trx: Knex.Transaction, id: string): Promise<NotificationRow | undefined> {
  return trx('notifications').select(COLUMNS).where({ id }).forUpdate().first();
}

export async function lockByProviderId(trx: Knex.Transaction, providerId: string): Promise<NotificationRow | undefined> {
  return trx('notifications').select(COLUMNS).where({ provider_id: providerId }).forUpdate().first();
}

export async function update(
  trx: Knex.Transaction,
  id: string,
  patch: Partial<Record<'status' | 'provider_id' | 'error' | 'next_attempt_at' | 'sent_at', unknown>>,
): Promise<NotificationRow> {
  const [row] = await trx('notifications')
    .where({ id })
    .update({ ...patch, updated_at: trx.fn.now() })
    .returning(COLUMNS);
  return row;
}

/** Provider ids among `sids` already recorded on another row. */
export async function providerIdsTaken(db: Db, sids: string[], exceptId: string): Promise<Set<string>> {
  if (!sids.length) return new Set();
  const rows = await db('notifications').select('provider_id').whereIn('provider_id', sids).whereNot({ id: exceptId });
  return new Set(rows.map((r) => r.provider_id as string));
}

/**
 * Rows left 'sending' longer than the lease: their dispatcher died (or lost the database)
 * between claiming and recording the outcome. They go back to 'pending'; the next attempt asks
 * Twilio whether the message was accepted before sending anything.
 */
export async function releaseStale(trx: Knex.Transaction, leaseMs: number, exceptIds: string[]): Promise<NotificationRow[]> {
  const q = trx('notifications as n')
    .where('n.status', 'sending')
    .where('n.updated_at', '<', trx.raw(`now() - make_interval(secs => ?)`, [leaseMs / 1000]));
  if (exceptIds.length) q.whereNotIn('n.id', exceptIds);
  return q
    .update({
      status: 'pending',
      next_attempt_at: trx.fn.now(),
      updated_at: trx.fn.now(),
      error: 'interrupted while sending; Twilio is checked before any resend',
    })
    .returning(COLUMNS);
}

// ---- opt-out (STOP/START) by phone number ----

/** The guardians with this number (any campus), locked: a STOP or START changes them all. */
export function guardiansByPhone(trx: Knex.Transaction, phone: string): Promise<{ id: string; site_id: string; sms_opted_out_at: Date | null }[]> {
  return trx('guardians as g')
    .join('households as h', 'h.id', 'g.household_id')
    .select('g.id', 'h.site_id', 'g.sms_opted_out_at')
    .where('g.phone', phone)
    .forUpdate('g');
}

export const setOptedOut = (trx: Knex.Transaction, ids: string[], out: boolean) =>
  trx('guardians')
    .whereIn('id', ids)
    .update({ sms_opted_out_at: out ? trx.fn.now() : null });

/**
 * Marks a Twilio webhook as processed, in the transaction that applies it; false when it already
 * was (a replay, or Twilio retrying one that landed). A concurrent duplicate waits on the key and
 * then finds it taken.
 */
export async function firstTimeWebhook(trx: Knex.Transaction, kind: 'inbound' | 'status', messageSid: string, messageStatus = ''): Promise<boolean> {
  const { rows } = await trx.raw(
    `INSERT INTO twilio_webhook_events (message_sid, kind, message_status) VALUES (:messageSid, :kind, :messageStatus)
     ON CONFLICT DO NOTHING RETURNING 1 AS fresh`,
    { messageSid, kind, messageStatus },
  );
  return rows.length > 0;
}
