/**
 * The label template model (DESIGN §18), zod-free so the server, the kiosk and the staff editor
 * share it: a template is a kind (child label, parent tag, volunteer badge, key tag), a stock (one
 * of LABEL_STOCKS or a custom size) and a list of elements placed in millimetres. One model, two
 * renderers (./zpl.ts for Zebra printers, ./html.ts for the browser's print), so a label looks the
 * same whichever way it prints. The zod schema that guards stored templates is in
 * contracts/label-templates.ts.
 */
import { DEFAULT_LABEL_STOCK_ID, labelStock } from '../rules/label-stocks';
import { allergyMark, SEVERE_ALLERGY_SYMBOL, isSevereAllergy, type AllergySeverity } from '../rules/care';

export const LABEL_TEMPLATE_KINDS = ['child', 'parent', 'volunteer', 'keytag'] as const;
export type LabelTemplateKind = (typeof LABEL_TEMPLATE_KINDS)[number];
export const LABEL_KIND_NAMES: Record<LabelTemplateKind, string> = {
  child: 'Child label',
  parent: 'Parent pickup tag',
  volunteer: 'Volunteer badge',
  keytag: 'Family key tag',
};

/** What a text element prints: a value of the label's data, or `text` (the element's own words). */
export const LABEL_FIELDS = [
  'firstName',
  'lastName',
  'childNames',
  'room',
  'service',
  'date',
  'dateService',
  'code',
  'allergies',
  'medical',
  'parentName',
  'volunteerName',
  'familyName',
  'campus',
  'footer',
  'title',
  'text',
] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];
export const LABEL_FIELD_NAMES: Record<LabelField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  childNames: "Children's first names",
  room: 'Room (and time)',
  service: 'Service',
  date: 'Date',
  dateService: 'Date and service',
  code: 'Security code',
  allergies: 'Allergies (with severity mark)',
  medical: 'Medical marker',
  parentName: 'Parent name',
  volunteerName: 'Volunteer name',
  familyName: 'Family name',
  campus: 'Campus',
  footer: 'Campus label text',
  title: 'Title (PARENT PICKUP TAG, VOLUNTEER …)',
  text: 'Fixed text',
};
/** An element prints only when this is present on the label (an allergy band only under an allergy). */
export const LABEL_CONDITIONS = ['allergies', 'severeAllergy', 'medical', 'footer'] as const;
export type LabelCondition = (typeof LABEL_CONDITIONS)[number];
export const LABEL_CODE_SOURCES = ['code', 'pickupUrl', 'expressCode'] as const;
export type LabelCodeSource = (typeof LABEL_CODE_SOURCES)[number];

export const MAX_LABEL_ELEMENTS = 40;
export const MAX_LABEL_TEXT = 60;
export const MIN_FONT_PT = 4;
export const MAX_FONT_PT = 96;

export interface TextElement {
  type: 'text';
  field: LabelField;
  /** the words of a `text` field */
  text?: string;
  x: number;
  y: number;
  w: number;
  /** the largest size; the text shrinks (to `minFontPt`) until it fits, never cut */
  fontPt: number;
  minFontPt: number;
  lines: number;
  /** at `minFontPt`, it may wrap onto this many lines rather than be cut */
  maxLines: number;
  bold: boolean;
  align: 'left' | 'center' | 'right';
  /** white on a black band (ZPL ^FR) */
  reverse: boolean;
  when?: LabelCondition;
}
/** The security code, its font sized so SECURITY_CODE_LENGTH characters (or a longer code) fit the box. */
export interface CodeElement {
  type: 'code';
  x: number;
  y: number;
  w: number;
  h: number;
  fontPt: number;
  /** frame thickness in mm, 0 for none */
  border: number;
  align: 'left' | 'center' | 'right';
}
export interface QrElement {
  type: 'qr';
  x: number;
  y: number;
  size: number;
  data: LabelCodeSource;
}
export interface BarcodeElement {
  type: 'barcode';
  x: number;
  y: number;
  w: number;
  h: number;
  data: LabelCodeSource;
}
export interface BoxElement {
  type: 'box';
  x: number;
  y: number;
  w: number;
  h: number;
  /** line thickness in mm; half the smaller side or more fills the box */
  border: number;
  color: 'black' | 'white';
  when?: LabelCondition;
}
export interface LineElement {
  type: 'line';
  x: number;
  y: number;
  length: number;
  direction: 'horizontal' | 'vertical';
  thickness: number;
}
export type LabelElement = TextElement | CodeElement | QrElement | BarcodeElement | BoxElement | LineElement;
export type LabelElementType = LabelElement['type'];

export interface TemplateStock {
  /** a LABEL_STOCKS id, or 'custom' */
  id: string;
  widthMm: number;
  /** null: continuous stock */
  heightMm: number | null;
}
export interface LabelTemplateBody {
  stock: TemplateStock;
  elements: LabelElement[];
}
export interface LabelTemplate extends LabelTemplateBody {
  kind: LabelTemplateKind;
}

/** The data one label prints (one child of a family's set, the parent tag, a volunteer, a family's key tag). */
export interface LabelData {
  code: string;
  pickupUrl: string;
  expressCode?: string;
  date: string;
  service: string;
  footer: string;
  campus?: string;
  lang?: 'en' | 'es';
  child?: {
    firstName: string;
    lastName: string;
    room: string;
    allergies: string;
    allergySeverity?: AllergySeverity | null;
    medical?: boolean;
  };
  childNames?: string;
  parentName?: string;
  volunteer?: { name: string; room: string };
  familyName?: string;
}

