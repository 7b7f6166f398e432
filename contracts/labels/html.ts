/**
 * A label template → HTML with print CSS, for a printer the browser drives through the operating
 * system (DYMO, Brother, Citizen): each label is one page of the stock's size (`@page { size: Wmm
 * Hmm; margin: 0 }`, a named page per stock so a child label and a parent tag on different stocks
 * each get theirs), elements placed absolutely in mm. Text sizes come from the same shrink-to-fit
 * as the ZPL, in points, so both renders agree. The QR and the barcode are inline SVG (no image
 * request, nothing for the CSP to refuse). Every value is escaped.
 */
import QRCode from 'qrcode';
import { code128BBars } from '../rules/code128';
import { BOLD_CAPS_WIDTH, cleanText, codeSize, fitText } from './fit';
import {
  codeSourceValue,
  conditionHolds,
  fieldValue,
  labelHeightMm,
  LINE_HEIGHT,
  PT_PER_MM,
  type LabelData,
  type LabelElement,
  type LabelTemplate,
  type LabelTemplateKind,
} from './model';

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const mm = (n: number) => `${Math.round(n * 100) / 100}mm`;
const pos = (x: number, y: number, w: number, h?: number) => `left:${mm(x)};top:${mm(y)};width:${mm(w)}${h !== undefined ? `;height:${mm(h)}` : ''}`;

function qrSvg(value: string, size: number): string {
  const m = QRCode.create(value, { errorCorrectionLevel: 'M' }).modules;
  let d = '';
  for (let r = 0; r < m.size; r++) for (let c = 0; c < m.size; c++) if (m.get(r, c)) d += `M${c} ${r}h1v1h-1z`;
  return `<svg class="kcl-qr" viewBox="0 0 ${m.size} ${m.size}" width="${mm(size)}" height="${mm(size)}" shape-rendering="crispEdges" aria-hidden="true"><path d="${d}" fill="#000"/></svg>`;
}

function barcodeSvg(value: string, w: number, h: number): string {
  const { bars, total } = code128BBars(value);
  const rects = bars.map(([x, bw]) => `<rect x="${x}" y="0" width="${bw}" height="1"/>`).join('');
  return `<svg class="kcl-barcode" viewBox="0 0 ${total} 1" width="${mm(w)}" height="${mm(h)}" preserveAspectRatio="none" shape-rendering="crispEdges" aria-hidden="true"><g fill="#000">${rects}</g></svg>`;
}

function element(kind: LabelTemplateKind, e: LabelElement, data: LabelData): string {
  switch (e.type) {
    case 'text': {
      if (!conditionHolds(e.when, data)) return '';
      const value = fieldValue(kind, e, data);
      if (!value) return '';
      const f = fitText(value, e.w * PT_PER_MM, { max: e.fontPt, min: e.minFontPt, lines: e.lines, maxLines: e.maxLines, step: 0.5 });
      const style = `${pos(e.x, e.y, e.w)};font-size:${f.size}pt;font-weight:${e.bold ? 700 : 400};text-align:${e.align}${e.reverse ? ';color:#fff' : ''}`;
      return `<p class="kcl-text${e.reverse ? ' kcl-reverse' : ''}" data-field="${e.field}" style="${style}">${escapeHtml(cleanText(value))}</p>`;
    }
    case 'code': {
      if (!data.code) return '';
      const innerW = (e.w - 2 * e.border) * PT_PER_MM;
      const innerH = (e.h - 2 * e.border) * PT_PER_MM;
      const size = codeSize([...data.code].length, innerW, innerH, e.fontPt, BOLD_CAPS_WIDTH);
      const justify = e.align === 'left' ? 'flex-start' : e.align === 'right' ? 'flex-end' : 'center';
      const style = `${pos(e.x, e.y, e.w, e.h)};border:${mm(e.border)} solid #000;font-size:${size}pt;justify-content:${justify}`;
      return `<p class="kcl-code" data-field="code" style="${style}">${escapeHtml(data.code)}</p>`;
    }
    case 'qr': {
      const value = codeSourceValue(e.data, data);
      return value ? `<div class="kcl-box" style="${pos(e.x, e.y, e.size, e.size)}">${qrSvg(value, e.size)}</div>` : '';
    }
    case 'barcode': {
      const value = codeSourceValue(e.data, data);
      return value ? `<div class="kcl-box" style="${pos(e.x, e.y, e.w, e.h)}">${barcodeSvg(value, e.w, e.h)}</div>` : '';
    }
    case 'box': {
      if (!conditionHolds(e.when, data)) return '';
      const color = e.color === 'white' ? '#fff' : '#000';
      const filled = e.border * 2 >= Math.min(e.w, e.h);
      return `<div class="kcl-box" style="${pos(e.x, e.y, e.w, e.h)};${filled ? `background:${color}` : `border:${mm(e.border)} solid ${color}`}"></div>`;
    }
    case 'line': {
      const [w, h] = e.direction === 'horizontal' ? [e.length, e.thickness] : [e.thickness, e.length];
      return `<div class="kcl-box" style="${pos(e.x, e.y, w, h)};background:#000"></div>`;
    }
  }
}

