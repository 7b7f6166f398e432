import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
const PERSON = [
  'u.id',
  'u.organization_id',
  'u.site_id',
  'u.email',
  'u.name',
  'u.org_admin',
  'u.deactivated_at',
  'u.created_at',
  'u.password_hash',
  'u.background_check_status',
  'u.background_check_expires_on',
];
export interface PersonRow {
  id: string;
  organization_id: string;
  site_id: string | null;
  email: string;
  name: string;
  org_admin: boolean;
  deactivated_at: Date | null;
  created_at: Date;
  password_hash: string;
  background_check_status: string;
  background_check_expires_on: string | null;
}
export interface RoleRow {
  user_id: string;
  site_id: string;
  site_name: string;
  role: 'admin' | 'staff' | 'volunteer';
}

export const findPerson = (db: Db, id: string): Promise<PersonRow | undefined> => db('users as u').select(PERSON).where('u.id', id).first();
export const lockPerson = (trx: Knex.Transaction, id: string): Promise<PersonRow | undefined> =>
  trx('users as u').select(PERSON).where('u.id', id).forUpdate().first();
export const findPersonByEmail = (db: Db, organizationId: string, email: string): Promise<PersonRow | undefined> =>
  db('users as u').select(PERSON).where('u.organization_id', organizationId).whereRaw('lower(u.email) = lower(?)', [email]).first();

/** People of the organisation; with `siteId`, only those holding a role at that campus; with `expiringBy`, only cleared checks that run out by that date. */
export function listPeople(db: Db, organizationId: string, siteId?: string, expiringBy?: string): Promise<PersonRow[]> {
  const q = db('users as u')
    .select(PERSON)
    .where('u.organization_id', organizationId)
    .orderBy([{ column: 'u.name' }, { column: 'u.email' }]);
  // cleared checks that run out within the window (or already have): who to chase before Sunday
  if (expiringBy != null) {
    q.where('u.background_check_status', 'cleared')
      .whereNull('u.deactivated_at')
      .where('u.background_check_expires_on', '<=', expiringBy)
      .clearOrder()
      .orderBy([{ column: 'u.background_check_expires_on' }, { column: 'u.name' }]);
  }
  if (siteId) q.whereExists(db('user_roles as r').select(db.raw('1')).whereRaw('r.user_id = u.id').where('r.site_id', siteId));
  return q;
}
export const rolesOf = (db: Db, userIds: string[]): Promise<RoleRow[]> =>
  userIds.length
    ? db('user_roles as r')
        .join('sites as s', 's.id', 'r.site_id')
        .select('r.user_id', 'r.site_id', 's.name as site_name', 'r.role')
        .whereIn('r.user_id', userIds)
        .orderBy(['s.created_at', 's.id'])
    : Promise.resolve([]);

export const siteInOrganization = (db: Db, siteId: string, organizationId: string): Promise<{ id: string; name: string } | undefined> =>
  db('sites').select('id', 'name').where({ id: siteId, organization_id: organizationId }).first();

export async function insertPerson(
  trx: Knex.Transaction,
  row: { organization_id: string; site_id: string | null; email: string; name: string; password_hash: string; org_admin: boolean },
): Promise<string> {
  const [u] = await trx('users').insert(row).returning('id');
  return u.id;
}
export async function upsertRole(trx: Knex.Transaction, row: { organization_id: string; user_id: string; site_id: string; role: string }): Promise<void> {
  await trx.raw(
    `INSERT INTO user_roles (organization_id, user_id, site_id, role) VALUES (:organization_id, :user_id, :site_id, :role)
     ON CONFLICT (user_id, site_id) DO UPDATE SET role = EXCLUDED.role`,
    row,
  );
}
export const deleteRole = (trx: Knex.Transaction, userId: string, siteId: string) => trx('user_roles').where({ user_id: userId, site_id: siteId }).delete();
export const updatePerson = (trx: Knex.Transaction, id: string, patch: Record<string, unknown>) => trx('users').where({ id }).update(patch);

export const revokeSessionsAt = (trx: Knex.Transaction, userId: string, siteId: string): Promise<{ id: string; site_id: string }[]> =>
  trx('sessions')
    .where({ user_id: userId, site_id: siteId })
    .whereNull('revoked_at')
    .where('expires_at', '>', trx.fn.now())
    .update({ revoked_at: trx.fn.now() })
    .returning(['id', 'site_id']);

export async function insertUserToken(
  trx: Knex.Transaction,
  row: { organization_id: string; user_id: string; kind: 'invite' | 'reset'; token_hash: string; expires_at: Date; created_by: string | null },
) {
  await trx('user_tokens').insert(row);
}
/** Earlier unused links of a person (a new one replaces them; deactivation kills them). */
export const retireUserTokens = (trx: Knex.Transaction, userId: string, kind?: 'invite' | 'reset') => {
  const q = trx('user_tokens').where({ user_id: userId }).whereNull('used_at');
  if (kind) q.where({ kind });
  return q.update({ used_at: trx.fn.now() });
};
/**
 * Consumes a link: single use (marked used in the same statement that finds it), before it
 * expires, for an active person. Two simultaneous uses: one wins, the other finds nothing.
 */
export async function consumeUserToken(
  trx: Knex.Transaction,
  tokenHash: string,
): Promise<{ id: string; user_id: string; kind: 'invite' | 'reset'; organization_id: string } | undefined> {
  const { rows } = await trx.raw(
    `
    UPDATE user_tokens t SET used_at = now()
      FROM users u
     WHERE t.token_hash = :tokenHash AND t.used_at IS NULL AND t.expires_at > now() AND u.id = t.user_id AND u.deactivated_at IS NULL
    RETURNING t.id, t.user_id, t.kind, t.organization_id`,
    { tokenHash },
  );
  return rows[0];
}
/** An unused, unexpired link of an active person, without using it (the page that asks for the new password). */
export const peekUserToken = (db: Db, tokenHash: string): Promise<{ kind: 'invite' | 'reset'; email: string; name: string } | undefined> =>
  db('user_tokens as t')
    .join('users as u', 'u.id', 't.user_id')
    .select('t.kind', 'u.email', 'u.name')
    .where('t.token_hash', tokenHash)
    .whereNull('t.used_at')
    .where('t.expires_at', '>', db.fn.now())
    .whereNull('u.deactivated_at')
    .first();

/** The campuses where the person has a live sign-in. */
export async function siteIdsWithLiveSessions(trx: Knex.Transaction, userId: string): Promise<string[]> {
  const { rows } = await trx.raw<{ rows: { site_id: string }[] }>(
    'SELECT DISTINCT site_id FROM sessions WHERE user_id = :userId AND revoked_at IS NULL AND expires_at > now()',
    { userId },
  );
  return rows.map((r) => r.site_id);
}
