import type { Knex } from 'knex';

export interface OutboxInsert {
  site_id: string;
  guardian_id: string | null;
  checkin_id?: string | null;
  batch_id?: string | null;
  to: string;
  kind: 'checkin_receipt' | 'checkout_confirmation' | 'page' | 'join_code' | 'precheckin_link' | 'broadcast';
  body: string;
  /** the pre-check-in link the text carries ({{precheckUrl}}, rendered at send time) */
  precheckin_link_id?: string | null;
  /** the staff broadcast the text belongs to (DESIGN §15) */
  broadcast_id?: string | null;
}

/** Written in the caller's transaction: the message exists exactly when the event does. */
export async function insertNotifications(trx: Knex.Transaction, rows: OutboxInsert[]): Promise<{ id: string; checkin_id: string | null }[]> {
  if (rows.length === 0) return [];
  const inserted = await trx('notifications').insert(rows).returning(['id', 'checkin_id']);
  return inserted;
}

/** Guardians of a household who may receive SMS (opted in, not opted out); the check-in's insert embeds this query. */
export const SMS_RECIPIENTS_SQL =
  'SELECT id, phone, first_name FROM guardians WHERE household_id = :householdId AND sms_opt_in AND sms_opted_out_at IS NULL ORDER BY id';

export async function smsRecipients(db: Knex | Knex.Transaction, householdId: string): Promise<{ id: string; phone: string; first_name: string }[]> {
  return (await db.raw(SMS_RECIPIENTS_SQL, { householdId })).rows;
}

/** The recipients with their household's language, in one round trip (checkout and pages speak it). */
export async function smsRecipientsWithLanguage(
  db: Knex | Knex.Transaction,
  householdId: string,
): Promise<{ id: string; phone: string; first_name: string; language: string | null }[]> {
  return (
    await db.raw(
      `SELECT g.id, g.phone, g.first_name, h.language FROM guardians g JOIN households h ON h.id = g.household_id
        WHERE g.household_id = :householdId AND g.sms_opt_in AND g.sms_opted_out_at IS NULL ORDER BY g.id`,
      { householdId },
    )
  ).rows;
}
