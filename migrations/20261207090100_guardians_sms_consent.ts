import type { Knex } from 'knex';

/**
 * When a guardian agreed to texts and where (DESIGN §19, issue 31): `sms_consent_at` and
 * `sms_consent_source` are set by the server whenever `sms_opt_in` becomes true — 'kiosk'
 * (registration or join at a kiosk), 'desk' (staff), 'import', 'family_page', 'api' — and cleared
 * when consent is withdrawn (`sms_opt_in` false). A STOP keeps them: `sms_opted_out_at` says when
 * the number stopped, the consent record says what it had been.
 *
 * Existing data: a guardian already opted in was never asked when or where, so the source is
 * 'legacy' and the time is their family's `created_at` (guardians have no created_at of their
 * own; the consent came with the registration, so the family's is the best time we know — for a
 * guardian added later it is earlier than the truth, and 'legacy' says so). Both columns are set
 * together or not at all.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE guardians
      ADD COLUMN sms_consent_at timestamptz,
      ADD COLUMN sms_consent_source text
        CONSTRAINT guardians_sms_consent_source_check
        CHECK (sms_consent_source IN ('kiosk', 'desk', 'import', 'family_page', 'api', 'legacy')),
      ADD CONSTRAINT guardians_sms_consent_both_check CHECK ((sms_consent_at IS NULL) = (sms_consent_source IS NULL))`);
  await knex.raw(`UPDATE guardians g SET sms_consent_at = h.created_at, sms_consent_source = 'legacy'
     FROM households h WHERE h.id = g.household_id AND g.sms_opt_in`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE guardians
      DROP CONSTRAINT guardians_sms_consent_both_check,
      DROP COLUMN sms_consent_source,
      DROP COLUMN sms_consent_at`);
}
