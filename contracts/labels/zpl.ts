/**
 * A label template → ZPL II for a Zebra printer, at the printer's dots per inch (203 or 300). One
 * element a line (`^FO` origin, then the element), text in font 0 (`^A0`, Zebra's scalable font:
 * one weight, so `bold` has no effect here) inside a field block (`^FB`) so it wraps and aligns.
 * `^CI28`: field data is UTF-8, so accented names (José, Zoë) print as typed.
 */
import QRCode from 'qrcode';
import { code128BBars } from '../rules/code128';
import { cleanText, codeSize, fitText } from './fit';
import {
  codeSourceValue,
  conditionHolds,
  fieldValue,
  labelHeightMm,
  PT_PER_MM,
  type LabelData,
  type LabelElement,
  type LabelTemplate,
  type LabelTemplateKind,
} from './model';

export const ZPL_DPIS = [203, 300] as const;
export type ZplDpi = (typeof ZPL_DPIS)[number];

/**
 * Field data for ^FH^FD: `^` and `~` would start a ZPL command inside a name, so they (and `_`,
 * the ^FH escape character itself) are written as `_XX` hex; control characters become spaces.
 */
export function zplText(s: string): string {
  return s.replace(/\p{Cc}/gu, ' ').replace(/[_^~]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const ALIGN = { left: 'L', center: 'C', right: 'R' } as const;

export function zplField(x: number, y: number, size: number, text: string, o: { width: number; lines?: number; align?: 'L' | 'C' | 'R'; reverse?: boolean }) {
  return `^FO${x},${y}^A0N,${size},${size}^FB${o.width},${o.lines ?? 1},0,${o.align ?? 'L'},0${o.reverse ? '^FR' : ''}^FH^FD${zplText(cleanText(text))}^FS`;
}

/** The page of a template in dots: `^PW` and `^LL`. */
export function zplPage(t: Pick<LabelTemplate, 'stock' | 'elements'>, dpi: ZplDpi = 203): { width: number; length: number } {
  const dots = (mm: number) => Math.round((mm * dpi) / 25.4);
  return { width: dots(t.stock.widthMm), length: dots(labelHeightMm(t)) };
}

function element(kind: LabelTemplateKind, e: LabelElement, data: LabelData, dpi: ZplDpi): string[] {
  const dots = (mm: number) => Math.round((mm * dpi) / 25.4);
  const ptDots = (pt: number) => Math.round((pt / PT_PER_MM) * (dpi / 25.4));
  switch (e.type) {
    case 'text': {
      if (!conditionHolds(e.when, data)) return [];
      const value = fieldValue(kind, e, data);
      if (!value) return [];
      const width = dots(e.w);
      const f = fitText(value, width, { max: ptDots(e.fontPt), min: ptDots(e.minFontPt), lines: e.lines, maxLines: e.maxLines });
      return [zplField(dots(e.x), dots(e.y), f.size, value, { width, lines: f.lines, align: ALIGN[e.align], reverse: e.reverse })];
    }
    case 'code': {
      if (!data.code) return [];
      const w = dots(e.w);
      const h = dots(e.h);
      const border = dots(e.border);
      const size = codeSize([...data.code].length, w - 2 * border, h - 2 * border, ptDots(e.fontPt));
      // font 0's capitals sit low in the em: nudge the block down so they look centred in the box
      const y = dots(e.y) + Math.floor((h - size) / 2 + size * 0.09);
      return [
        ...(border > 0 ? [`^FO${dots(e.x)},${dots(e.y)}^GB${w},${h},${border}^FS`] : []),
        zplField(dots(e.x), y, size, data.code, { width: w, align: ALIGN[e.align] }),
      ];
    }
    case 'qr': {
      const value = codeSourceValue(e.data, data);
      if (!value) return [];
      const modules = QRCode.create(value, { errorCorrectionLevel: 'M' }).modules.size;
      const mag = Math.max(1, Math.min(10, Math.floor(dots(e.size) / modules)));
      // model 2; "MA," = error correction M, automatic input mode
      return [`^FO${dots(e.x)},${dots(e.y)}^BQN,2,${mag}^FH^FDMA,${zplText(value)}^FS`];
    }
    case 'barcode': {
      const value = codeSourceValue(e.data, data);
      if (!value) return [];
      const module = Math.max(1, Math.min(10, Math.floor(dots(e.w) / code128BBars(value).total)));
      const quiet = module * 10;
      // `>:` starts Code 128 subset B, the one code128BBars sized it for
      return [`^FO${dots(e.x) + quiet},${dots(e.y)}^BY${module},3,${dots(e.h)}^BCN,${dots(e.h)},N,N,N^FH^FD>:${zplText(value)}^FS`];
    }
    case 'box': {
      if (!conditionHolds(e.when, data)) return [];
      const w = dots(e.w);
      const h = dots(e.h);
      const t = Math.min(Math.max(1, dots(e.border)), Math.min(w, h));
      return [`^FO${dots(e.x)},${dots(e.y)}^GB${w},${h},${t}${e.color === 'white' ? ',W' : ''}^FS`];
    }
    case 'line': {
      const len = Math.max(1, dots(e.length));
      const t = Math.max(1, dots(e.thickness));
      return [`^FO${dots(e.x)},${dots(e.y)}^GB${e.direction === 'horizontal' ? len : t},${e.direction === 'horizontal' ? t : len},${t}^FS`];
    }
  }
}

/** One label: `^XA` … `^XZ`, its page the template's stock at `dpi`. */
export function renderZpl(t: LabelTemplate, data: LabelData, dpi: ZplDpi = 203): string {
  const page = zplPage(t, dpi);
  return [`^XA^CI28^PW${page.width}^LL${page.length}^LH0,0`, ...t.elements.flatMap((e) => element(t.kind, e, data, dpi)), '^XZ'].join('\n');
}
