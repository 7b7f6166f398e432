import type { Knex } from 'knex';

/**
 * Emergency roll call (DESIGN §15): staff start one for a campus, room volunteers mark each child
 * present accounted for, staff end it. At most one runs per campus at a time (partial unique
 * index, so two staff pressing the button at once get one roll call and a 409). Tenancy as in
 * 20261205000100: organization_id on both tables, the composite key to the campus.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('emergencies', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.text('message').notNullable().defaultTo('');
    t.uuid('started_by').references('users.id').onDelete('SET NULL');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('ended_by').references('users.id').onDelete('SET NULL');
    t.timestamp('ended_at', { useTz: true });
    t.index(['site_id', 'started_at']);
  });
  await knex.raw(
    'ALTER TABLE emergencies ADD CONSTRAINT emergencies_org_site_foreign FOREIGN KEY (organization_id, site_id) REFERENCES sites(organization_id, id) ON DELETE CASCADE',
  );
  await knex.raw('CREATE UNIQUE INDEX emergencies_one_running ON emergencies (site_id, organization_id) WHERE ended_at IS NULL');
  await knex.schema.createTable('emergency_accounts', (t) => {
    t.uuid('emergency_id').notNullable().references('emergencies.id').onDelete('CASCADE');
    t.uuid('checkin_id').notNullable().references('checkins.id').onDelete('CASCADE');
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.uuid('marked_by').references('users.id').onDelete('SET NULL');
    t.timestamp('marked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['emergency_id', 'checkin_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('emergency_accounts');
  await knex.schema.dropTable('emergencies');
}
