import type { Knex } from 'knex';

import type { KioskRow } from '../kiosks/kiosks.repo';

export interface UserRow {
  id: string;
  organization_id: string;
  site_id: string | null;
  email: string;
  name: string;
  password_hash: string;
  org_admin: boolean;
  failed_logins: number;
  locked_until: Date | null;
}

export interface LoginAttempt {
  /** the account, when the email names one */
  userId: string | null;
  siteId: string | null;
  /** set only when an attempt was reserved (the account was not locked): the row to verify against */
  reserved: Pick<UserRow, 'id' | 'organization_id' | 'site_id' | 'email' | 'name' | 'password_hash' | 'org_admin' | 'failed_logins'> | null;
}

/**
 * Reserves one sign-in attempt in one statement, before the password is checked: the failure
 * count goes up and, at `maxFailures`, the lock is set, unless the account is locked already (then
 * nothing is reserved). Parallel attempts queue on the row and each sees the previous one's count
 * (PostgreSQL re-checks the WHERE on the newest row version), so a burst can verify at most
 * `maxFailures` passwords. An expired lock starts the count again at 1. Success clears it
 * (`clearLoginFailures`).
 */
export async function reserveLoginAttempt(
  db: Knex,
  email: string,
  maxFailures: number,
  lockMinutes: number,
  organizationId: string | null = null,
): Promise<LoginAttempt> {
  // one sign-in per person and organisation; a person in several organisations names one
  // (`organizationId`), else the oldest account is meant. Deactivated people cannot sign in.
  const { rows } = await db.raw(
    `
    WITH u AS (SELECT id, site_id FROM users WHERE lower(email) = lower(:email) AND deactivated_at IS NULL
               AND (CAST(:organizationId AS uuid) IS NULL OR organization_id = CAST(:organizationId AS uuid))
               ORDER BY created_at, id LIMIT 1),
    r AS (
      UPDATE users SET
        failed_logins = CASE WHEN users.locked_until IS NOT NULL THEN 1 ELSE users.failed_logins + 1 END,
        locked_until = CASE WHEN (CASE WHEN users.locked_until IS NOT NULL THEN 1 ELSE users.failed_logins + 1 END) >= :maxFailures
                       THEN now() + make_interval(mins => :lockMinutes) ELSE NULL END
      FROM u
      WHERE users.id = u.id AND (users.locked_until IS NULL OR users.locked_until <= now())
      RETURNING users.id, users.organization_id, users.site_id, users.email, users.name, users.password_hash, users.org_admin, users.failed_logins)
    SELECT u.id AS user_id, u.site_id AS user_site_id, r.* FROM u LEFT JOIN r ON r.id = u.id`,
    { email, maxFailures, lockMinutes, organizationId },
  );
  const row = rows[0];
  if (!row) return { userId: null, siteId: null, reserved: null };
  return {
    userId: row.user_id,
    siteId: row.user_site_id,
    reserved: row.id
      ? {
          id: row.id,
          organization_id: row.organization_id,
          site_id: row.site_id,
          email: row.email,
          name: row.name,
          password_hash: row.password_hash,
          org_admin: row.org_admin,
          failed_logins: row.failed_logins,
        }
      : null,
  };
}

/** An admin lifts a lock early (a staff member locked out by someone else's guesses): a person with a role at that campus. */
export async function unlockUser(db: Knex | Knex.Transaction, userId: string, siteId: string): Promise<boolean> {
  const n = await db('users')
    .where({ id: userId })
    .whereExists(db('user_roles').select(db.raw('1')).where({ user_id: userId, site_id: siteId }))
    .update({ failed_logins: 0, locked_until: null });
  return n > 0;
}

/**
 * The campuses a person may act at, with their role there: their own roles, or every campus of the
 * organisation as admin for an organisation admin.
 */
export async function campusesOf(
  db: Knex | Knex.Transaction,
  userId: string,
): Promise<{ siteId: string; name: string; role: 'admin' | 'staff' | 'volunteer' }[]> {
  const { rows } = await db.raw(
    `
    SELECT s.id AS "siteId", s.name, CASE WHEN u.org_admin THEN 'admin' ELSE r.role END AS role
      FROM users u JOIN sites s ON s.organization_id = u.organization_id
      LEFT JOIN user_roles r ON r.user_id = u.id AND r.site_id = s.id
     WHERE u.id = :userId AND (u.org_admin OR r.role IS NOT NULL)
     ORDER BY s.created_at, s.id`,
    { userId },
  );
  return rows;
}

export const clearLoginFailures = (db: Knex | Knex.Transaction, userId: string) =>
  db('users').where({ id: userId }).update({ failed_logins: 0, locked_until: null });

