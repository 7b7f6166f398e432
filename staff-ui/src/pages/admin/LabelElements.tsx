/** The element list of the label template editor: one row per element, its field, place and size in mm. */
import type { ReactNode } from 'react';
import { LABEL_CODE_SOURCES, LABEL_CONDITIONS, LABEL_FIELD_NAMES, LABEL_FIELDS, type LabelElement, type LabelField } from '../../../../contracts/labels/model';

const num = (v: string) => (v === '' ? 0 : Number(v));

function Num({ label, value, onChange, step = 0.5 }: { label: string; value: number; onChange(v: number): void; step?: number }) {
  return (
    <label className="label-el-num">
      <span>{label}</span>
      <input type="number" step={step} min={0} value={value} onChange={(e) => onChange(num(e.target.value))} />
    </label>
  );
}
function Pick<T extends string>(props: { label: string; value: T; options: readonly T[]; onChange(v: T): void; names?: Record<string, string> }) {
  const { label, value, options, onChange, names } = props;
  return (
    <label className="label-el-pick">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {names?.[o] ?? o}
          </option>
        ))}
      </select>
    </label>
  );
}

const TYPE_NAMES: Record<LabelElement['type'], string> = { text: 'Text', code: 'Security code', qr: 'QR', barcode: 'Barcode', box: 'Box', line: 'Line' };

/** A new element of a type, placed near the top left of the label. */
export function newElement(type: LabelElement['type']): LabelElement {
  switch (type) {
    case 'text':
      return {
        type,
        field: 'text',
        text: 'Welcome!',
        x: 3,
        y: 3,
        w: 40,
        fontPt: 10,
        minFontPt: 7,
        lines: 1,
        maxLines: 2,
        bold: true,
        align: 'left',
        reverse: false,
      };
    case 'code':
      return { type, x: 3, y: 3, w: 25, h: 14, fontPt: 28, border: 0.5, align: 'center' };
    case 'qr':
      return { type, x: 3, y: 3, size: 18, data: 'pickupUrl' };
    case 'barcode':
      return { type, x: 3, y: 3, w: 50, h: 10, data: 'code' };
    case 'box':
      return { type, x: 3, y: 3, w: 20, h: 10, border: 0.5, color: 'black' };
    case 'line':
      return { type, x: 3, y: 3, length: 40, direction: 'horizontal', thickness: 0.5 };
  }
}

function Fields({ el, set }: { el: LabelElement; set(patch: Partial<LabelElement>): void }): ReactNode {
  const pos = (
    <>
      <Num label="x mm" value={el.x} onChange={(x) => set({ x })} />
      <Num label="y mm" value={el.y} onChange={(y) => set({ y })} />
    </>
  );
  switch (el.type) {
    case 'text':
      return (
        <>
          <Pick<LabelField> label="Field" value={el.field} options={LABEL_FIELDS} names={LABEL_FIELD_NAMES} onChange={(field) => set({ field })} />
          {el.field === 'text' && (
            <label className="label-el-pick">
              <span>Words</span>
              <input value={el.text ?? ''} maxLength={60} onChange={(e) => set({ text: e.target.value })} />
            </label>
          )}
          {pos}
          <Num label="width mm" value={el.w} onChange={(w) => set({ w })} />
          <Num label="font pt" value={el.fontPt} onChange={(fontPt) => set({ fontPt })} />
          <Num label="smallest pt" value={el.minFontPt} onChange={(minFontPt) => set({ minFontPt })} />
          <Num label="lines" step={1} value={el.lines} onChange={(lines) => set({ lines })} />
          <Num label="wrap to" step={1} value={el.maxLines} onChange={(maxLines) => set({ maxLines })} />
          <Pick label="Align" value={el.align} options={['left', 'center', 'right'] as const} onChange={(align) => set({ align })} />
          <label className="label-el-check">
            <input type="checkbox" checked={el.bold} onChange={(e) => set({ bold: e.target.checked })} /> Bold
          </label>
          <label className="label-el-check">
            <input type="checkbox" checked={el.reverse} onChange={(e) => set({ reverse: e.target.checked })} /> White on black
          </label>
        </>
      );
    case 'code':
      return (
        <>
          {pos}
          <Num label="width mm" value={el.w} onChange={(w) => set({ w })} />
          <Num label="height mm" value={el.h} onChange={(h) => set({ h })} />
          <Num label="font pt" value={el.fontPt} onChange={(fontPt) => set({ fontPt })} />
          <Num label="frame mm" step={0.1} value={el.border} onChange={(border) => set({ border })} />
        </>
      );
    case 'qr':
      return (
        <>
          <Pick label="Holds" value={el.data} options={LABEL_CODE_SOURCES} onChange={(data) => set({ data })} />
          {pos}
          <Num label="size mm" value={el.size} onChange={(size) => set({ size })} />
        </>
      );
    case 'barcode':
      return (
        <>
          <Pick label="Holds" value={el.data} options={LABEL_CODE_SOURCES} onChange={(data) => set({ data })} />
          {pos}
          <Num label="width mm" value={el.w} onChange={(w) => set({ w })} />
          <Num label="height mm" value={el.h} onChange={(h) => set({ h })} />
        </>
      );
    case 'box':
      return (
        <>
          {pos}
          <Num label="width mm" value={el.w} onChange={(w) => set({ w })} />
          <Num label="height mm" value={el.h} onChange={(h) => set({ h })} />
          <Num label="line mm" step={0.1} value={el.border} onChange={(border) => set({ border })} />
          <Pick label="Colour" value={el.color} options={['black', 'white'] as const} onChange={(color) => set({ color })} />
          <Pick
            label="Only when"
            value={el.when ?? ''}
            options={['', ...LABEL_CONDITIONS] as const}
            names={{ '': 'always' }}
            onChange={(w) => set({ when: w === '' ? undefined : w })}
          />
        </>
      );
    case 'line':
      return (
        <>
          {pos}
          <Num label="length mm" value={el.length} onChange={(length) => set({ length })} />
          <Num label="thickness mm" step={0.1} value={el.thickness} onChange={(thickness) => set({ thickness })} />
          <Pick label="Direction" value={el.direction} options={['horizontal', 'vertical'] as const} onChange={(direction) => set({ direction })} />
        </>
      );
  }
}

export function ElementList({ elements, onChange }: { elements: LabelElement[]; onChange(next: LabelElement[]): void }) {
  const update = (i: number, patch: Partial<LabelElement>) => onChange(elements.map((e, j) => (j === i ? ({ ...e, ...patch } as LabelElement) : e)));
  return (
    <div className="label-elements">
      <ol className="label-element-list">
        {elements.map((el, i) => (
          <li key={i} className="label-element" data-testid="label-element">
            <strong className="label-element-type">
              {i + 1}. {TYPE_NAMES[el.type]}
              {el.type === 'text' && el.field !== 'text' ? ` · ${LABEL_FIELD_NAMES[el.field]}` : ''}
            </strong>
            <Fields el={el} set={(p) => update(i, p)} />
            <button
              type="button"
              className="btn btn--small btn--danger"
              onClick={() => onChange(elements.filter((_, j) => j !== i))}
              aria-label={`Remove element ${i + 1}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <p className="label-add">
        Add:{' '}
        {(Object.keys(TYPE_NAMES) as LabelElement['type'][]).map((type) => (
          <button key={type} type="button" className="btn btn--small" onClick={() => onChange([...elements, newElement(type)])}>
            {TYPE_NAMES[type]}
          </button>
        ))}
      </p>
    </div>
  );
}
