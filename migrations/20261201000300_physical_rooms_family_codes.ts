import type { Knex } from 'knex';

/**
 * One room, one count (DESIGN §3, §4):
 * - checkins.service_date: a room's headcount is physical — the distinct children in it that
 *   day across every service — so it is counted by (room, day), not by service;
 * - checkin_requests: one row per check-in request (its idempotency key, a hash of its body, its
 *   refusals), so the batch can become the family's code and pass for the day;
 * - checkin_batches.family_day: at most one per household and day; later check-ins join it.
 * Existing rows are carried forward: every old batch becomes a request of its own (same id), and
 * the most recent coded batch of each household-day becomes that day's family batch.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('checkins', (t) => {
    t.date('service_date');
    t.uuid('request_id');
  });
  await knex.raw('UPDATE checkins c SET service_date = s.service_date FROM services s WHERE s.id = c.service_id');
  await knex.raw('ALTER TABLE checkins ALTER COLUMN service_date SET NOT NULL');
  // the physical headcount (count of distinct children per room and day) reads only this index
  await knex.raw("CREATE INDEX checkins_room_day_open ON checkins (room_id, service_date, child_id) WHERE status = 'checked_in'");
  // "is this child checked in anywhere today"
  await knex.raw("CREATE INDEX checkins_child_day_open ON checkins (child_id, service_date) WHERE status = 'checked_in'");
  await knex.raw('CREATE INDEX checkins_household_index ON checkins (household_id)');
  await knex.raw('CREATE INDEX notifications_batch_index ON notifications (batch_id) WHERE batch_id IS NOT NULL');

  await knex.schema.createTable('checkin_requests', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('batch_id').notNullable().references('checkin_batches.id').onDelete('CASCADE');
    t.string('idempotency_key', 100).notNullable();
    // sha256 of the request's body (household, services, children): same key, other body ⇒ 409
    t.string('request_hash', 64);
    t.specificType('service_ids', 'uuid[]').notNullable();
    t.jsonb('refused').notNullable().defaultTo('[]');
    t.uuid('kiosk_id').references('kiosks.id').onDelete('SET NULL');
    t.uuid('user_id').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['site_id', 'idempotency_key']);
    t.index(['batch_id']);
  });
  await knex.raw(`INSERT INTO checkin_requests (id, site_id, batch_id, idempotency_key, service_ids, refused, kiosk_id, user_id, created_at)
    SELECT id, site_id, id, idempotency_key, ARRAY[service_id], refused, kiosk_id, user_id, created_at FROM checkin_batches`);
  await knex.raw('UPDATE checkins SET request_id = batch_id');
  await knex.raw('ALTER TABLE checkins ALTER COLUMN request_id SET NOT NULL');
  await knex.raw('ALTER TABLE checkins ADD CONSTRAINT checkins_request_fk FOREIGN KEY (request_id) REFERENCES checkin_requests(id) ON DELETE CASCADE');
  await knex.raw('CREATE INDEX checkins_request_index ON checkins (request_id)');

  await knex.raw('ALTER TABLE checkin_batches ALTER COLUMN idempotency_key DROP NOT NULL');
  await knex.schema.alterTable('checkin_batches', (t) => {
    t.boolean('family_day').notNullable().defaultTo(false);
  });
  await knex.raw(`UPDATE checkin_batches b SET family_day = true FROM (
      SELECT DISTINCT ON (site_id, household_id, service_date) id FROM checkin_batches
      WHERE security_code IS NOT NULL ORDER BY site_id, household_id, service_date, created_at DESC) latest
    WHERE b.id = latest.id`);
  await knex.raw('CREATE UNIQUE INDEX checkin_batches_family_day ON checkin_batches (site_id, household_id, service_date) WHERE family_day');

  // registrations: the same key with another body is refused too
  await knex.schema.alterTable('households', (t) => {
    t.string('idempotency_hash', 64);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('households', (t) => {
    t.dropColumn('idempotency_hash');
  });
  await knex.raw('DROP INDEX checkin_batches_family_day');
  await knex.schema.alterTable('checkin_batches', (t) => {
    t.dropColumn('family_day');
  });
  // a batch made after the upgrade has no key of its own: it takes its first request's
  await knex.raw(`UPDATE checkin_batches b SET idempotency_key = r.idempotency_key FROM (
      SELECT DISTINCT ON (batch_id) batch_id, idempotency_key FROM checkin_requests ORDER BY batch_id, created_at) r
    WHERE b.id = r.batch_id AND b.idempotency_key IS NULL`);
  await knex.raw("UPDATE checkin_batches SET idempotency_key = 'batch-' || id WHERE idempotency_key IS NULL");
  await knex.raw('ALTER TABLE checkin_batches ALTER COLUMN idempotency_key SET NOT NULL');
  await knex.raw('ALTER TABLE checkins DROP CONSTRAINT checkins_request_fk');
  await knex.schema.alterTable('checkins', (t) => {
    t.dropColumn('request_id');
    t.dropColumn('service_date');
  });
  await knex.schema.dropTable('checkin_requests');
  await knex.raw('DROP INDEX IF EXISTS notifications_batch_index');
  await knex.raw('DROP INDEX IF EXISTS checkins_household_index');
}
