import type { Knex } from 'knex';

/**
 * The table of @socket.io/postgres-adapter (SOCKET_ADAPTER=postgres): an event published on one
 * server instance travels to the others by NOTIFY; a payload over NOTIFY's 8,000-byte limit (or a
 * binary one) is stored here and only its id is notified. The adapter deletes rows older than
 * its cleanup interval (30 s).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE IF NOT EXISTS socket_io_attachments (
    id bigserial UNIQUE,
    created_at timestamptz DEFAULT now(),
    payload bytea
  )`);
  await knex.raw('CREATE INDEX IF NOT EXISTS socket_io_attachments_created_at_index ON socket_io_attachments (created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS socket_io_attachments');
}
