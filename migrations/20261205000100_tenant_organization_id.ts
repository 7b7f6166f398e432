import type { Knex } from 'knex';

/**
 * Every tenant table carries organization_id, and its unique keys include it (DESIGN §10), so the
 * data can be distributed by organisation (Citus) when one primary is outgrown.
 *
 * - The column is backfilled from the row's campus (site_id → sites.organization_id) or, for tables
 *   without one, from the parent row (household, batch, room, service, schedule, user), then made
 *   NOT NULL. Rows inserted the old way (without organization_id) keep working: a BEFORE INSERT
 *   trigger fills it the same way (kc_org_from_site, or a kc_org_from_<parent> function).
 * - A row that names a campus carries a composite FK (organization_id, site_id) → sites
 *   (organization_id, id) (sites_org_id_unique), and a row under a household (organization_id,
 *   household_id) → households (organization_id, id) (households_org_id_unique, added here; it
 *   replaces households_organization_index, which it covers): a row can never name a campus or a
 *   family of another organisation. The other tables reference organizations directly (a composite
 *   FK to checkin_batches, rooms or services would need a new unique index on a hot table). The
 *   plain site_id / household_id FKs stay as they were.
 * - Unique keys: organization_id is APPENDED to each existing unique key (same name, same
 *   predicate), so every lookup keeps its leading columns and its plan (token lookups by
 *   token_hash alone, idempotency by (site_id, key)); Citus only needs the distribution column to be
 *   present. No new secondary index on the check-in hot path.
 * - Primary keys are left alone: they are uuids (or keys made of uuids) generated at random and so
 *   globally unique; turning each into (organization_id, id) — and the FKs that point at them — is
 *   the remaining step before distributing, noted in docs/SCALING.md.
 * - Not here yet: checkins_child_once (child_id, service_id) WHERE status = 'checked_in'. The check-in
 *   statement (server/src/checkin/checkin.repo.ts, INSERT_CHECKINS_SQL) names it as its ON CONFLICT
 *   target, and a target must match an index's columns exactly; that file is being rewritten
 *   elsewhere, and the key changes together with it (tests/org/tenancy.test.ts lists it as pending).
 *
 * Global tables (no organization_id): knex_migrations*, organizations, socket_io_attachments (the
 * Socket.IO Postgres adapter's transient payloads between instances, keyed by its own id, deleted
 * within seconds; no tenant data in a column), twilio_webhook_events (a replay guard keyed by
 * Twilio's MessageSid, checked before the message is matched to anyone: one Twilio account and one
 * webhook URL serve the whole deployment, and an inbound number may belong to families of several
 * organisations), and audit_log_untenanted (below).
 *
 * audit_log: the organisation comes from the row's campus, else its actor (user, kiosk, display),
 * else its entity (a user, a campus, the organisation). A few rows name no tenant at all — a
 * sign-in attempt with an unknown email, a made-up invitation link: they are about an unknown
 * caller, not about any organisation's data, so they go to the global audit_log_untenanted (the
 * trigger puts them there) instead of making audit_log.organization_id nullable.
 */

/** Tables naming a campus: organisation from site_id; composite FK to sites. */
const SITE_TABLES = [
  'alerts',
  'checkin_batches',
  'checkin_requests',
  'checkins',
  'displays',
  'external_ids',
  'household_join_codes',
  'import_jobs',
  'kiosks',
  'notifications',
  'roll_calls',
  'room_headcounts',
  'rooms',
  'services',
];
/** Tables that already carried organization_id and name a campus: they get the composite FK too. */
const SITE_TABLES_BEFORE = ['households', 'service_schedules', 'volunteer_shifts', 'user_roles'];
/** Tables under a household: organisation from household_id; composite FK to households. */
const HOUSEHOLD_TABLES = ['authorized_pickups', 'children', 'custody_alerts', 'guardians'];
/** Tables under another parent: [table, parent table, column naming the parent]. */
const PARENT_TABLES: [string, string, string][] = [
  ['pickup_passes', 'checkin_batches', 'batch_id'],
  ['room_state_versions', 'rooms', 'room_id'],
  ['service_rooms', 'services', 'service_id'],
  ['service_schedule_skips', 'service_schedules', 'schedule_id'],
  ['sessions', 'users', 'user_id'],
];

