/**
 * A Code 128 reader for tests, written from the standard rather than from the encoder: it reads a
 * row of pixels (dark or light) as a scanner does — quiet zones, run lengths scaled to modules by
 * the whole symbol's width, 6 elements a symbol (7 for stop), the mod-103 check — and answers the
 * text, or throws saying what is wrong. Subset B only (what the key tag prints).
 */
// the standard's table (values 0–106) as bar/space module widths
// prettier-ignore
const TABLE = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213', '221312', '231212', '112232', '122132',
  '122231', '113222', '123122', '123221', '223211', '221132', '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212',
  '322112', '322211', '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313', '231113', '231311',
  '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331', '231131', '213113', '213311', '213131', '311123', '311321',
  '331121', '312113', '312311', '332111', '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111', '111242', '121142', '121241', '114212',
  '124112', '124211', '411212', '421112', '421211', '212141', '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113',
  '411311', '113141', '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];
export const CODE128_TABLE = TABLE;

export function decodeCode128Row(dark: boolean[]): string {
  const runs: { dark: boolean; len: number }[] = [];
  for (const d of dark) {
    const last = runs[runs.length - 1];
    if (last && last.dark === d) last.len++;
    else runs.push({ dark: d, len: 1 });
  }
  if (runs[0]?.dark || runs[runs.length - 1]?.dark) throw new Error('no quiet zone at an end');
  const quietLeft = runs.shift()!.len;
  const quietRight = runs.pop()!.len;
  if ((runs.length - 7) % 6 !== 0 || runs.length < 13) throw new Error(`${runs.length} bars and spaces is not a Code 128 symbol`);
  const symbols = (runs.length - 7) / 6 + 1;
  const modules = 11 * (symbols - 1) + 13;
  const unit = runs.reduce((n, r) => n + r.len, 0) / modules;
  if (quietLeft < 10 * unit - 1 || quietRight < 10 * unit - 1) throw new Error('quiet zone narrower than 10 modules');
  const widths = runs.map((r) => Math.round(r.len / unit));
  const values: number[] = [];
  for (let i = 0; i < symbols; i++) {
    const w = widths.slice(i * 6, i === symbols - 1 ? i * 6 + 7 : i * 6 + 6).join('');
    const v = TABLE.indexOf(w);
    if (v < 0) throw new Error(`symbol ${i} (${w}) is not in the table`);
    values.push(v);
  }
  if (values[0] !== 104) throw new Error(`starts with ${values[0]}, not Start B`);
  if (values[values.length - 1] !== 106) throw new Error('no stop');
  const data = values.slice(1, -2);
  const check = data.reduce((s, v, i) => s + v * (i + 1), 104) % 103;
  if (check !== values[values.length - 2]) throw new Error(`check symbol ${values[values.length - 2]}, expected ${check}`);
  return String.fromCharCode(...data.map((v) => v + 32));
}