export async function insertSession(db: Knex | Knex.Transaction, userId: string, siteId: string, tokenHash: string, expiresAt: Date): Promise<string> {
  const [row] = await db('sessions').insert({ user_id: userId, site_id: siteId, token_hash: tokenHash, expires_at: expiresAt }).returning('id');
  return row.id;
}

/**
 * A sign-in is good while it is not revoked or expired, its person is active, and the person still
 * holds a role at the campus it acts at (or is an organisation admin of that campus's
 * organisation): a role taken away ends the sign-ins at that campus.
 */
const SESSION_ACTOR = `
  SELECT s.id AS session_id, u.id, s.site_id, u.organization_id, u.org_admin, u.name, u.email,
         CASE WHEN u.org_admin THEN 'admin' ELSE r.role END AS role,
         (s.revoked_at IS NULL AND s.expires_at > now()) AS fresh, s.revoked_at IS NOT NULL AS revoked,
         (u.deactivated_at IS NULL AND st.id IS NOT NULL AND (u.org_admin OR r.role IS NOT NULL)) AS allowed
    FROM sessions s JOIN users u ON u.id = s.user_id
    LEFT JOIN sites st ON st.id = s.site_id AND st.organization_id = u.organization_id
    LEFT JOIN user_roles r ON r.user_id = u.id AND r.site_id = s.site_id`;

export async function findSessionActor(db: Knex, tokenHash: string) {
  const { rows } = await db.raw(`${SESSION_ACTOR} WHERE s.token_hash = :tokenHash`, { tokenHash });
  const row = rows[0] as
    | {
        session_id: string;
        id: string;
        site_id: string;
        organization_id: string;
        org_admin: boolean;
        name: string;
        email: string;
        role: 'admin' | 'staff' | 'volunteer';
        fresh: boolean;
        allowed: boolean;
      }
    | undefined;
  return row && row.fresh && row.allowed ? row : undefined;
}

/** Every open sign-in of a person (deactivation, password change), revoked; their ids come back (their sockets end). */
export async function revokeSessionsOf(db: Knex | Knex.Transaction, userId: string, exceptSessionId?: string): Promise<{ id: string; site_id: string }[]> {
  const q = db('sessions').where({ user_id: userId }).whereNull('revoked_at').where('expires_at', '>', db.fn.now());
  if (exceptSessionId) q.whereNot('id', exceptSessionId);
  return q.update({ revoked_at: db.fn.now() }).returning(['id', 'site_id']);
}

export const revokeSession = (db: Knex | Knex.Transaction, sessionId: string) => db('sessions').where({ id: sessionId }).update({ revoked_at: db.fn.now() });

/** A paired kiosk's token resolved: the kiosk, its campus's organisation, when it was last seen. */
export type KioskActorRow = Pick<KioskRow, 'id' | 'site_id' | 'mode' | 'name' | 'last_seen_at'> & { organization_id: string };
export const findKioskActor = (db: Knex, tokenHash: string): Promise<KioskActorRow | undefined> =>
  db('kiosks as k')
    .join('sites as s', 's.id', 'k.site_id')
    .select('k.id', 'k.site_id', 's.organization_id', 'k.mode', 'k.name', 'k.last_seen_at')
    .where('k.token_hash', tokenHash)
    .whereNull('k.revoked_at')
    .first();

export const touchKiosk = (db: Knex, kioskId: string) => db('kiosks').where({ id: kioskId }).update({ last_seen_at: db.fn.now() });

/**
 * Which of these sign-ins and kiosk tokens are still good, in one statement (the socket sweep):
 * a session revoked, expired or gone, or a kiosk token replaced (re-paired) or revoked, is absent
 * from the answer. Sessions come back with why they ended.
 */
export async function credentialStates(db: Knex, sessionIds: string[], kioskTokenHashes: string[]) {
  const { rows } = await db.raw(
    `
    SELECT 'session' AS kind, x.session_id::text AS key, (x.fresh AND x.allowed) AS live, (x.revoked OR NOT x.allowed) AS revoked
      FROM (${SESSION_ACTOR} WHERE s.id = ANY(CAST(:sessionIds AS uuid[]))) x
    UNION ALL
    SELECT 'kiosk', k.token_hash::text, true, false FROM kiosks k WHERE k.token_hash = ANY(CAST(:hashes AS text[])) AND k.revoked_at IS NULL`,
    // arrays go as PostgreSQL array literals (uuids and hex hashes only) so knex does not expand them
    { sessionIds: `{${sessionIds.join(',')}}`, hashes: `{${kioskTokenHashes.join(',')}}` },
  );
  const sessions = new Map<string, { live: boolean; revoked: boolean }>();
  const kiosks = new Set<string>();
  for (const r of rows as { kind: string; key: string; live: boolean; revoked: boolean }[]) {
    if (r.kind === 'session') sessions.set(r.key, { live: r.live, revoked: r.revoked });
    else kiosks.add(r.key);
  }
  return { sessions, kiosks };
}
