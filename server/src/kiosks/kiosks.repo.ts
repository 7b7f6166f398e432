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
  printer_id: string | null;
  /** the printer's address and name (DESIGN §18: printers are records a kiosk names) */
  printer_host: string | null;
  printer_name: string | null;
  revoked_at: Date | null;
  created_at: Date;
}
const COLUMNS = ['id', 'site_id', 'name', 'mode', 'token_hash', 'last_seen_at', 'printer_id', 'revoked_at', 'created_at'];
/** COLUMNS of `kiosks k` and its printer's address and name, as a select list */
const WITH_PRINTER = `${COLUMNS.map((c) => `k.${c}`).join(', ')},
  (SELECT p.address FROM printers p WHERE p.id = k.printer_id) AS printer_host,
  (SELECT p.name FROM printers p WHERE p.id = k.printer_id) AS printer_name`;

export async function insertKiosk(
  trx: Knex.Transaction,
  row: {
    organization_id: string;
    site_id: string;
    name: string;
    mode: string;
    printer_id?: string | null;
    pairing_code_hash: string;
    pairing_expires_at: Date;
  },
) {
  const [k] = await trx('kiosks').insert(row).returning('id');
  return (await findKiosk(trx, (k as { id: string }).id))!;
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
    RETURNING ${WITH_PRINTER}, old.token_hash AS previous_token_hash`,
    { codeHash, tokenHash },
  );
  return rows[0] as (KioskRow & { previous_token_hash: string | null }) | undefined;
}
export const listKiosks = (db: Db, siteId: string): Promise<KioskRow[]> =>
  db('kiosks as k').select(db.raw(WITH_PRINTER)).where({ 'k.site_id': siteId }).orderBy('k.name');
export const findKiosk = (db: Db, id: string): Promise<KioskRow | undefined> => db('kiosks as k').select(db.raw(WITH_PRINTER)).where({ 'k.id': id }).first();
export const revokeKiosk = (trx: Knex.Transaction, id: string) =>
  trx('kiosks').where({ id }).update({ token_hash: null, pairing_code_hash: null, revoked_at: trx.fn.now() });
