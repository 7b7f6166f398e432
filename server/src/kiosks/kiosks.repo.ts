import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
/** A `kiosks` row as the repo reads it (COLUMNS). */
export interface KioskRow {
  id: string;
  site_id: string;
  name: string;
  mode: 'checkin' | 'pickup';
  token_hash: string | null;
  last_seen_at: Date | null;
  printer_host: string | null;
  revoked_at: Date | null;
  created_at: Date;
}
const COLUMNS = ['id', 'site_id', 'name', 'mode', 'token_hash', 'last_seen_at', 'printer_host', 'revoked_at', 'created_at'];

export async function insertKiosk(
  trx: Knex.Transaction,
  row: {
    organization_id: string;
    site_id: string;
    name: string;
    mode: string;
    printer_host?: string | null;
    pairing_code_hash: string;
    pairing_expires_at: Date;
  },
) {
  const [k] = await trx('kiosks').insert(row).returning(COLUMNS);
  return k;
}
export const setPairingCode = (trx: Knex.Transaction, id: string, hash: string, expiresAt: Date) =>
  trx('kiosks').where({ id }).update({ pairing_code_hash: hash, pairing_expires_at: expiresAt });

/**
 * Consumes a pairing code: single use (cleared in the same UPDATE), only before it expires. The new
 * token replaces the old one, so a re-paired kiosk's old tablet is signed out; the old token's hash
 * comes back (`previous_token_hash`) so its sockets can be ended.
 */
export async function consumePairingCode(trx: Knex.Transaction, codeHash: string, tokenHash: string) {
  const { rows } = await trx.raw(
    `
    WITH old AS (
      SELECT id, token_hash FROM kiosks
      WHERE pairing_code_hash = :codeHash AND revoked_at IS NULL AND pairing_expires_at > now() FOR UPDATE)
    UPDATE kiosks k SET token_hash = :tokenHash, pairing_code_hash = NULL, pairing_expires_at = NULL, last_seen_at = now()
    FROM old WHERE k.id = old.id AND k.pairing_code_hash = :codeHash
    RETURNING ${COLUMNS.map((c) => `k.${c}`).join(', ')}, old.token_hash AS previous_token_hash`,
    { codeHash, tokenHash },
  );
  return rows[0] as (KioskRow & { previous_token_hash: string | null }) | undefined;
}
export const listKiosks = (db: Db, siteId: string): Promise<KioskRow[]> => db('kiosks').select(COLUMNS).where({ site_id: siteId }).orderBy('name');
export const findKiosk = (db: Db, id: string) => db('kiosks').select(COLUMNS).where({ id }).first();
export const revokeKiosk = (trx: Knex.Transaction, id: string) =>
  trx('kiosks').where({ id }).update({ token_hash: null, pairing_code_hash: null, revoked_at: trx.fn.now() });
