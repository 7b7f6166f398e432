import type { Knex } from 'knex';

/**
 * A room's count is either a manual headcount or a roll call (the children a volunteer marked
 * present, submitted as the room's count) — DESIGN §15: either one that disagrees with the
 * system's count raises `headcount_mismatch`. Existing rows were all manual headcounts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('room_headcounts', (t) => {
    t.string('kind', 16).notNullable().defaultTo('headcount');
  });
  await knex.raw(`ALTER TABLE room_headcounts ADD CONSTRAINT room_headcounts_kind_check CHECK (kind IN ('headcount', 'roll_call'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE room_headcounts DROP CONSTRAINT room_headcounts_kind_check');
  await knex.schema.alterTable('room_headcounts', (t) => {
    t.dropColumn('kind');
  });
}