/** The CSS every rendered label needs (once a document). */
export const LABEL_CSS = [
  '.kcl-label{position:relative;overflow:hidden;background:#fff;color:#000;box-sizing:border-box;font-family:Arial,"Helvetica Neue",Helvetica,sans-serif;-webkit-print-color-adjust:exact;print-color-adjust:exact}',
  '.kcl-label>*{position:absolute;margin:0;box-sizing:border-box}',
  `.kcl-text{line-height:${LINE_HEIGHT};overflow-wrap:anywhere}`,
  '.kcl-code{display:flex;align-items:center;line-height:1;font-weight:700}',
  '.kcl-qr,.kcl-barcode{display:block}',
  '@media print{.kcl-label{break-after:page;page-break-after:always}.kcl-label:last-child{break-after:auto;page-break-after:auto}}',
].join('\n');

/** A stable CSS page name for a stock size. */
export const pageName = (widthMm: number, heightMm: number) => `kcl-${Math.round(widthMm * 100)}x${Math.round(heightMm * 100)}`;

/** One label as an element of its stock's size (its named page set). */
export function renderLabelHtml(t: LabelTemplate, data: LabelData): string {
  const h = labelHeightMm(t);
  const style = `width:${mm(t.stock.widthMm)};height:${mm(h)};page:${pageName(t.stock.widthMm, h)}`;
  return `<section class="kcl-label kcl-${t.kind}" data-kind="${t.kind}" style="${style}">${t.elements.map((e) => element(t.kind, e, data)).join('')}</section>`;
}

/** The `@page` rules of these labels: one named page per stock size, the first one also the default. */
export function pageCss(templates: Pick<LabelTemplate, 'stock' | 'elements'>[]): string {
  const sizes = new Map<string, string>();
  for (const t of templates) {
    const h = labelHeightMm(t);
    sizes.set(pageName(t.stock.widthMm, h), `size: ${mm(t.stock.widthMm)} ${mm(h)}; margin: 0`);
  }
  const [first] = [...sizes.values()];
  return [...(first ? [`@page { ${first} }`] : []), ...[...sizes].map(([name, rule]) => `@page ${name} { ${rule} }`)].join('\n');
}

/** Labels printed together: their `<style>` (label CSS and page sizes) and the labels, for a print sheet. */
export function renderLabelsHtml(labels: { template: LabelTemplate; data: LabelData }[]): string {
  const css = `${LABEL_CSS}\n${pageCss(labels.map((l) => l.template))}`;
  return `<style>${css}</style>${labels.map((l) => renderLabelHtml(l.template, l.data)).join('')}`;
}

/** A whole printable document (the preview endpoint's answer, a print window). */
export function renderLabelsDocument(labels: { template: LabelTemplate; data: LabelData }[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Labels</title></head><body style="margin:0">${renderLabelsHtml(labels)}</body></html>`;
}
