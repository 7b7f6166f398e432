import type { Knex } from 'knex';

/**
 * Ratios that bind (DESIGN §15).
 *
 * - Settings: the boolean `enforceRatios` becomes `ratioEnforcement` (off | warn | enforce), in
 *   organisations' defaults and campuses' overrides alike: false → off, true → warn. `warn` is the
 *   new default, so a campus that never set it (the old default was true) is on `warn` as well:
 *   with the volunteers each service assumed gone (below), `enforce` would close every room with
 *   nobody checked in, so nothing binds until an admin turns `enforce` on.
 * - service_rooms.volunteers is the volunteers present: the cleared volunteers checked in to the
 *   room for the service, as staff corrected it. New services start at 0 (the code stopped
 *   assuming capacity ÷ ratio). Services not yet over are recounted from their open shifts; past
 *   services keep their numbers (history).
 * - volunteer_corrections: each staff correction of the volunteers present (who, when, why), for
 *   one service and room: it ends with the service.
 *
 * down(): enforceRatios back (off → false, warn/enforce → true; twoAdultRule and schoolCutoff
 * dropped), the corrections dropped (their audit rows stay), and the services not yet over get the
 * assumed volunteers back (capacity ÷ ratio, plus those checked in), as the old code made them.
 */
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

async function eachSettings(knex: Knex, table: 'organizations' | 'sites', f: (s: Obj) => Obj) {
  const rows: { id: string; settings: unknown }[] = await knex(table).select('id', 'settings');
  for (const r of rows) {
    const before = obj(r.settings);
    const after = f({ ...before });
    if (JSON.stringify(before) !== JSON.stringify(after))
      await knex(table)
        .where({ id: r.id })
        .update({ settings: JSON.stringify(after) });
  }
}

const NOT_OVER = `sr.service_id IN (SELECT id FROM services WHERE checkin_closes_at > now())`;

export async function up(knex: Knex): Promise<void> {
  const forward = (s: Obj) => {
    if ('enforceRatios' in s) {
      if (typeof s.enforceRatios === 'boolean') s.ratioEnforcement = s.enforceRatios ? 'warn' : 'off';
      delete s.enforceRatios;
    }
    return s;
  };
  await eachSettings(knex, 'organizations', forward);
  await eachSettings(knex, 'sites', forward);

  await knex.schema.createTable('volunteer_corrections', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.integer('present').notNullable();
    t.integer('before').notNullable();
    t.integer('checked_in').notNullable();
    t.text('reason').notNullable();
    t.uuid('corrected_by').references('users.id').onDelete('SET NULL');
    t.timestamp('corrected_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['service_id', 'room_id', 'corrected_at']);
    t.check('present >= 0', [], 'volunteer_corrections_present_check');
  });
  await knex.raw(`ALTER TABLE volunteer_corrections ADD CONSTRAINT volunteer_corrections_org_site_fk
    FOREIGN KEY (organization_id, site_id) REFERENCES sites (organization_id, id) ON DELETE CASCADE`);

  await knex.raw(`UPDATE service_rooms sr SET volunteers = (SELECT count(*) FROM volunteer_shifts v
      WHERE v.service_id = sr.service_id AND v.room_id = sr.room_id AND v.checked_out_at IS NULL)
    WHERE ${NOT_OVER}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`UPDATE service_rooms sr SET volunteers = least(100, sr.volunteers + coalesce((SELECT ceil(sr.capacity::numeric / r.ratio)::int
      FROM rooms r WHERE r.id = sr.room_id AND r.ratio > 0), 0))
    WHERE ${NOT_OVER}`);
  await knex.schema.dropTable('volunteer_corrections');
  const back = (s: Obj) => {
    if ('ratioEnforcement' in s) {
      if (typeof s.ratioEnforcement === 'string') s.enforceRatios = s.ratioEnforcement !== 'off';
      delete s.ratioEnforcement;
    }
    delete s.twoAdultRule;
    delete s.schoolCutoff;
    return s;
  };
  await eachSettings(knex, 'organizations', back);
  await eachSettings(knex, 'sites', back);
}
