import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
const COLUMNS = ['id', 'site_id', 'name', 'mode', 'token_hash', 'last_seen_at', 'printer_host', 'revoked_at', 'created_at'];

export async function insertKiosk(trx: Knex.Transaction, row: { site_id: string; name: string; mode: string; printer_host?: string | null; pairing_code_hash: string; pairing_expires_at: Date }) {
  const [k] = await trx('kiosks').insert(row).returning(COLUMNS);
  return k;
}
export const setPairingCode = (trx: Knex.Transaction, id: string, hash: string, expiresAt: Date) =>
  trx('kiosks').where({ id }).update({ pairing_code_hash: hash, pairing_expires_at: expiresAt });

/** Consumes a pairing code: single use (cleared in the same UPDATE), only before it expires. */
export async function consumePairingCode(trx: Knex.Transaction, codeHash: string, tokenHash: string) {
  const rows = await trx('kiosks').where({ pairing_code_hash: codeHash }).whereNull('revoked_at').where('pairing_expires_at', '>', trx.fn.now())
    .update({ token_hash: tokenHash, pairing_code_hash: null, pairing_expires_at: null, last_seen_at: trx.fn.now() }).returning(COLUMNS);
  return rows[0];
}
export const listKiosks = (db: Db, siteId: string) => db('kiosks').select(COLUMNS).where({ site_id: siteId }).orderBy('name');
export const findKiosk = (db: Db, id: string) => db('kiosks').select(COLUMNS).where({ id }).first();
export const revokeKiosk = (trx: Knex.Transaction, id: string) => trx('kiosks').where({ id }).update({ token_hash: null, pairing_code_hash: null, revoked_at: trx.fn.now() });
