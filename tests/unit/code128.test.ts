/** The key tag's Code 128B barcode (contracts/rules/code128.ts), read back by the tests' own reader (tests/support/code128.ts). */
import { code128BBars, code128BValues, code128BWidths } from '../../contracts/rules';
import { CODE128_TABLE, decodeCode128Row } from '../support/code128';

/** The bars drawn as pixels, `scale` pixels a module, the way a scanline would see them. */
function row(text: string, scale: number, jitter = 0): boolean[] {
  const { bars, total } = code128BBars(text);
  const px = new Array<boolean>(Math.round(total * scale)).fill(false);
  bars.forEach(([x, w], i) => {
    const a = Math.round(x * scale + (i % 2 ? jitter : -jitter));
    const b = Math.round((x + w) * scale);
    for (let p = a; p < b; p++) px[p] = true;
  });
  return px;
}

test('the table is the standard’s: 107 distinct patterns, 11 modules each (stop 13), bars of even module count', () => {
  expect(new Set(CODE128_TABLE).size).toBe(107);
  CODE128_TABLE.forEach((p, v) => {
    const w = [...p].map(Number);
    expect(w.reduce((a, b) => a + b, 0)).toBe(v === 106 ? 13 : 11);
    expect(w.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0) % 2).toBe(0);
  });
});

test('express codes and other text round-trip through drawn bars at printer-like scales, with edge jitter', () => {
  for (const text of ['KCABCDEFGHJKMN', 'KC23456789PQRS', 'Hello, World!', '~{}|']) {
    for (const scale of [2, 3, 3.6, 5.7]) expect(decodeCode128Row(row(text, scale, scale > 2.5 ? 0.4 : 0))).toBe(text);
  }
  // 'KC' alone: start B, K (43), C (35), check (104 + 43 + 70) % 103 = 11, stop
  expect(code128BValues('KC')).toEqual([104, 43, 35, 11, 106]);
  expect(code128BWidths('KC')).toHaveLength(6 * 4 + 7);
});

test('a damaged or foreign symbol is refused, never misread', () => {
  const good = row('KCABCDEFGHJKMN', 3);
  const flipped = [...good];
  const mid = flipped.indexOf(true) + 60;
  for (let i = mid; i < mid + 3; i++) flipped[i] = !flipped[i];
  expect(() => decodeCode128Row(flipped)).toThrow();
  expect(() => decodeCode128Row(good.slice(0, good.length - 40))).toThrow();
  expect(() => code128BValues('é')).toThrow(/cannot carry/);
});
