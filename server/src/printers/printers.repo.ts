import type { Knex } from 'knex';
import type { PrinterHealth, PrinterType } from '../../../contracts/printers';

type Db = Knex | Knex.Transaction;
/** A `printers` row as the repo reads it (COLUMNS). */
export interface PrinterRow {
  id: string;
  organization_id: string;
  site_id: string;
  name: string;
  address: string | null;
  type: PrinterType;
  stock_id: string;
  health: PrinterHealth;
  health_at: Date | null;
  last_ok: boolean | null;
  last_at: Date | null;
  last_error: string | null;
}
const COLUMNS = ['id', 'organization_id', 'site_id', 'name', 'address', 'type', 'stock_id', 'health', 'health_at', 'last_ok', 'last_at', 'last_error'];
const P = COLUMNS.map((c) => `p.${c}`);

export async function insertPrinter(
  trx: Knex.Transaction,
  row: { organization_id: string; site_id: string; name: string; address: string | null; type: PrinterType; stock_id: string },
): Promise<PrinterRow> {
  const [p] = await trx('printers').insert(row).returning(COLUMNS);
  return p as PrinterRow;
}

export async function updatePrinter(
  trx: Knex.Transaction,
  id: string,
  patch: Partial<Pick<PrinterRow, 'name' | 'address' | 'type' | 'stock_id'>> & { health?: PrinterHealth; health_at?: null },
): Promise<PrinterRow | undefined> {
  const [p] = await trx('printers')
    .where({ id })
    .update({ ...patch, updated_at: trx.fn.now() })
    .returning(COLUMNS);
  return p as PrinterRow | undefined;
}

export const findPrinter = (db: Db, id: string): Promise<PrinterRow | undefined> => db('printers').select(COLUMNS).where({ id }).first();

/** One printer of this campus (a printer of another campus or organisation is not found). */
export const printerOfSite = (db: Db, id: string, siteId: string): Promise<PrinterRow | undefined> =>
  db('printers').select(COLUMNS).where({ id, site_id: siteId }).first();

/** One printer of this campus with a row lock, for an edit. */
export const lockPrinterOfSite = (trx: Knex.Transaction, id: string, siteId: string): Promise<PrinterRow | undefined> =>
  trx('printers').select(COLUMNS).where({ id, site_id: siteId }).forUpdate().first();

export const printersOfSite = (db: Db, siteId: string): Promise<PrinterRow[]> =>
  db('printers').select(COLUMNS).where({ site_id: siteId }).orderBy(['name', 'id']);

/** A campus's printer at this address, to share rather than repeat. */
export const printerAtAddress = (db: Db, siteId: string, address: string): Promise<PrinterRow | undefined> =>
  db('printers').select(COLUMNS).where({ site_id: siteId, address }).orderBy('created_at').first();

/** The kiosks (not unpaired) naming each of these printers. */
export async function kiosksOfPrinters(db: Db, printerIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (!printerIds.length) return out;
  const rows: { id: string; name: string; printer_id: string }[] = await db('kiosks')
    .select('id', 'name', 'printer_id')
    .whereIn('printer_id', printerIds)
    .whereNull('revoked_at')
    .orderBy(['name', 'id']);
  for (const r of rows) out.set(r.printer_id, [...(out.get(r.printer_id) ?? []), { id: r.id, name: r.name }]);
  return out;
}

/** The printer a kiosk names, if any. */
export async function printerOfKiosk(db: Db, kioskId: string): Promise<PrinterRow | undefined> {
  return db('kiosks as k').join('printers as p', 'p.id', 'k.printer_id').select(P).where('k.id', kioskId).first();
}

export const setKioskPrinter = (trx: Knex.Transaction, kioskId: string, printerId: string | null) =>
  trx('kiosks').where({ id: kioskId }).update({ printer_id: printerId });

/**
 * The campus's other network printers a job may go to instead, the healthy ones first (known
 * healthy before never asked), then by name: the caller asks each before sending.
 */
export function failoverCandidates(db: Db, siteId: string, exceptId: string): Promise<PrinterRow[]> {
  return db('printers')
    .select(COLUMNS)
    .where({ site_id: siteId, type: 'zebra' })
    .whereNot({ id: exceptId })
    .whereNotNull('address')
    .orderByRaw(`CASE health WHEN 'ok' THEN 0 WHEN 'unknown' THEN 1 ELSE 2 END, name, id`);
}

/** Every network printer of every campus, for the health poll. */
export const networkPrinters = (db: Db): Promise<PrinterRow[]> => db('printers').select(COLUMNS).where({ type: 'zebra' }).whereNotNull('address').orderBy('id');

/**
 * Records what a printer said; returns the row with `previous` (its health before) only when the
 * health changed — so, of several instances polling at once, exactly one sees each change.
 */
export async function recordHealth(trx: Knex.Transaction, id: string, health: PrinterHealth): Promise<(PrinterRow & { previous: PrinterHealth }) | undefined> {
  const { rows } = await trx.raw(
    `WITH old AS (SELECT id, health FROM printers WHERE id = :id FOR UPDATE)
     UPDATE printers p SET health = :health, health_at = now() FROM old WHERE p.id = old.id
     RETURNING ${P.join(', ')}, old.health AS previous`,
    { id, health },
  );
  const row = rows[0] as (PrinterRow & { previous: PrinterHealth }) | undefined;
  return row && row.previous !== health ? row : undefined;
}

/** The result of a printer's last job (labels or a test print), for staff to see. */
export const recordJobResult = (db: Db, printerId: string, ok: boolean, error: string | null) =>
  db('printers').where({ id: printerId }).update({ last_ok: ok, last_at: db.fn.now(), last_error: error });
