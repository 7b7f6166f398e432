import type { Knex } from 'knex';

/**
 * Broadcast (DESIGN §15): staff text the guardians of every child present in a room, a service or
 * the campus. One row per broadcast; its texts are ordinary outbox rows (notifications, kind
 * 'broadcast') pointing back at it, so delivery status is counted from the outbox's statuses.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('broadcasts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('service_id').references('services.id').onDelete('SET NULL');
    t.uuid('room_id').references('rooms.id').onDelete('SET NULL');
    t.text('message').notNullable();
    t.integer('recipients').notNullable();
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['site_id', 'created_at']);
  });
  await knex.raw(
    'ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_org_site_foreign FOREIGN KEY (organization_id, site_id) REFERENCES sites(organization_id, id) ON DELETE CASCADE',
  );
  await knex.schema.alterTable('notifications', (t) => {
    t.uuid('broadcast_id').references('broadcasts.id').onDelete('SET NULL');
    t.index(['broadcast_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.dropColumn('broadcast_id');
  });
  await knex.schema.dropTable('broadcasts');
}