/** The fixed words printed on labels, in the family's language. */
export const LABEL_WORDS: Record<'en' | 'es', { allergy: string; medical: string; parentTag: string; volunteer: string; keytag: string }> = {
  en: { allergy: 'ALLERGY', medical: 'MEDICAL', parentTag: 'PARENT PICKUP TAG', volunteer: 'VOLUNTEER', keytag: 'CHECK-IN KEY' },
  es: { allergy: 'ALERGIA', medical: 'MÉDICO', parentTag: 'ETIQUETA DE RECOGIDA', volunteer: 'VOLUNTARIO', keytag: 'LLAVE DE REGISTRO' },
};

const clean = (s: string | undefined | null) => (s ?? '').trim().replace(/\s+/g, ' ');

/** What a text element prints for this label ('' prints nothing). */
export function fieldValue(kind: LabelTemplateKind, el: Pick<TextElement, 'field' | 'text'>, d: LabelData): string {
  const words = LABEL_WORDS[d.lang ?? 'en'];
  const c = d.child;
  switch (el.field) {
    case 'firstName':
      return clean(c?.firstName);
    case 'lastName':
      return clean(c?.lastName);
    case 'childNames':
      return clean(d.childNames);
    case 'room':
      return clean(c?.room ?? d.volunteer?.room);
    case 'service':
      return clean(d.service);
    case 'date':
      return clean(d.date);
    case 'dateService':
      return clean(`${d.date}  ${d.service}`);
    case 'code':
      return clean(d.code);
    case 'allergies': {
      const allergy = clean(c?.allergies);
      const mark = allergyMark(c?.allergySeverity, d.lang ?? 'en');
      if (mark) return `${SEVERE_ALLERGY_SYMBOL} ${mark}${allergy ? `: ${allergy}` : ''}`;
      return allergy ? `${words.allergy}: ${allergy}` : '';
    }
    case 'medical':
      return c?.medical ? words.medical : '';
    case 'parentName':
      return clean(d.parentName);
    case 'volunteerName':
      return clean(d.volunteer?.name);
    case 'familyName':
      return clean(d.familyName);
    case 'campus':
      return clean(d.campus);
    case 'footer':
      return clean(d.footer);
    case 'title':
      return kind === 'parent' ? words.parentTag : kind === 'volunteer' ? words.volunteer : kind === 'keytag' ? words.keytag : '';
    case 'text':
      return clean(el.text);
  }
}

export function conditionHolds(cond: LabelCondition | undefined, d: LabelData): boolean {
  switch (cond) {
    case undefined:
      return true;
    case 'allergies':
      return !!clean(d.child?.allergies) || isSevereAllergy(d.child?.allergySeverity);
    case 'severeAllergy':
      return isSevereAllergy(d.child?.allergySeverity);
    case 'medical':
      return !!d.child?.medical;
    case 'footer':
      return !!clean(d.footer);
  }
}

export function codeSourceValue(src: LabelCodeSource, d: LabelData): string {
  return src === 'code' ? d.code : src === 'pickupUrl' ? d.pickupUrl : (d.expressCode ?? '');
}

export const PT_PER_MM = 72 / 25.4;
/** The line height of text, as a share of the font size (ZPL ^FB lines are one font size apart). */
export const LINE_HEIGHT = 1;

/** The box an element covers, in mm (a text element: its width and the height of its most lines). */
export function elementBounds(el: LabelElement): { x: number; y: number; w: number; h: number } {
  switch (el.type) {
    case 'text':
      return { x: el.x, y: el.y, w: el.w, h: (Math.max(el.fontPt * el.lines, el.minFontPt * el.maxLines) * LINE_HEIGHT) / PT_PER_MM };
    case 'qr':
      return { x: el.x, y: el.y, w: el.size, h: el.size };
    case 'line':
      return el.direction === 'horizontal' ? { x: el.x, y: el.y, w: el.length, h: el.thickness } : { x: el.x, y: el.y, w: el.thickness, h: el.length };
    default:
      return { x: el.x, y: el.y, w: el.w, h: el.h };
  }
}

/** The label's length in mm: the stock's, or for continuous stock its content's (at least the stock's shortest cut). */
export function labelHeightMm(t: LabelTemplateBody): number {
  if (t.stock.heightMm !== null) return t.stock.heightMm;
  const bottom = Math.max(0, ...t.elements.map((e) => elementBounds(e).y + elementBounds(e).h));
  const min = labelStock(t.stock.id)?.minHeightMm ?? 20;
  return Math.max(min, Math.ceil(bottom + 2));
}

/** A stock by id with its catalogue size; a custom size as given. */
export function stockOf(id: string, custom?: { widthMm: number; heightMm: number | null }): TemplateStock {
  const s = labelStock(id);
  if (s) return { id: s.id, widthMm: s.widthMm, heightMm: s.heightMm };
  return { id: 'custom', widthMm: custom?.widthMm ?? 101.6, heightMm: custom?.heightMm ?? 50.8 };
}
export const defaultStock = (): TemplateStock => stockOf(DEFAULT_LABEL_STOCK_ID);
