import type { Knex } from 'knex';

export interface UserRow { id: string; site_id: string; email: string; name: string; password_hash: string; role: 'admin' | 'staff' | 'volunteer'; failed_logins: number; locked_until: Date | null }

export const findUserByEmail = (db: Knex | Knex.Transaction, email: string) =>
  db<UserRow>('users').select('id', 'site_id', 'email', 'name', 'password_hash', 'role', 'failed_logins', 'locked_until').where({ email }).first();

export const recordLoginFailure = (db: Knex | Knex.Transaction, userId: string, lockUntil: Date | null) =>
  db('users').where({ id: userId }).update({ failed_logins: db.raw('failed_logins + 1'), locked_until: lockUntil });

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
