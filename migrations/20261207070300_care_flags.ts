import type { Knex } from 'knex';

/**
 * Care flags (DESIGN §16): an allergy's severity (mild | severe | life-threatening; NULL =
 * not recorded, treated as not severe — the existing free text stays the allergy text), a
 * child's care needs (short strings such as "needs a buddy"), and the care needs a room can
 * meet (placement prefers such rooms). Existing rows keep their allergies and get no needs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('children', (t) => {
    t.string('allergy_severity', 20);
    t.specificType('care_needs', 'text[]').notNullable().defaultTo('{}');
  });
  await knex.raw("ALTER TABLE children ADD CONSTRAINT children_allergy_severity_check CHECK (allergy_severity IN ('mild', 'severe', 'life-threatening'))");
  await knex.schema.alterTable('rooms', (t) => {
    t.specificType('care_needs', 'text[]').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rooms', (t) => {
    t.dropColumn('care_needs');
  });
  await knex.schema.alterTable('children', (t) => {
    t.dropColumn('care_needs');
    t.dropColumn('allergy_severity');
  });
}
