/** The staff's view of the campus's kiosk printers (a service of its own so the route reads no repo). */
import type { Knex } from 'knex';
import { listPrinters, type KioskPrinterRow } from './printing.repo';

/** Each check-in kiosk of the campus with a printer, and the result of its last job. */
export const printersAt = (db: Knex, siteId: string): Promise<KioskPrinterRow[]> => listPrinters(db, siteId);
