import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
/** A `displays` row as the repo reads it (COLUMNS). */
export interface DisplayRow {
  id: string;
  site_id: string;
  name: string;
  token_hash: string | null;
  last_seen_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}
const COLUMNS = ['id', 'site_id', 'name', 'token_hash', 'last_seen_at', 'revoked_at', 'created_at'];

type DisplayInsert = { organization_id: string; site_id: string; name: string; pairing_code_hash: string; pairing_expires_at: Date };
export async function insertDisplay(trx: Knex.Transaction, row: DisplayInsert) {
  const [d] = await trx('displays').insert(row).returning(COLUMNS);
  return d as DisplayRow;
}

/** Consumes a pairing code (single use, before it expires): the display gets its token. */
export async function consumePairingCode(trx: Knex.Transaction, codeHash: string, tokenHash: string) {
  const rows = await trx('displays')
    .where({ pairing_code_hash: codeHash })
    .whereNull('revoked_at')
    .where('pairing_expires_at', '>', trx.fn.now())
    .update({ token_hash: tokenHash, pairing_code_hash: null, pairing_expires_at: null, last_seen_at: trx.fn.now() })
    .returning(COLUMNS);
  return rows[0] as DisplayRow | undefined;
}
export const listDisplays = (db: Db, siteId: string): Promise<DisplayRow[]> => db('displays').select(COLUMNS).where({ site_id: siteId }).orderBy('name');
export const findDisplay = (db: Db, id: string): Promise<DisplayRow | undefined> => db('displays').select(COLUMNS).where({ id }).first();
export const revokeDisplay = (trx: Knex.Transaction, id: string) =>
  trx('displays').where({ id }).update({ token_hash: null, pairing_code_hash: null, revoked_at: trx.fn.now() });
export const findDisplayActor = (db: Knex, tokenHash: string): Promise<{ id: string; site_id: string; name: string; organization_id: string } | undefined> =>
  db('displays as d')
    .join('sites as s', 's.id', 'd.site_id')
    .select('d.id', 'd.site_id', 'd.name', 's.organization_id')
    .where({ 'd.token_hash': tokenHash })
    .whereNull('d.revoked_at')
    .first();