/** [table, unique key name, is a constraint (else an index), columns before, predicate]. */
const UNIQUE_KEYS: [string, string, boolean, string, string?][] = [
  ['alerts', 'alerts_standing_unique', false, 'service_id, kind, age_group', 'cleared_at IS NULL'],
  ['checkin_batches', 'checkin_batches_site_id_idempotency_key_unique', true, 'site_id, idempotency_key'],
  ['checkin_batches', 'checkin_batches_code_unique', false, 'site_id, service_date, security_code', 'security_code IS NOT NULL'],
  ['checkin_batches', 'checkin_batches_family_day', false, 'site_id, household_id, service_date', 'family_day'],
  ['checkin_requests', 'checkin_requests_site_id_idempotency_key_unique', true, 'site_id, idempotency_key'],
  ['displays', 'displays_pairing_code_hash_unique', true, 'pairing_code_hash'],
  ['displays', 'displays_token_hash_unique', true, 'token_hash'],
  ['external_ids', 'external_ids_site_id_source_entity_external_id_unique', true, 'site_id, source, entity, external_id'],
  ['household_express_codes', 'household_express_codes_one_active', false, 'household_id', 'revoked_at IS NULL'],
  ['household_express_codes', 'household_express_codes_code_hash_unique', true, 'code_hash'],
  ['households', 'households_idempotency_unique', false, 'site_id, idempotency_key', 'idempotency_key IS NOT NULL'],
  ['kiosks', 'kiosks_pairing_code_hash_unique', true, 'pairing_code_hash'],
  ['kiosks', 'kiosks_token_hash_unique', true, 'token_hash'],
  ['notifications', 'notifications_provider_id_unique', true, 'provider_id'],
  ['pickup_passes', 'pickup_passes_batch_id_unique', true, 'batch_id'],
  ['pickup_passes', 'pickup_passes_token_hash_unique', true, 'token_hash'],
  ['rooms', 'rooms_site_id_name_unique', true, 'site_id, name'],
  ['services', 'services_schedule_day_unique', true, 'schedule_id, service_date'],
  ['sessions', 'sessions_token_hash_unique', true, 'token_hash'],
  ['user_tokens', 'user_tokens_token_hash_unique', true, 'token_hash'],
  ['volunteer_shifts', 'volunteer_shifts_open_unique', false, 'service_id, user_id', 'checked_out_at IS NULL'],
];

