/**
 * Code 128, subset B (printable ASCII), zod-free: the 1-D barcode on a family's key tag beside the
 * QR (DESIGN §12: "QR and a barcode a key tag can carry"), so a plain laser or CCD scanner in
 * keyboard-wedge mode reads it too. Small enough to keep here rather than pull a library into the
 * staff bundle. Each symbol is 3 bars and 3 spaces, 11 modules wide (the stop: 4 bars, 13 modules).
 */
// the standard's table, values 0–106, ten a line
// prettier-ignore
const PATTERNS = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];
export const CODE128_START_B = 104;
export const CODE128_STOP = 106;
/** Quiet zone each side, in modules (the standard asks for at least 10). */
export const CODE128_QUIET = 10;

/** The symbol values: start B, the text's characters, the mod-103 check, stop. Throws outside ASCII 32–127. */
export function code128BValues(text: string): number[] {
  const values = [...text].map((ch) => {
    const c = ch.charCodeAt(0);
    if (ch.length !== 1 || c < 32 || c > 127) throw new Error(`Code 128B cannot carry ${JSON.stringify(ch)}`);
    return c - 32;
  });
  const check = values.reduce((sum, v, i) => sum + v * (i + 1), CODE128_START_B) % 103;
  return [CODE128_START_B, ...values, check, CODE128_STOP];
}

/** Element widths in modules, bar first, alternating bar and space (no quiet zones). */
export const code128BWidths = (text: string): number[] => code128BValues(text).flatMap((v) => [...PATTERNS[v]!].map(Number));

/** The bars as [x, width] in modules, with the quiet zone on the left; `total`: the width with both quiet zones. */
export function code128BBars(text: string): { bars: [number, number][]; total: number } {
  const bars: [number, number][] = [];
  let x = CODE128_QUIET;
  code128BWidths(text).forEach((w, i) => {
    if (i % 2 === 0) bars.push([x, w]);
    x += w;
  });
  return { bars, total: x + CODE128_QUIET };
}
