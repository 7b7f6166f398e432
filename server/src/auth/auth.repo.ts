import type { Knex } from 'knex';

export interface UserRow { id: string; site_id: string; email: string; name: string; password_hash: string; role: 'admin' | 'staff' | 'volunteer'; failed_logins: number; locked_until: Date | null }

export interface LoginAttempt {
  /** the account, when the email names one */
  userId: string | null; siteId: string | null;
  /** set only when an attempt was reserved (the account was not locked): the row to verify against */
  reserved: Pick<UserRow, 'id' | 'site_id' | 'email' | 'name' | 'password_hash' | 'role' | 'failed_logins'> | null;
}

/**
 * Reserves one sign-in attempt in one statement, before the password is checked: the failure
 * count goes up and, at `maxFailures`, the lock is set, unless the account is locked already (then
 * nothing is reserved). Parallel attempts queue on the row and each sees the previous one's count
 * (PostgreSQL re-checks the WHERE on the newest row version), so a burst can verify at most
 * `maxFailures` passwords. An expired lock starts the count again at 1. Success clears it
 * (`clearLoginFailures`).
 */
export async function reserveLoginAttempt(db: Knex, email: string, maxFailures: number, lockMinutes: number): Promise<LoginAttempt> {
  const { rows } = await db.raw(`
    WITH u AS (SELECT id, site_id FROM users WHERE email = :email),
    r AS (
      UPDATE users SET
        failed_logins = CASE WHEN users.locked_until IS NOT NULL THEN 1 ELSE users.failed_logins + 1 END,
        locked_until = CASE WHEN (CASE WHEN users.locked_until IS NOT NULL THEN 1 ELSE users.failed_logins + 1 END) >= :maxFailures
                       THEN now() + make_interval(mins => :lockMinutes) ELSE NULL END
      FROM u
      WHERE users.id = u.id AND (users.locked_until IS NULL OR users.locked_until <= now())
      RETURNING users.id, users.site_id, users.email, users.name, users.password_hash, users.role, users.failed_logins)
    SELECT u.id AS user_id, u.site_id AS user_site_id, r.* FROM u LEFT JOIN r ON r.id = u.id`, { email, maxFailures, lockMinutes });
  const row = rows[0];
  if (!row) return { userId: null, siteId: null, reserved: null };
  return { userId: row.user_id, siteId: row.user_site_id, reserved: row.id ? { id: row.id, site_id: row.site_id, email: row.email, name: row.name, password_hash: row.password_hash, role: row.role, failed_logins: row.failed_logins } : null };
}

/** An admin lifts a lock early (a staff member locked out by someone else's guesses). */
export async function unlockUser(db: Knex | Knex.Transaction, userId: string, siteId: string): Promise<boolean> {
  const n = await db('users').where({ id: userId, site_id: siteId }).update({ failed_logins: 0, locked_until: null });
  return n > 0;
}

export const clearLoginFailures = (db: Knex | Knex.Transaction, userId: string) =>
  db('users').where({ id: userId }).update({ failed_logins: 0, locked_until: null });

export async function insertSession(db: Knex | Knex.Transaction, userId: string, tokenHash: string, expiresAt: Date): Promise<string> {
  const [row] = await db('sessions').insert({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt }).returning('id');
  return row.id;
}

export const findSessionActor = (db: Knex, tokenHash: string) =>
  db('sessions as s').join('users as u', 'u.id', 's.user_id')
    .select('s.id as session_id', 'u.id', 'u.site_id', 'u.role', 'u.name', 'u.email')
    .where('s.token_hash', tokenHash).whereNull('s.revoked_at').where('s.expires_at', '>', db.fn.now()).first();

export const revokeSession = (db: Knex | Knex.Transaction, sessionId: string) =>
  db('sessions').where({ id: sessionId }).update({ revoked_at: db.fn.now() });

export const findKioskActor = (db: Knex, tokenHash: string) =>
  db('kiosks').select('id', 'site_id', 'mode', 'name', 'last_seen_at').where({ token_hash: tokenHash }).whereNull('revoked_at').first();

export const touchKiosk = (db: Knex, kioskId: string) =>
  db('kiosks').where({ id: kioskId }).update({ last_seen_at: db.fn.now() });

/**
 * Which of these sign-ins and kiosk tokens are still good, in one statement (the socket sweep):
 * a session revoked, expired or gone, or a kiosk token replaced (re-paired) or revoked, is absent
 * from the answer. Sessions come back with why they ended.
 */
export async function credentialStates(db: Knex, sessionIds: string[], kioskTokenHashes: string[]) {
  const { rows } = await db.raw(`
    SELECT 'session' AS kind, s.id::text AS key, (s.revoked_at IS NULL AND s.expires_at > now()) AS live, s.revoked_at IS NOT NULL AS revoked
      FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ANY(CAST(:sessionIds AS uuid[]))
    UNION ALL
    SELECT 'kiosk', k.token_hash::text, true, false FROM kiosks k WHERE k.token_hash = ANY(CAST(:hashes AS text[])) AND k.revoked_at IS NULL`,
  // arrays go as PostgreSQL array literals (uuids and hex hashes only) so knex does not expand them
  { sessionIds: `{${sessionIds.join(',')}}`, hashes: `{${kioskTokenHashes.join(',')}}` });
  const sessions = new Map<string, { live: boolean; revoked: boolean }>();
  const kiosks = new Set<string>();
  for (const r of rows as { kind: string; key: string; live: boolean; revoked: boolean }[]) {
    if (r.kind === 'session') sessions.set(r.key, { live: r.live, revoked: r.revoked });
    else kiosks.add(r.key);
  }
  return { sessions, kiosks };
}