async function setUnique(knex: Knex, [table, name, constraint, , where]: (typeof UNIQUE_KEYS)[number], columns: string) {
  if (constraint) {
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE (${columns})`);
  } else {
    await knex.raw(`DROP INDEX ${name}`);
    await knex.raw(`CREATE UNIQUE INDEX ${name} ON ${table} (${columns})${where ? ` WHERE ${where}` : ''}`);
  }
}

async function addColumn(knex: Knex, table: string, backfill: string) {
  await knex.raw(`ALTER TABLE ${table} ADD COLUMN organization_id uuid`);
  await knex.raw(backfill);
}
const notNull = (knex: Knex, table: string) => knex.raw(`ALTER TABLE ${table} ALTER COLUMN organization_id SET NOT NULL`);
const orgFk = (knex: Knex, table: string) =>
  knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_organization_id_foreign FOREIGN KEY (organization_id) REFERENCES organizations(id) ON DELETE CASCADE`);
const siteFk = (knex: Knex, table: string, onDelete = 'CASCADE') =>
  knex.raw(
    `ALTER TABLE ${table} ADD CONSTRAINT ${table}_org_site_foreign FOREIGN KEY (organization_id, site_id) REFERENCES sites(organization_id, id) ON DELETE ${onDelete}`,
  );

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE UNIQUE INDEX households_org_id_unique ON households (organization_id, id)');
  await knex.raw('DROP INDEX households_organization_index');

  for (const t of SITE_TABLES) {
    await addColumn(knex, t, `UPDATE ${t} x SET organization_id = s.organization_id FROM sites s WHERE s.id = x.site_id`);
    await notNull(knex, t);
    await siteFk(knex, t);
    await knex.raw(`CREATE TRIGGER ${t}_org_from_site BEFORE INSERT ON ${t} FOR EACH ROW EXECUTE FUNCTION kc_org_from_site()`);
  }
  for (const t of SITE_TABLES_BEFORE) await siteFk(knex, t);
  // a person's default campus: deleting it clears site_id only (PostgreSQL 15's column list)
  await siteFk(knex, 'users', 'SET NULL (site_id)');

  await knex.raw(`
    CREATE FUNCTION kc_org_from_household() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.organization_id IS NULL THEN
        SELECT organization_id INTO NEW.organization_id FROM households WHERE id = NEW.household_id;
      END IF;
      RETURN NEW;
    END $$`);
  for (const t of HOUSEHOLD_TABLES) {
    await addColumn(knex, t, `UPDATE ${t} x SET organization_id = h.organization_id FROM households h WHERE h.id = x.household_id`);
    await notNull(knex, t);
    await knex.raw(
      `ALTER TABLE ${t} ADD CONSTRAINT ${t}_org_household_foreign FOREIGN KEY (organization_id, household_id) REFERENCES households(organization_id, id) ON DELETE CASCADE`,
    );
    // "a_…" fires before the other BEFORE INSERT triggers (children_grade_school_year), which then see the organisation
    await knex.raw(`CREATE TRIGGER a_${t}_org_from_household BEFORE INSERT ON ${t} FOR EACH ROW EXECUTE FUNCTION kc_org_from_household()`);
  }
  await knex.raw(
    `ALTER TABLE household_express_codes ADD CONSTRAINT household_express_codes_org_household_foreign
       FOREIGN KEY (organization_id, household_id) REFERENCES households(organization_id, id) ON DELETE CASCADE`,
  );

  for (const [t, parent, col] of PARENT_TABLES) {
    await knex.raw(`
      CREATE FUNCTION kc_org_from_${parent}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.organization_id IS NULL THEN
          SELECT organization_id INTO NEW.organization_id FROM ${parent} WHERE id = NEW.${col};
        END IF;
        RETURN NEW;
      END $$`);
    await addColumn(knex, t, `UPDATE ${t} x SET organization_id = p.organization_id FROM ${parent} p WHERE p.id = x.${col}`);
    await notNull(knex, t);
    await orgFk(knex, t);
    await knex.raw(`CREATE TRIGGER ${t}_org_from_parent BEFORE INSERT ON ${t} FOR EACH ROW EXECUTE FUNCTION kc_org_from_${parent}()`);
  }
  // a sign-in acts at a campus of its person's organisation
  await siteFk(knex, 'sessions');

  // audit_log: campus, else actor, else entity; rows naming no tenant move to audit_log_untenanted
  await knex.raw(`CREATE TABLE audit_log_untenanted (LIKE audit_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  await knex.raw('ALTER TABLE audit_log_untenanted ADD PRIMARY KEY (id)');
  await knex.raw(`
    CREATE FUNCTION kc_audit_org(r audit_log) RETURNS uuid LANGUAGE sql STABLE AS $$
      SELECT coalesce(
        (SELECT organization_id FROM sites WHERE id = r.site_id),
        CASE r.actor_kind WHEN 'user' THEN (SELECT organization_id FROM users WHERE id = r.actor_id)
                          WHEN 'kiosk' THEN (SELECT organization_id FROM kiosks WHERE id = r.actor_id)
                          WHEN 'display' THEN (SELECT organization_id FROM displays WHERE id = r.actor_id) END,
        CASE r.entity WHEN 'user' THEN (SELECT organization_id FROM users WHERE id = r.entity_id)
                      WHEN 'site' THEN (SELECT organization_id FROM sites WHERE id = r.entity_id)
                      WHEN 'organization' THEN (SELECT id FROM organizations WHERE id = r.entity_id) END)
    $$`);
  await knex.raw('ALTER TABLE audit_log ADD COLUMN organization_id uuid');
  await knex.raw('UPDATE audit_log a SET organization_id = kc_audit_org(a)');
  await knex.raw(
    'INSERT INTO audit_log_untenanted (id, site_id, actor_kind, actor_id, action, entity, entity_id, details, at) ' +
      'SELECT id, site_id, actor_kind, actor_id, action, entity, entity_id, details, at FROM audit_log WHERE organization_id IS NULL',
  );
  await knex.raw('DELETE FROM audit_log WHERE organization_id IS NULL');
  await notNull(knex, 'audit_log');
  await orgFk(knex, 'audit_log');
  await knex.raw(`
    CREATE FUNCTION kc_audit_org_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.organization_id IS NULL THEN
        NEW.organization_id := kc_audit_org(NEW);
      END IF;
      IF NEW.organization_id IS NULL THEN
        INSERT INTO audit_log_untenanted (id, site_id, actor_kind, actor_id, action, entity, entity_id, details, at)
          VALUES (NEW.id, NEW.site_id, NEW.actor_kind, NEW.actor_id, NEW.action, NEW.entity, NEW.entity_id, NEW.details, NEW.at);
        RETURN NULL;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw('CREATE TRIGGER audit_log_org BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION kc_audit_org_fill()');

  for (const k of UNIQUE_KEYS) await setUnique(knex, k, `${k[3]}, organization_id`);
}

export async function down(knex: Knex): Promise<void> {
  for (const k of UNIQUE_KEYS) await setUnique(knex, k, k[3]);

  await knex.raw('DROP TRIGGER audit_log_org ON audit_log');
  await knex.raw('DROP FUNCTION kc_audit_org_fill()');
  await knex.raw('ALTER TABLE audit_log DROP COLUMN organization_id');
  await knex.raw('DROP FUNCTION kc_audit_org(audit_log)');
  await knex.raw(
    'INSERT INTO audit_log (id, site_id, actor_kind, actor_id, action, entity, entity_id, details, at) ' +
      'SELECT id, site_id, actor_kind, actor_id, action, entity, entity_id, details, at FROM audit_log_untenanted',
  );
  await knex.raw('DROP TABLE audit_log_untenanted');

  await knex.raw('ALTER TABLE sessions DROP CONSTRAINT sessions_org_site_foreign');
  for (const [t, parent] of PARENT_TABLES) {
    await knex.raw(`DROP TRIGGER ${t}_org_from_parent ON ${t}`);
    await knex.raw(`ALTER TABLE ${t} DROP COLUMN organization_id`);
    await knex.raw(`DROP FUNCTION kc_org_from_${parent}()`);
  }
  await knex.raw('ALTER TABLE household_express_codes DROP CONSTRAINT household_express_codes_org_household_foreign');
  for (const t of HOUSEHOLD_TABLES) {
    await knex.raw(`DROP TRIGGER a_${t}_org_from_household ON ${t}`);
    await knex.raw(`ALTER TABLE ${t} DROP COLUMN organization_id`);
  }
  await knex.raw('DROP FUNCTION kc_org_from_household()');
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_org_site_foreign');
  for (const t of SITE_TABLES_BEFORE) await knex.raw(`ALTER TABLE ${t} DROP CONSTRAINT ${t}_org_site_foreign`);
  for (const t of SITE_TABLES) {
    await knex.raw(`DROP TRIGGER ${t}_org_from_site ON ${t}`);
    await knex.raw(`ALTER TABLE ${t} DROP COLUMN organization_id`);
  }
  await knex.raw('CREATE INDEX households_organization_index ON households (organization_id)');
  await knex.raw('DROP INDEX households_org_id_unique');
}
