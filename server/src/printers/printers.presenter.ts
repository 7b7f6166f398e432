import type { Printer } from '../../../contracts/printers';
import { iso } from '../../../contracts/rules';
import type { PrinterRow } from './printers.repo';

export const presentPrinter = (p: PrinterRow, kiosks: { id: string; name: string }[]): Printer => ({
  id: p.id,
  siteId: p.site_id,
  name: p.name,
  address: p.address,
  type: p.type,
  stockId: p.stock_id,
  health: p.health,
  healthAt: iso(p.health_at),
  lastOk: p.last_ok,
  lastAt: iso(p.last_at),
  lastError: p.last_error,
  kiosks,
});
