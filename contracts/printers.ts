/** Label printers as records (DESIGN §18): name, network address, type, stock, campus, health. */
import { z } from 'zod';
import { LABEL_STOCKS } from './rules/label-stocks';
import { normalPrinterAddress } from './rules/printer-address';

/** What a printer last said to `~HS` (`unknown`: not asked yet; a browser/OS printer is never asked). */
export const PRINTER_HEALTH = ['ok', 'paper_out', 'head_open', 'paused', 'unreachable', 'unknown'] as const;
export type PrinterHealth = (typeof PRINTER_HEALTH)[number];
export const PRINTER_TYPES = ['zebra', 'browser'] as const;
export type PrinterType = (typeof PRINTER_TYPES)[number];

const STOCK_IDS = LABEL_STOCKS.map((s) => s.id) as [string, ...string[]];

const address = z
  .string({ error: 'must be host:port, e.g. 10.0.0.42:9100' })
  .trim()
  .max(200, 'is at most 200 characters')
  .transform((v, c) => {
    const a = normalPrinterAddress(v);
    if (!a) {
      c.addIssue({ code: 'custom', message: 'must be host:port, e.g. 10.0.0.42:9100' });
      return z.NEVER;
    }
    return a;
  });
const fields = {
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(80, 'is at most 80 characters'),
  /** a Zebra's network address; a browser/OS printer (DYMO, Brother, Citizen) has none */
  address: address.nullish(),
  type: z.enum(PRINTER_TYPES, { error: `must be one of ${PRINTER_TYPES.join(', ')}` }),
  stockId: z.enum(STOCK_IDS, { error: `must be one of ${STOCK_IDS.join(', ')}` }),
};
const zebraNeedsAddress = (p: { type?: PrinterType; address?: string | null }) => p.type !== 'zebra' || !!p.address;

export const PrinterCreateSchema = z
  .object({ ...fields, siteId: z.uuid({ error: 'must be a campus id (UUID)' }).optional(), stockId: fields.stockId.default('zebra-4x2') })
  .strict()
  .refine(zebraNeedsAddress, { path: ['address'], message: 'is required for a Zebra printer (host:port)' });
export type PrinterCreate = z.infer<typeof PrinterCreateSchema>;

export const PrinterUpdateSchema = z
  .object({ name: fields.name, address: fields.address, type: fields.type, stockId: fields.stockId })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'names nothing to change' });
export type PrinterUpdate = z.infer<typeof PrinterUpdateSchema>;

/** A kiosk names its printer (null: none — it prints through its browser). */
export const KioskPrinterSchema = z.object({ printerId: z.uuid({ error: 'must be a printer id (UUID) or null' }).nullable() }).strict();

export interface Printer {
  id: string;
  siteId: string;
  name: string;
  address: string | null;
  type: PrinterType;
  stockId: string;
  health: PrinterHealth;
  /** when `health` was last learnt */
  healthAt: string | null;
  /** the last job's result */
  lastOk: boolean | null;
  lastAt: string | null;
  lastError: string | null;
  /** the kiosks that name it */
  kiosks: { id: string; name: string }[];
}
