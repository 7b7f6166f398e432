import type { Knex } from 'knex';

/**
 * Messages written to the log because no SMS provider was configured were stored as 'sent' and
 * shown as "Sent". They now have their own final status, 'logged'; the rows the log transport
 * wrote before (provider id LOG…) carry it forward.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw("UPDATE notifications SET status = 'logged' WHERE status = 'sent' AND provider_id LIKE 'LOG%'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("UPDATE notifications SET status = 'sent' WHERE status = 'logged'");
}
