/**
 * A campus's label printers as records (DESIGN §18): staff list them with their health; admins add
 * and edit them (name, address, type, stock) and say which printer a kiosk uses. Each change is
 * audited. Another campus's or organisation's printer or kiosk is not found.
 */
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import type { Printer, PrinterCreate, PrinterUpdate } from '../../../contracts/printers';
import { conflict, forbidden, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findKiosk } from '../kiosks/kiosks.repo';
import { presentKiosk } from '../kiosks/kiosks.presenter';
import { presentPrinter } from './printers.presenter';
import * as repo from './printers.repo';
import { clearPrinterAlerts } from './printer-health';

const staffOnly = (actor: Actor) => {
  if (actor.kind !== 'user') throw forbidden('Only staff manage printers');
};

async function present(tx: Tx, rows: repo.PrinterRow[]): Promise<Printer[]> {
  const kiosks = await repo.kiosksOfPrinters(
    tx.trx,
    rows.map((p) => p.id),
  );
  return rows.map((p) => presentPrinter(p, kiosks.get(p.id) ?? []));
}

export async function listPrinters(tx: Tx, actor: Actor): Promise<Printer[]> {
  staffOnly(actor);
  return present(tx, await repo.printersOfSite(tx.trx, actor.siteId));
}

export async function createPrinter(tx: Tx, actor: Actor, input: PrinterCreate): Promise<Printer> {
  staffOnly(actor);
  const siteId = input.siteId ?? actor.siteId;
  if (siteId !== actor.siteId) throw notFound('Campus');
  const row = await repo.insertPrinter(tx.trx, {
    organization_id: actor.organizationId,
    site_id: siteId,
    name: input.name,
    address: input.address ?? null,
    type: input.type,
    stock_id: input.stockId,
  });
  await insertAudit(tx.trx, actor, {
    action: 'printer.create',
    entity: 'printer',
    entityId: row.id,
    details: { name: row.name, address: row.address, type: row.type, stockId: row.stock_id },
  });
  return (await present(tx, [row]))[0]!;
}

export async function updatePrinter(tx: Tx, actor: Actor, id: string, input: PrinterUpdate): Promise<Printer> {
  staffOnly(actor);
  const before = await repo.lockPrinterOfSite(tx.trx, id, actor.siteId);
  if (!before) throw notFound('Printer');
  const type = input.type ?? before.type;
  const address = input.address === undefined ? before.address : input.address;
  if (type === 'zebra' && !address) throw conflict('address_required', 'address: a Zebra printer needs its host:port');
  const moved = address !== before.address || type !== before.type;
  const row = await repo.updatePrinter(tx.trx, id, {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.address !== undefined ? { address: input.address } : {}),
    ...(input.type !== undefined ? { type: input.type } : {}),
    ...(input.stockId !== undefined ? { stock_id: input.stockId } : {}),
    // another address is another printer: its health is asked anew
    ...(moved ? { health: 'unknown', health_at: null } : {}),
  });
  // another printer now: what stood against the old one no longer says anything (the poll asks the new one)
  if (moved) await clearPrinterAlerts(tx, before);
  await insertAudit(tx.trx, actor, {
    action: 'printer.update',
    entity: 'printer',
    entityId: id,
    details: { before: { name: before.name, address: before.address, type: before.type, stockId: before.stock_id }, changes: input },
  });
  return (await present(tx, [row!]))[0]!;
}

/** A kiosk names one of its campus's printers, or none (it prints through its browser). */
export async function setKioskPrinter(tx: Tx, actor: Actor, kioskId: string, printerId: string | null) {
  staffOnly(actor);
  const kiosk = await findKiosk(tx.trx, kioskId);
  if (!kiosk || kiosk.site_id !== actor.siteId) throw notFound('Kiosk');
  if (printerId && !(await repo.printerOfSite(tx.trx, printerId, actor.siteId))) throw notFound('Printer');
  await repo.setKioskPrinter(tx.trx, kioskId, printerId);
  await insertAudit(tx.trx, actor, { action: 'kiosk.printer', entity: 'kiosk', entityId: kioskId, details: { from: kiosk.printer_id, to: printerId } });
  return presentKiosk((await findKiosk(tx.trx, kioskId))!);
}
