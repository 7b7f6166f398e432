/** Labels and printing (DESIGN §18): what a label shows, printing and reprinting, a kiosk's printer status. */
import { z } from 'zod';
import type { PrinterHealth } from '../printers';
import type { AllergySeverity } from '../rules';
import { UuidSchema } from './fields';

/** Staff reprint a family's labels: to the browser (ZPL and fields returned), or to a kiosk's printer. */
export const ReprintLabelsSchema = z.object({ kioskId: UuidSchema.optional() }).strict();

/**
 * A parent reprints the family's own labels at a kiosk later in the day (DESIGN §18), proved by
 * the tag's code or the pass (the same proof as joining the day's code, DESIGN §16).
 */
export const FamilyReprintSchema = z
  .object({
    householdId: UuidSchema,
    serviceId: UuidSchema,
    proof: z.string().trim().min(1, 'must not be empty').max(512),
    /** the kiosk prints with its browser: only the label data comes back */
    browser: z.boolean().optional(),
  })
  .strict();
export type FamilyReprint = z.infer<typeof FamilyReprintSchema>;

/** A kiosk asks the server to send a check-in's labels to its Zebra printer. */
export const PrintLabelsSchema = z
  .object({
    /** one check-in request (the kiosk's labels right after it) … */
    requestId: UuidSchema.optional(),
    /** … or the family's batch: this kiosk's latest check-in into it */
    batchId: UuidSchema.optional(),
    /** the kiosk prints with its browser (no Zebra, or the Zebra is down): only the label data comes back */
    browser: z.boolean().optional(),
  })
  .strict()
  .refine((b) => (b.requestId != null) !== (b.batchId != null), { message: 'needs a requestId or a batchId', path: ['batchId'] });

/** One child's label: `medical` is a marker (a note exists), never the note. */
export interface LabelChildData {
  childId?: string;
  firstName: string;
  lastName: string;
  roomName: string;
  allergies: string;
  allergySeverity?: AllergySeverity | null;
  medical?: boolean;
}
/** Everything a label shows, built once on the server for the Zebra and for the browser. */
export interface LabelSetData {
  securityCode: string;
  pickupUrl: string;
  date: string;
  serviceName: string;
  footer: string;
  children: LabelChildData[];
  lang?: 'en' | 'es';
}
/** `printed`: a printer accepted the job; false when the kiosk asked for the browser's data only. */
export interface PrintLabelsResult {
  printed: boolean;
  labels: number;
  set: LabelSetData;
  /** the same labels rendered with the campus's label templates, for the browser's print (#29) */
  html?: string;
  /** the printer that took the job; `failover`: not the kiosk's own (it was down) — tell the parent where */
  printer?: { name: string; failover: boolean };
}
/** `POST /api/checkins/:id/labels`: the family's labels (for the browser) and where they were printed. */
export interface ReprintResult {
  labels: LabelSetData;
  zpl: string;
  /** the labels rendered with the campus's label templates, for the browser's print (#29) */
  html?: string;
  printed: { kiosk: string | null; printer?: string } | null;
}
/** A kiosk's label printer and how its last job went (null: nothing sent yet). */
export interface PrinterStatus {
  kioskId: string;
  kioskName: string;
  printerHost: string | null;
  /** the printer record the kiosk names (DESIGN §18) and its last `~HS` answer */
  printerId: string;
  printerName: string;
  health: PrinterHealth;
  lastOk: boolean | null;
  lastAt: string | null;
  lastError: string | null;
}
