/**
 * The templates a church starts with, one per kind for any stock. The Zebra 4 × 2 in child label
 * and parent tag are the layouts printed before templates existed (drawn in dots at 203 dpi, kept
 * exact so a church sees no change); other stocks get the same layout scaled to their size, the
 * fonts by the smaller scale so nothing outgrows its place.
 */
import { DEFAULT_LABEL_STOCK_ID } from '../rules/label-stocks';
import {
  elementBounds,
  labelHeightMm,
  stockOf,
  type LabelElement,
  type LabelTemplate,
  type LabelTemplateKind,
  type TemplateStock,
  type TextElement,
} from './model';

const BASE_W = 101.6;
const BASE_H = 50.8;
/** dots at 203 dpi → mm, and dot font sizes → points (rounded so they come back to the same dots) */
const d = (n: number) => Math.round(((n * 25.4) / 203) * 100) / 100;
const p = (n: number) => Math.round(((n * 72) / 203) * 10) / 10;

const text = (
  field: TextElement['field'],
  x: number,
  y: number,
  w: number,
  max: number,
  min: number,
  opts: Partial<Pick<TextElement, 'lines' | 'maxLines' | 'align' | 'reverse' | 'when' | 'text' | 'bold'>> = {},
): TextElement => {
  const lines = opts.lines ?? 1;
  return {
    type: 'text',
    field,
    ...(opts.text !== undefined ? { text: opts.text } : {}),
    x: d(x),
    y: d(y),
    w: d(w),
    fontPt: p(max),
    minFontPt: p(min),
    lines,
    // a text without a say wraps onto one more line at its smallest size (never cut)
    maxLines: opts.maxLines ?? (min === max ? lines : lines + 1),
    bold: opts.bold ?? true,
    align: opts.align ?? 'left',
    reverse: opts.reverse ?? false,
    ...(opts.when ? { when: opts.when } : {}),
  };
};

/** The 4 × 2 in layouts, in mm. */
const BASE: Record<LabelTemplateKind, LabelElement[]> = {
  child: [
    text('firstName', 30, 24, 520, 76, 36, { maxLines: 2 }),
    text('lastName', 30, 106, 520, 40, 22),
    text('room', 30, 164, 520, 46, 24, { maxLines: 2 }),
    { type: 'code', x: d(568), y: d(24), w: d(214), h: d(130), fontPt: p(84), border: d(4), align: 'center' },
    { type: 'box', x: d(568), y: d(164), w: d(214), h: d(50), border: d(50), color: 'black', when: 'medical' },
    text('medical', 568, 174, 214, 34, 34, { align: 'center', reverse: true }),
    { type: 'box', x: d(30), y: d(222), w: d(752), h: d(88), border: d(88), color: 'black', when: 'allergies' },
    { type: 'box', x: d(36), y: d(226), w: d(740), h: d(80), border: d(4), color: 'white', when: 'severeAllergy' },
    text('allergies', 44, 230, 724, 38, 18, { lines: 2, maxLines: 4, reverse: true }),
    text('dateService', 30, 318, 752, 30, 20),
    text('footer', 30, 358, 752, 26, 18),
  ],
  parent: [
    text('title', 30, 24, 480, 36, 24),
    { type: 'code', x: d(30), y: d(70), w: d(480), h: d(120), fontPt: p(120), border: 0, align: 'left' },
    text('childNames', 30, 200, 480, 36, 20, { lines: 3, maxLines: 4 }),
    text('date', 30, 320, 480, 26, 26),
    text('footer', 30, 356, 480, 24, 16),
    { type: 'qr', x: d(536), y: d(40), size: d(244), data: 'pickupUrl' },
  ],
  volunteer: [
    text('title', 30, 24, 752, 36, 36),
    text('volunteerName', 30, 80, 752, 90, 40, { maxLines: 2 }),
    text('room', 30, 200, 752, 56, 28),
    text('dateService', 30, 316, 752, 30, 20),
    text('footer', 30, 362, 752, 24, 16, { maxLines: 1 }),
  ],
  keytag: [
    text('title', 30, 24, 480, 30, 20),
    text('familyName', 30, 70, 480, 60, 28, { maxLines: 2 }),
    { type: 'barcode', x: d(30), y: d(200), w: d(500), h: d(110), data: 'expressCode' },
    { type: 'qr', x: d(560), y: d(60), size: d(220), data: 'expressCode' },
    text('campus', 30, 330, 752, 26, 18),
    text('footer', 30, 366, 752, 24, 16, { maxLines: 1 }),
  ],
};

