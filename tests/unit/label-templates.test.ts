/**
 * Label templates (DESIGN §18, #29): the schema refuses what cannot print (naming the path), every
 * default lies on its stock, and the ZPL and HTML renders of one template agree with the stock.
 */
import { LABEL_STOCKS } from '../../contracts/rules/label-stocks';
import { LabelTemplateBodySchema, LABEL_TEMPLATE_KINDS, defaultTemplate, type LabelTemplate } from '../../contracts/label-templates';
import { BOLD_CAPS_WIDTH, CHAR_WIDTH, codeSize, labelHeightMm, renderLabelHtml, renderZpl, pageCss, SAMPLE_LABEL_DATA, zplPage } from '../../contracts/labels';

const issue = (body: unknown) => {
  const r = LabelTemplateBodySchema.safeParse(body);
  if (r.success) return null;
  const i = r.error.issues[0]!;
  return { path: i.path.join('.'), code: i.code, keys: (i as { keys?: string[] }).keys };
};
const body = (t: LabelTemplate) => ({ stock: t.stock, elements: t.elements });

describe('the schema', () => {
  const base = defaultTemplate('child');

  test('every default of every kind on every stock is valid and lies on its stock', () => {
    for (const stock of LABEL_STOCKS)
      for (const kind of LABEL_TEMPLATE_KINDS) {
        const t = defaultTemplate(kind, stock.id);
        expect({ kind, stock: stock.id, issue: issue(body(t)) }).toEqual({ kind, stock: stock.id, issue: null });
      }
  });

  test('an unknown field names the element and its field', () => {
    const els = base.elements.map((e, i) => (i === 2 ? { ...e, field: 'shoeSize' } : e));
    expect(issue({ stock: base.stock, elements: els })).toMatchObject({ path: 'elements.2.field' });
  });

  test('an unknown property is refused by name', () => {
    const els = base.elements.map((e, i) => (i === 0 ? { ...e, colour: 'red' } : e));
    expect(issue({ stock: base.stock, elements: els })).toMatchObject({ path: 'elements.0', code: 'unrecognized_keys', keys: ['colour'] });
  });

  test('a stock of 0 mm names stock.widthMm / stock.heightMm', () => {
    expect(issue({ stock: { id: 'custom', widthMm: 0, heightMm: 50 }, elements: [] })).toMatchObject({ path: 'stock.widthMm' });
    expect(issue({ stock: { id: 'custom', widthMm: 50, heightMm: 0 }, elements: [] })).toMatchObject({ path: 'stock.heightMm' });
    expect(issue({ stock: { id: 'custom', widthMm: 5, heightMm: 50 }, elements: [] })).toMatchObject({ path: 'stock.widthMm' });
    expect(issue({ stock: { id: 'nope', widthMm: 50, heightMm: 50 }, elements: [] })).toMatchObject({ path: 'stock.id' });
  });

  test('an element off the stock names its position or size', () => {
    const off = (e: object) => issue({ stock: { id: 'custom', widthMm: 60, heightMm: 30 }, elements: [e] });
    const box = { type: 'box', x: 10, y: 5, w: 20, h: 10, border: 0.5, color: 'black' };
    expect(off(box)).toBeNull();
    expect(off({ ...box, x: 61 })).toMatchObject({ path: 'elements.0.x' });
    expect(off({ ...box, w: 51 })).toMatchObject({ path: 'elements.0.w' });
    expect(off({ ...box, y: 25 })).toMatchObject({ path: 'elements.0.h' });
    expect(off({ type: 'qr', x: 40, y: 5, size: 25, data: 'pickupUrl' })).toMatchObject({ path: 'elements.0.size' });
    const text = {
      type: 'text',
      field: 'firstName',
      x: 2,
      y: 20,
      w: 50,
      fontPt: 30,
      minFontPt: 10,
      lines: 1,
      maxLines: 2,
      bold: true,
      align: 'left',
      reverse: false,
    };
    expect(off(text)).toMatchObject({ path: 'elements.0.fontPt' });
    expect(off({ ...text, minFontPt: 40 })).toMatchObject({ path: 'elements.0.minFontPt' });
    expect(off({ ...text, field: 'text', fontPt: 10 })).toMatchObject({ path: 'elements.0.text' });
  });

  test('a catalogue stock takes the catalogue size whatever was sent', () => {
    const r = LabelTemplateBodySchema.parse({ stock: { id: 'zebra-4x2', widthMm: 20, heightMm: 20 }, elements: [] });
    expect(r.stock).toEqual({ id: 'zebra-4x2', widthMm: 101.6, heightMm: 50.8 });
  });
});

