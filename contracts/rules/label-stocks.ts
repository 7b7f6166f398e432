/**
 * Label stocks a church can print on (DESIGN §18). A stock is a page size: the label templates lay
 * their fields out on it, a Zebra printer gets it as ZPL (`^PW`/`^LL` at the printer's dots per
 * inch) and a browser print as CSS `@page { size: … }` (DYMO, Brother, Citizen through the
 * operating system). `heightMm: null` is continuous stock (the label is as long as its content,
 * at least `minHeightMm`). A campus may also use a custom size; `isValidStockSize` says whether one
 * can be printed.
 */
export type PrinterKind = 'zebra' | 'browser';

export interface LabelStock {
  id: string;
  name: string;
  widthMm: number;
  /** null: continuous stock, cut after each label */
  heightMm: number | null;
  /** for continuous stock, the shortest label the printer cuts */
  minHeightMm?: number;
  /** which kind of printer usually takes it */
  kind: PrinterKind;
}

const inch = (n: number) => Math.round(n * 25.4 * 100) / 100;

export const LABEL_STOCKS: readonly LabelStock[] = [
  { id: 'zebra-4x2', name: 'Zebra 4 × 2 in', widthMm: inch(4), heightMm: inch(2), kind: 'zebra' },
  { id: 'zebra-2.25x1.25', name: 'Zebra 2.25 × 1.25 in', widthMm: inch(2.25), heightMm: inch(1.25), kind: 'zebra' },
  { id: 'zebra-4x6', name: 'Zebra 4 × 6 in', widthMm: inch(4), heightMm: inch(6), kind: 'zebra' },
  { id: 'dymo-30256', name: 'DYMO 30256 shipping (2⁵⁄₁₆ × 4 in)', widthMm: inch(4), heightMm: inch(2.3125), kind: 'browser' },
  { id: 'dymo-30252', name: 'DYMO 30252 address (1⅛ × 3½ in)', widthMm: inch(3.5), heightMm: inch(1.125), kind: 'browser' },
  { id: 'brother-62mm', name: 'Brother DK-2205 62 mm continuous', widthMm: 62, heightMm: null, minHeightMm: 29, kind: 'browser' },
  { id: 'brother-dk1201', name: 'Brother DK-1201 29 × 90 mm', widthMm: 90, heightMm: 29, kind: 'browser' },
  { id: 'citizen-4x2', name: 'Citizen CL-S 4 × 2 in', widthMm: inch(4), heightMm: inch(2), kind: 'browser' },
];

export const DEFAULT_LABEL_STOCK_ID = 'zebra-4x2';

export function labelStock(id: string): LabelStock | undefined {
  return LABEL_STOCKS.find((s) => s.id === id);
}

/** A size a printer can take: 10 mm to 300 mm across, 10 mm to 600 mm long (or continuous). */
export function isValidStockSize(widthMm: number, heightMm: number | null): boolean {
  const ok = (n: number, max: number) => Number.isFinite(n) && n >= 10 && n <= max;
  return ok(widthMm, 300) && (heightMm === null || ok(heightMm, 600));
}
