import type { Knex } from 'knex';

/**
 * A family erased on request or by retention (DESIGN §19): the household row stays, pseudonymised,
 * so the attendance record keeps its shape; `erased_at` says when, makes a second erasure a no-op
 * and keeps the family out of staff search. Existing families are not erased (null).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE households ADD COLUMN erased_at timestamptz');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE households DROP COLUMN erased_at');
}
