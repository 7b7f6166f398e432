import type { Knex } from 'knex';

/**
 * Photos of the people at release (DESIGN §16): a child, a guardian, an authorised pickup, or the
 * person named in a custody alert. One photo per person; replacing it overwrites the row.
 *
 * - The bytes live here (bytea, ≤ 512 px JPEG, tens of kB): the photo is private data of the
 *   family and goes where the family's rows go (backups, deletion, an organisation's export).
 * - Exactly one of child_id / guardian_id / authorized_pickup_id / custody_alert_id names the
 *   person, each a composite FK (organization_id, x_id) → x(organization_id, id) ON DELETE
 *   CASCADE: deleting the person deletes the photo, a merge that moves the person moves it, and a
 *   row naming a person of another organisation is refused. The four (organization_id, id) unique
 *   indexes those FKs need are added here (like households_org_id_unique).
 * - Consent (a child's photo needs one): which guardian consented and when; the guardian's name is
 *   kept too, so the record outlives the guardian's row.
 * - Who uploaded it (a user or a kiosk): a check-in kiosk may show back only the photo it just took.
 */
const PEOPLE: [column: string, table: string][] = [
  ['child_id', 'children'],
  ['guardian_id', 'guardians'],
  ['authorized_pickup_id', 'authorized_pickups'],
  ['custody_alert_id', 'custody_alerts'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [, table] of PEOPLE) await knex.raw(`CREATE UNIQUE INDEX ${table}_org_id_unique ON ${table} (organization_id, id)`);
  await knex.raw(`
    CREATE TABLE photos (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      ${PEOPLE.map(([c]) => `${c} uuid`).join(',\n      ')},
      image bytea NOT NULL,
      width integer NOT NULL CHECK (width BETWEEN 1 AND 512),
      height integer NOT NULL CHECK (height BETWEEN 1 AND 512),
      bytes integer NOT NULL CHECK (bytes > 0),
      consent_guardian_id uuid REFERENCES guardians(id) ON DELETE SET NULL,
      consent_guardian_name varchar(161),
      consented_at timestamptz,
      uploaded_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
      uploaded_by_kiosk_id uuid REFERENCES kiosks(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT photos_one_person CHECK (num_nonnulls(${PEOPLE.map(([c]) => c).join(', ')}) = 1),
      CONSTRAINT photos_child_consent CHECK (child_id IS NULL OR consented_at IS NOT NULL),
      ${PEOPLE.map(
        ([c, t]) =>
          `CONSTRAINT photos_${c}_foreign FOREIGN KEY (organization_id, ${c}) REFERENCES ${t}(organization_id, id) ON DELETE CASCADE,
      CONSTRAINT photos_${c}_unique UNIQUE (${c}, organization_id)`,
      ).join(',\n      ')}
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE photos');
  for (const [, table] of PEOPLE) await knex.raw(`DROP INDEX ${table}_org_id_unique`);
}
