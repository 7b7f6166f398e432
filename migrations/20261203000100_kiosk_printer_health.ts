import type { Knex } from 'knex';

/** Printer health (DESIGN §12): the result of each kiosk printer's last job, for staff to see. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kiosks', (t) => {
    t.boolean('printer_last_ok');
    t.timestamp('printer_last_at', { useTz: true });
    t.text('printer_last_error');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kiosks', (t) => {
    t.dropColumn('printer_last_ok');
    t.dropColumn('printer_last_at');
    t.dropColumn('printer_last_error');
  });
}
