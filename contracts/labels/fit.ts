/**
 * Shrink-to-fit, shared by both renderers so a name that shrinks on the Zebra label shrinks the
 * same on the browser's: the largest size (from `max` down to `min`, `step` at a time) at which the
 * whole text fits `lines` lines of `width`; when even `min` is too big, more lines (up to
 * `maxLines`) at `min`. Text is never cut: a label that says "Christop…" or drops "EpiPen" is worse
 * than a smaller font. Units are the caller's (dots for ZPL, points for HTML), the same for all.
 */
import { SECURITY_CODE_LENGTH } from '../limits';

/**
 * A conservative average advance per unit of font height (wide capitals such as M and W included)
 * for Zebra's font 0 and the sans-serif the browser prints with, so a chosen size stays inside.
 */
export const CHAR_WIDTH = 0.62;

export const cleanText = (text: string) => text.trim().replace(/\s+/g, ' ');
const capacity = (width: number, size: number, lines: number) => Math.floor(width / (size * CHAR_WIDTH)) * lines;

export function fitText(
  text: string,
  width: number,
  opts: { max: number; min: number; lines?: number; maxLines?: number; step?: number },
): { size: number; lines: number } {
  const len = Math.max(1, [...cleanText(text)].length);
  const lines = opts.lines ?? 1;
  const step = opts.step ?? 2;
  for (let size = opts.max; size >= opts.min; size -= step) if (capacity(width, size, lines) >= len) return { size, lines };
  for (let n = lines + 1; n <= (opts.maxLines ?? lines + 1); n++) if (capacity(width, opts.min, n) >= len) return { size: opts.min, lines: n };
  return { size: opts.min, lines: Math.max(lines, opts.maxLines ?? lines + 1) };
}

/**
 * The security code's size in its box: at most `max`, small enough that a code of
 * SECURITY_CODE_LENGTH characters (or the longer one given) fits the width and the height.
 */
export function codeSize(codeLength: number, width: number, height: number, max: number, charWidth = CHAR_WIDTH): number {
  const len = Math.max(SECURITY_CODE_LENGTH, codeLength, 1);
  return Math.max(1, Math.floor(Math.min(max, width / (len * charWidth), height)));
}
/**
 * The browser prints the code in a bold sans-serif whose capitals and digits are wider than Zebra's
 * font 0 (Arial Bold "M" is 0.83 of the size): the HTML code box sizes with this instead.
 */
export const BOLD_CAPS_WIDTH = 0.8;
