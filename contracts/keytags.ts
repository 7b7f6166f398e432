/**
 * A family's key tag (DESIGN §12 and §18): a small tag for the key ring carrying the family's
 * express check-in code as a barcode and QR, printed at the desk on request — to a kiosk's Zebra
 * printer, or through the browser with the campus's key tag template.
 */
import { z } from 'zod';

export const KeyTagPrintSchema = z.object({ kioskId: z.uuid({ error: 'must be a kiosk id (UUID)' }).optional() }).strict();
export type KeyTagPrint = z.infer<typeof KeyTagPrintSchema>;

export interface KeyTagPrinted {
  /** the family's express code as printed (spaced for reading) */
  codeText: string;
  zpl: string;
  /** the tag for the browser's print: the key tag template with its @page size */
  html: string;
  /** where it printed, when a kiosk's printer was named (null: print `html` from this browser) */
  printed: { kiosk: string; printer: string } | null;
}