const r2 = (n: number) => Math.round(n * 100) / 100;
const r1 = (n: number) => Math.round(n * 10) / 10;
/** Continuous stock is laid out as if it were this long (the label is then cut after its content). */
const CONTINUOUS_DESIGN_H = 40;
const MIN_DEFAULT_PT = 5;

/**
 * A layout drawn on one size fitted to a stock: positions by each axis's scale, fonts and squares
 * by the smaller. `from` is the size the elements were drawn on (the 4 × 2 in base by default).
 */
function scaled(
  elements: LabelElement[],
  stock: TemplateStock,
  from: { widthMm: number; heightMm: number } = { widthMm: BASE_W, heightMm: BASE_H },
): LabelElement[] {
  const sx = stock.widthMm / from.widthMm;
  // a stock much taller than 4 × 2 in (4 × 6 in) keeps the layout's proportions at the top rather
  // than stretching boxes and gaps to the whole length
  const sy = Math.min((stock.heightMm ?? CONTINUOUS_DESIGN_H) / from.heightMm, sx * 1.25);
  const s = Math.min(sx, sy);
  const maxH = stock.heightMm ?? Infinity;
  return elements.map((e): LabelElement => {
    switch (e.type) {
      case 'text': {
        const fontPt = r1(Math.max(MIN_DEFAULT_PT, e.fontPt * s));
        const minFontPt = Math.min(fontPt, r1(Math.max(MIN_DEFAULT_PT, e.minFontPt * s)));
        const t: TextElement = { ...e, x: r2(e.x * sx), y: r2(e.y * sy), w: r2(e.w * sx), fontPt, minFontPt };
        // fewer wrapped lines where the clamped smallest size would run off the label
        while (t.maxLines > t.lines && elementBounds(t).y + elementBounds(t).h > maxH) t.maxLines--;
        if (elementBounds(t).y + elementBounds(t).h > maxH) t.y = r2(Math.max(0, maxH - elementBounds(t).h));
        return t;
      }
      case 'code':
        return { ...e, x: r2(e.x * sx), y: r2(e.y * sy), w: r2(e.w * sx), h: r2(e.h * sy), fontPt: r1(e.fontPt * s), border: r2(e.border * s) };
      case 'qr': {
        const size = r2(Math.min(e.size * s, stock.widthMm - e.x * sx, (stock.heightMm ?? Infinity) - e.y * sy));
        return { ...e, x: r2(e.x * sx), y: r2(e.y * sy), size };
      }
      case 'barcode':
      case 'box':
        return {
          ...e,
          x: r2(e.x * sx),
          y: r2(e.y * sy),
          w: r2(e.w * sx),
          h: r2(e.h * sy),
          ...(e.type === 'box' ? { border: e.border >= e.h / 2 ? r2(e.h * sy) : r2(Math.max(0.3, e.border * s)) } : {}),
        };
      case 'line':
        return { ...e, x: r2(e.x * sx), y: r2(e.y * sy), length: r2(e.length * (e.direction === 'horizontal' ? sx : sy)), thickness: e.thickness };
    }
  });
}

/** The default template of a kind for a stock (the Zebra 4 × 2 in when none is named). */
export function defaultTemplate(kind: LabelTemplateKind, stockId: string = DEFAULT_LABEL_STOCK_ID, custom?: TemplateStock): LabelTemplate {
  const stock = stockOf(stockId, custom);
  const exact = stock.widthMm === BASE_W && stock.heightMm === BASE_H;
  return { kind, stock, elements: exact ? BASE[kind].map((e) => ({ ...e })) : scaled(BASE[kind], stock) };
}

const sameSize = (a: TemplateStock, b: TemplateStock) => a.widthMm === b.widthMm && a.heightMm === b.heightMm;

/**
 * A template for the stock a printer holds (DESIGN §18: a job that fails over to a printer with
 * other labels loaded prints for that printer): the template itself when its stock is that size,
 * else its layout fitted to the stock as the defaults are (drawn on the template's own size, a
 * continuous stock as long as its content).
 */
export function templateForStock(t: LabelTemplate, stockId: string): LabelTemplate {
  const stock = stockOf(stockId);
  if (sameSize(t.stock, stock)) return t;
  const from = { widthMm: t.stock.widthMm, heightMm: t.stock.heightMm ?? labelHeightMm(t) };
  return { kind: t.kind, stock, elements: scaled(t.elements, stock, from) };
}
