import type { Knex } from 'knex';
import type { ApiScope } from '../../../contracts';

type Db = Knex | Knex.Transaction;

export interface ApiKeyRow {
  id: string;
  organization_id: string;
  site_id: string | null;
  name: string;
  scopes: ApiScope[];
  prefix: string;
  created_at: Date;
  created_by_name: string | null;
  last_used_at: Date | null;
  use_count: string | number;
  revoked_at: Date | null;
}

const COLUMNS = ['k.id', 'k.organization_id', 'k.site_id', 'k.name', 'k.scopes', 'k.prefix', 'k.created_at', 'k.last_used_at', 'k.use_count', 'k.revoked_at'];

export async function insertApiKey(
  db: Db,
  row: { organizationId: string; siteId: string | null; name: string; scopes: readonly ApiScope[]; prefix: string; secretHash: string; createdBy: string },
): Promise<string> {
  const [r] = await db('api_keys')
    .insert({
      organization_id: row.organizationId,
      site_id: row.siteId,
      name: row.name,
      scopes: db.raw('CAST(? AS text[])', [`{${row.scopes.join(',')}}`]),
      prefix: row.prefix,
      secret_hash: row.secretHash,
      created_by: row.createdBy,
    })
    .returning('id');
  return (r as { id: string }).id;
}

const withCreator = (db: Db) =>
  db('api_keys as k')
    .leftJoin('users as u', 'u.id', 'k.created_by')
    .select(...COLUMNS, db.raw('coalesce(u.name, u.email) AS created_by_name'));

/** One key of the organisation (another organisation's id: nothing). */
export async function findApiKey(db: Db, organizationId: string, id: string): Promise<ApiKeyRow | undefined> {
  return (await withCreator(db).where({ 'k.id': id, 'k.organization_id': organizationId }).first()) as ApiKeyRow | undefined;
}

/** Every key of the organisation: live ones first, newest first. */
export async function listApiKeys(db: Db, organizationId: string): Promise<ApiKeyRow[]> {
  const rows: ApiKeyRow[] = await withCreator(db).where('k.organization_id', organizationId).orderByRaw('k.revoked_at IS NOT NULL, k.created_at DESC, k.id');
  return rows;
}

/** Revokes a live key of the organisation; false when there is none (unknown, another organisation's, revoked already). */
export async function revokeApiKey(db: Db, organizationId: string, id: string): Promise<boolean> {
  const n = await db('api_keys').where({ id, organization_id: organizationId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
  return n > 0;
}

/** Whether a campus belongs to the organisation. */
export async function siteOfOrganization(db: Db, organizationId: string, siteId: string): Promise<boolean> {
  return !!(await db('sites').select('id').where({ id: siteId, organization_id: organizationId }).first());
}

export interface KeyActorRow {
  id: string;
  organization_id: string;
  site_id: string | null;
  name: string;
  scopes: ApiScope[];
  secret_hash: string;
  /** the campus asked for (X-Site-Id), when it is one of the organisation's */
  asked_site_id: string | null;
  /** the organisation's first campus (an organisation-wide key that names none acts there) */
  first_site_id: string | null;
}

/**
 * A live key by its secret's hash, counted as used in the same statement (last_used_at, use_count):
 * one round trip per request, and never a cached answer, so a revocation refuses the very next
 * request on every instance. With the campus asked for, and the organisation's first campus.
 */
export async function useKey(db: Knex, secretHash: string, askedSiteId: string | null): Promise<KeyActorRow | undefined> {
  const { rows } = await db.raw(
    `
    WITH k AS (
      UPDATE api_keys SET last_used_at = now(), use_count = use_count + 1
       WHERE secret_hash = :secretHash AND revoked_at IS NULL
      RETURNING id, organization_id, site_id, name, scopes, secret_hash)
    SELECT k.*,
           (SELECT s.id FROM sites s WHERE s.id = CAST(:askedSiteId AS uuid) AND s.organization_id = k.organization_id) AS asked_site_id,
           (SELECT s.id FROM sites s WHERE s.organization_id = k.organization_id ORDER BY s.created_at, s.id LIMIT 1) AS first_site_id
      FROM k`,
    { secretHash, askedSiteId },
  );
  return (rows as KeyActorRow[])[0];
}