describe('the renderers', () => {
  const codeOf = (zpl: string) => /\^A0N,(\d+),\d+\^FB(\d+),1,0,[LCR],0\^FH\^FDK7MX\^FS/.exec(zpl);

  test.each(LABEL_STOCKS.map((s) => s.id))('%s: every kind renders ^XA…^XZ within ^PW/^LL at 203 and 300 dpi, with the code', (stockId) => {
    for (const kind of LABEL_TEMPLATE_KINDS)
      for (const dpi of [203, 300] as const) {
        const t = defaultTemplate(kind, stockId);
        const zpl = renderZpl(t, SAMPLE_LABEL_DATA, dpi);
        expect(zpl.startsWith('^XA')).toBe(true);
        expect(zpl.endsWith('^XZ')).toBe(true);
        const pw = Number(/\^PW(\d+)/.exec(zpl)![1]);
        const ll = Number(/\^LL(\d+)/.exec(zpl)![1]);
        expect(pw).toBe(zplPage(t, dpi).width);
        for (const m of zpl.matchAll(/\^FO(\d+),(\d+)(?:\^A0N,(\d+),\d+\^FB(\d+),(\d+)|\^GB(\d+),(\d+))?/g)) {
          const [x, y] = [Number(m[1]), Number(m[2])];
          expect(x).toBeLessThanOrEqual(pw);
          expect(y).toBeLessThanOrEqual(ll);
          if (m[3]) {
            expect(x + Number(m[4])).toBeLessThanOrEqual(pw + 1);
            expect(y + Number(m[3]) * Number(m[5])).toBeLessThanOrEqual(ll + 2);
          }
          if (m[6]) {
            expect(x + Number(m[6])).toBeLessThanOrEqual(pw + 1);
            expect(y + Number(m[7])).toBeLessThanOrEqual(ll + 1);
          }
        }
        if (kind === 'child' || kind === 'parent') expect(zpl).toContain('^FDK7MX^FS');
        if (kind === 'parent') expect(zpl).toMatch(/\^BQN,2,\d+\^FH\^FDMA,https:/);
        if (kind === 'keytag') expect(zpl).toContain('^FD>:KCFAM7Q2X9P4^FS');
      }
  });

  test('the Zebra 4 × 2 in child label keeps the fields of the fixed layout', () => {
    const zpl = renderZpl(defaultTemplate('child'), SAMPLE_LABEL_DATA, 203);
    expect(zpl.split('\n')[0]).toBe('^XA^CI28^PW812^LL406^LH0,0');
    expect(zpl).toContain('^FO30,24^A0N,76,76^FB520,1,0,L,0^FH^FDOlivia^FS');
    expect(zpl).toContain('^FO568,24^GB214,130,4^FS');
    expect(zpl).toContain('^FO30,222^GB752,88,88^FS');
    expect(zpl).toContain('^FO36,226^GB740,80,4,W^FS');
    expect(zpl).toContain('^FDMEDICAL^FS');
    expect(zpl).toContain('^FR^FH^FD!! LIFE-THREATENING ALLERGY: Peanuts, tree nuts — carries EpiPen^FS');
  });

  test.each([4, 6])('the code box fits a %i-character code', (len) => {
    const code = 'K7MXQ2'.slice(0, len);
    for (const stock of LABEL_STOCKS) {
      const t = defaultTemplate('child', stock.id);
      const zpl = renderZpl(t, { ...SAMPLE_LABEL_DATA, code }, 203);
      const m = new RegExp(`\\^A0N,(\\d+),\\d+\\^FB(\\d+),1,0,C,0\\^FH\\^FD${code}\\^FS`).exec(zpl)!;
      expect(m).not.toBeNull();
      expect(Number(m[1]) * CHAR_WIDTH * len).toBeLessThanOrEqual(Number(m[2]));
      const html = renderLabelHtml(t, { ...SAMPLE_LABEL_DATA, code });
      const size = Number(/class="kcl-code"[^>]*font-size:([\d.]+)pt/.exec(html)![1]);
      const el = t.elements.find((e) => e.type === 'code')!;
      if (el.type !== 'code') throw new Error('no code element');
      expect(size * BOLD_CAPS_WIDTH * len).toBeLessThanOrEqual((el.w - 2 * el.border) * (72 / 25.4) + 0.01);
    }
    // a longer code gets a smaller font than the constant's length
    expect(codeSize(6, 200, 120, 100)).toBeLessThan(codeSize(4, 200, 120, 100));
    expect(codeOf(renderZpl(defaultTemplate('child'), SAMPLE_LABEL_DATA))).not.toBeNull();
  });

  test.each(LABEL_STOCKS.map((s) => s.id))('%s: print CSS pages the stock size with no margin', (stockId) => {
    const t = defaultTemplate('child', stockId);
    const css = pageCss([t]);
    const h = labelHeightMm(t);
    expect(css).toContain(`size: ${Math.round(t.stock.widthMm * 100) / 100}mm ${Math.round(h * 100) / 100}mm; margin: 0`);
    if (t.stock.heightMm !== null) expect(h).toBe(t.stock.heightMm);
    else expect(h).toBeGreaterThanOrEqual(29);
  });

  test('HTML escapes every value', () => {
    const html = renderLabelHtml(defaultTemplate('child'), {
      ...SAMPLE_LABEL_DATA,
      child: { ...SAMPLE_LABEL_DATA.child!, firstName: '<img src=x onerror=alert(1)>' },
    });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
