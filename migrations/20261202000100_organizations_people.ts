import type { Knex } from 'knex';

/**
 * The franchise (DESIGN §10): an organisation above its campuses (sites), people who belong to the
 * organisation and hold roles per campus (or organisation-wide), and families of the organisation.
 *
 * Existing data is carried forward with ONE ORGANISATION PER EXISTING SITE: until now every site was
 * its own tenant (its own families, its own staff), so folding them into one organisation would
 * suddenly show one site's families at another's kiosk. An operator who really runs one church
 * on several old sites can move sites under one organisation later; the reverse (un-sharing
 * families already seen across sites) is not possible.
 *
 * Rows inserted the old way keep working (the demo seed, other areas' fixtures): a site without
 * an organisation gets one of its own, households/users/sessions without one take their site's,
 * and a user inserted with (site_id, role) gets that role in user_roles. users.role is then
 * cleared: user_roles is the only place a role lives.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organizations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('name', 120).notNullable();
    // the defaults campuses inherit: same keys as sites.settings, plus roomsTemplate
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // sites → organisation (one per existing site, named after it)
  await knex.schema.alterTable('sites', (t) => {
    t.uuid('organization_id').references('organizations.id').onDelete('CASCADE');
  });
  // paired by a temporary column, not by name (names may repeat)
  await knex.raw('ALTER TABLE organizations ADD COLUMN from_site uuid');
  await knex.raw('INSERT INTO organizations (name, created_at, from_site) SELECT name, created_at, id FROM sites');
  await knex.raw('UPDATE sites s SET organization_id = o.id FROM organizations o WHERE o.from_site = s.id');
  await knex.raw('ALTER TABLE organizations DROP COLUMN from_site');
  await knex.raw('ALTER TABLE sites ALTER COLUMN organization_id SET NOT NULL');
  await knex.raw('CREATE INDEX sites_organization_index ON sites (organization_id)');
  await knex.raw('CREATE UNIQUE INDEX sites_org_id_unique ON sites (organization_id, id)');
  await knex.raw(`
    CREATE FUNCTION kc_site_default_org() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.organization_id IS NULL THEN
        INSERT INTO organizations (name) VALUES (NEW.name) RETURNING id INTO NEW.organization_id;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw('CREATE TRIGGER sites_default_org BEFORE INSERT ON sites FOR EACH ROW EXECUTE FUNCTION kc_site_default_org()');

  // a row that names a site but no organisation takes the site's
  await knex.raw(`
    CREATE FUNCTION kc_org_from_site() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.organization_id IS NULL AND NEW.site_id IS NOT NULL THEN
        SELECT organization_id INTO NEW.organization_id FROM sites WHERE id = NEW.site_id;
      END IF;
      RETURN NEW;
    END $$`);

  // households belong to the organisation (site_id stays: the campus that registered them)
  await knex.schema.alterTable('households', (t) => {
    t.uuid('organization_id').references('organizations.id').onDelete('CASCADE');
  });
  await knex.raw('UPDATE households h SET organization_id = s.organization_id FROM sites s WHERE s.id = h.site_id');
  await knex.raw('ALTER TABLE households ALTER COLUMN organization_id SET NOT NULL');
  await knex.raw('CREATE INDEX households_organization_index ON households (organization_id)');
  await knex.raw('CREATE TRIGGER households_org_from_site BEFORE INSERT ON households FOR EACH ROW EXECUTE FUNCTION kc_org_from_site()');

  // people: one sign-in per person and organisation
  await knex.schema.alterTable('users', (t) => {
    t.uuid('organization_id').references('organizations.id').onDelete('CASCADE');
    t.boolean('org_admin').notNullable().defaultTo(false);
    t.timestamp('deactivated_at', { useTz: true });
  });
  await knex.raw('UPDATE users u SET organization_id = s.organization_id FROM sites s WHERE s.id = u.site_id');
  await knex.raw('ALTER TABLE users ALTER COLUMN organization_id SET NOT NULL');
  // site_id is now the person's default campus (where a sign-in acts unless it names another)
  await knex.raw('ALTER TABLE users ALTER COLUMN site_id DROP NOT NULL');
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_site_id_foreign');
  await knex.raw('ALTER TABLE users ADD CONSTRAINT users_site_id_foreign FOREIGN KEY (site_id) REFERENCES sites(id) ON DELETE SET NULL');
  await knex.raw('ALTER TABLE users ALTER COLUMN role DROP NOT NULL');
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_email_unique');
  await knex.raw('UPDATE users SET email = lower(trim(email))');
  await knex.raw('CREATE UNIQUE INDEX users_org_email_unique ON users (organization_id, lower(email))');
  await knex.raw('CREATE INDEX users_email_lower_index ON users (lower(email))');

  await knex.schema.createTable('user_roles', (t) => {
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.string('role', 16).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'site_id']);
    t.index(['site_id', 'role']);
    t.check("role in ('admin','staff','volunteer')", [], 'user_roles_role_check');
  });
  await knex.raw(`INSERT INTO user_roles (organization_id, user_id, site_id, role)
    SELECT organization_id, id, site_id, role FROM users WHERE site_id IS NOT NULL AND role IS NOT NULL`);
  await knex.raw('UPDATE users SET role = NULL');
  await knex.raw('CREATE TRIGGER users_org_from_site BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION kc_org_from_site()');
  await knex.raw(`
    CREATE FUNCTION kc_user_legacy_role() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.role IS NOT NULL AND NEW.site_id IS NOT NULL THEN
        INSERT INTO user_roles (organization_id, user_id, site_id, role) VALUES (NEW.organization_id, NEW.id, NEW.site_id, NEW.role)
        ON CONFLICT (user_id, site_id) DO UPDATE SET role = EXCLUDED.role;
        UPDATE users SET role = NULL WHERE id = NEW.id;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw('CREATE TRIGGER users_legacy_role AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION kc_user_legacy_role()');

  // a sign-in acts at one campus; existing sign-ins act at their user's campus
  await knex.schema.alterTable('sessions', (t) => {
    t.uuid('site_id').references('sites.id').onDelete('CASCADE');
  });
  await knex.raw('UPDATE sessions s SET site_id = u.site_id FROM users u WHERE u.id = s.user_id');
  await knex.raw(`
    CREATE FUNCTION kc_session_default_site() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.site_id IS NULL THEN
        SELECT coalesce(u.site_id, (SELECT r.site_id FROM user_roles r WHERE r.user_id = u.id ORDER BY r.created_at LIMIT 1))
          INTO NEW.site_id FROM users u WHERE u.id = NEW.user_id;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw('CREATE TRIGGER sessions_default_site BEFORE INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION kc_session_default_site()');

  // single-use links: invitations and password resets (only the token's sha256 is stored)
  await knex.schema.createTable('user_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('kind', 16).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id']);
    t.check("kind in ('invite','reset')", [], 'user_tokens_kind_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_tokens');
  await knex.raw('DROP TRIGGER sessions_default_site ON sessions');
  await knex.raw('DROP FUNCTION kc_session_default_site()');
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumn('site_id');
  });
  await knex.raw('DROP TRIGGER users_legacy_role ON users');
  await knex.raw('DROP FUNCTION kc_user_legacy_role()');
  await knex.raw('DROP TRIGGER users_org_from_site ON users');
  // back to one role at one site per user: the highest role held (org admins: admin at their first campus)
  await knex.raw(`UPDATE users u SET site_id = coalesce(u.site_id, r.site_id), role = r.role FROM (
      SELECT DISTINCT ON (user_id) user_id, site_id, role FROM user_roles
      ORDER BY user_id, CASE role WHEN 'admin' THEN 3 WHEN 'staff' THEN 2 ELSE 1 END DESC, created_at) r
    WHERE r.user_id = u.id`);
  await knex.raw(`UPDATE users u SET role = 'admin', site_id = coalesce(u.site_id, (SELECT id FROM sites s WHERE s.organization_id = u.organization_id ORDER BY created_at LIMIT 1))
    WHERE u.org_admin`);
  // a person with no campus left cannot be represented in the old schema
  await knex.raw('DELETE FROM users WHERE site_id IS NULL OR role IS NULL');
  await knex.schema.dropTable('user_roles');
  await knex.raw('DROP INDEX users_email_lower_index');
  await knex.raw('DROP INDEX users_org_email_unique');
  await knex.raw('ALTER TABLE users ADD CONSTRAINT users_email_unique UNIQUE (email)');
  await knex.raw('ALTER TABLE users ALTER COLUMN role SET NOT NULL');
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_site_id_foreign');
  await knex.raw('ALTER TABLE users ADD CONSTRAINT users_site_id_foreign FOREIGN KEY (site_id) REFERENCES sites(id) ON DELETE CASCADE');
  await knex.raw('ALTER TABLE users ALTER COLUMN site_id SET NOT NULL');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('organization_id');
    t.dropColumn('org_admin');
    t.dropColumn('deactivated_at');
  });
  await knex.raw('DROP TRIGGER households_org_from_site ON households');
  await knex.schema.alterTable('households', (t) => {
    t.dropColumn('organization_id');
  });
  await knex.raw('DROP FUNCTION kc_org_from_site()');
  await knex.raw('DROP TRIGGER sites_default_org ON sites');
  await knex.raw('DROP FUNCTION kc_site_default_org()');
  await knex.raw('DROP INDEX sites_org_id_unique');
  await knex.schema.alterTable('sites', (t) => {
    t.dropColumn('organization_id');
  });
  await knex.schema.dropTable('organizations');
}
