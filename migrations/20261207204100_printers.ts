import type { Knex } from 'knex';

/**
 * Label printers as records (DESIGN §18): a campus's printers, each with a name, a network address
 * (`host:port`, a Zebra) or none (a DYMO, Brother or Citizen through the operating system), a label
 * stock and its last known health (`~HS`) and job result. A kiosk names its printer (`printer_id`)
 * instead of holding an address, so an address can be changed after the kiosk was created and
 * several kiosks can share one printer. Every kiosk's address is carried into a record (kiosks of a
 * campus with the same address share one), with its last job's result, and the old columns go.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('printers', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable();
    t.string('name', 80).notNullable();
    t.string('address', 200);
    t.string('type', 16).notNullable().defaultTo('zebra');
    t.string('stock_id', 40).notNullable().defaultTo('zebra-4x2');
    t.string('health', 16).notNullable().defaultTo('unknown');
    t.timestamp('health_at', { useTz: true });
    t.boolean('last_ok');
    t.timestamp('last_at', { useTz: true });
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['organization_id', 'site_id'], 'printers_org_site_foreign').references(['organization_id', 'id']).inTable('sites').onDelete('CASCADE');
    t.unique(['organization_id', 'id'], { indexName: 'printers_org_id_unique' });
    t.index(['site_id', 'name'], 'printers_site_name_index');
    t.check("type IN ('zebra','browser')", [], 'printers_type_check');
    t.check("health IN ('ok','paper_out','head_open','paused','unreachable','unknown')", [], 'printers_health_check');
    t.check("type <> 'zebra' OR address IS NOT NULL", [], 'printers_zebra_address_check');
  });
  // a row inserted with only its campus gets the campus's organisation (as households, users)
  await knex.raw('CREATE TRIGGER printers_org_from_site BEFORE INSERT ON printers FOR EACH ROW EXECUTE FUNCTION kc_org_from_site()');
  await knex.schema.alterTable('kiosks', (t) => {
    t.uuid('printer_id');
    t.foreign(['organization_id', 'printer_id'], 'kiosks_org_printer_foreign').references(['organization_id', 'id']).inTable('printers');
    t.index(['printer_id'], 'kiosks_printer_index');
  });
  // one record per campus and address, named after the first kiosk that used it, with the latest job result
  await knex.raw(`
    INSERT INTO printers (organization_id, site_id, name, address, type, last_ok, last_at, last_error)
    SELECT DISTINCT ON (k.site_id, k.printer_host) k.organization_id, k.site_id, left(k.name || ' printer', 80), k.printer_host, 'zebra',
           k.printer_last_ok, k.printer_last_at, k.printer_last_error
      FROM kiosks k WHERE k.printer_host IS NOT NULL AND btrim(k.printer_host) <> ''
     ORDER BY k.site_id, k.printer_host, k.printer_last_at DESC NULLS LAST, k.created_at`);
  await knex.raw(`
    UPDATE kiosks k SET printer_id = p.id FROM printers p
     WHERE p.site_id = k.site_id AND p.address = k.printer_host AND p.organization_id = k.organization_id`);
  await knex.schema.alterTable('kiosks', (t) => {
    t.dropColumn('printer_host');
    t.dropColumn('printer_last_ok');
    t.dropColumn('printer_last_at');
    t.dropColumn('printer_last_error');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kiosks', (t) => {
    t.string('printer_host', 200);
    t.boolean('printer_last_ok');
    t.timestamp('printer_last_at', { useTz: true });
    t.text('printer_last_error');
  });
  // each kiosk gets its printer's address back (a browser/OS printer had none)
  await knex.raw(`
    UPDATE kiosks k SET printer_host = p.address, printer_last_ok = p.last_ok, printer_last_at = p.last_at, printer_last_error = p.last_error
      FROM printers p WHERE p.id = k.printer_id AND p.address IS NOT NULL`);
  await knex.schema.alterTable('kiosks', (t) => {
    t.dropForeign(['organization_id', 'printer_id'], 'kiosks_org_printer_foreign');
    t.dropIndex(['printer_id'], 'kiosks_printer_index');
    t.dropColumn('printer_id');
  });
  await knex.raw('DROP TRIGGER printers_org_from_site ON printers');
  await knex.schema.dropTable('printers');
}
