/**
 * Label templates (DESIGN §18) on the wire: the zod schema that guards a stored template (an
 * unknown field, a stock of 0 mm or an element off the label is a 400 naming the path, e.g.
 * `stock.widthMm` or `elements.3.x`) and the answers of /api/label-templates. The model itself is
 * zod-free, in contracts/labels/.
 */
import { z } from 'zod';
import { isValidStockSize, labelStock } from './rules/label-stocks';
import {
  elementBounds,
  LABEL_CODE_SOURCES,
  LABEL_CONDITIONS,
  LABEL_FIELDS,
  LABEL_TEMPLATE_KINDS,
  MAX_FONT_PT,
  MAX_LABEL_ELEMENTS,
  MAX_LABEL_TEXT,
  MIN_FONT_PT,
  type LabelTemplate,
  type LabelTemplateBody,
  type LabelTemplateKind,
} from './labels/model';

export * from './labels/model';
export * from './labels/defaults';

const Mm = z.number().finite().min(0).max(600);
const Size = z.number().finite().positive('must be more than 0 mm').max(600);
const Font = z.number().finite().min(MIN_FONT_PT).max(MAX_FONT_PT);
const Align = z.enum(['left', 'center', 'right']);

const TextElementSchema = z
  .object({
    type: z.literal('text'),
    field: z.enum(LABEL_FIELDS),
    text: z.string().trim().max(MAX_LABEL_TEXT).optional(),
    x: Mm,
    y: Mm,
    w: Size,
    fontPt: Font,
    minFontPt: Font,
    lines: z.number().int().min(1).max(6),
    maxLines: z.number().int().min(1).max(8),
    bold: z.boolean(),
    align: Align,
    reverse: z.boolean(),
    when: z.enum(LABEL_CONDITIONS).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.minFontPt > e.fontPt) ctx.addIssue({ code: 'custom', path: ['minFontPt'], message: 'must not be larger than fontPt' });
    if (e.maxLines < e.lines) ctx.addIssue({ code: 'custom', path: ['maxLines'], message: 'must not be fewer than lines' });
    if (e.field === 'text' && !e.text) ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required for a fixed text' });
  });
const CodeElementSchema = z
  .object({ type: z.literal('code'), x: Mm, y: Mm, w: Size, h: Size, fontPt: Font, border: z.number().finite().min(0).max(10), align: Align })
  .strict();
const QrElementSchema = z.object({ type: z.literal('qr'), x: Mm, y: Mm, size: Size, data: z.enum(LABEL_CODE_SOURCES) }).strict();
const BarcodeElementSchema = z.object({ type: z.literal('barcode'), x: Mm, y: Mm, w: Size, h: Size, data: z.enum(LABEL_CODE_SOURCES) }).strict();
const BoxElementSchema = z
  .object({
    type: z.literal('box'),
    x: Mm,
    y: Mm,
    w: Size,
    h: Size,
    border: z.number().finite().min(0).max(600),
    color: z.enum(['black', 'white']),
    when: z.enum(LABEL_CONDITIONS).optional(),
  })
  .strict();
const LineElementSchema = z
  .object({
    type: z.literal('line'),
    x: Mm,
    y: Mm,
    length: Size,
    direction: z.enum(['horizontal', 'vertical']),
    thickness: z.number().finite().positive().max(20),
  })
  .strict();

export const LabelElementSchema = z.discriminatedUnion('type', [
  TextElementSchema,
  CodeElementSchema,
  QrElementSchema,
  BarcodeElementSchema,
  BoxElementSchema,
  LineElementSchema,
]);

export const TemplateStockSchema = z
  .object({
    id: z.string().trim().min(1).max(40),
    widthMm: z.number().finite().positive('must be more than 0 mm'),
    heightMm: z.number().finite().positive('must be more than 0 mm').nullable(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.id !== 'custom' && !labelStock(s.id)) ctx.addIssue({ code: 'custom', path: ['id'], message: 'is not a known stock (or "custom")' });
    if (!isValidStockSize(s.widthMm, 600)) ctx.addIssue({ code: 'custom', path: ['widthMm'], message: 'must be 10 to 300 mm' });
    if (s.heightMm !== null && !isValidStockSize(10, s.heightMm)) ctx.addIssue({ code: 'custom', path: ['heightMm'], message: 'must be 10 to 600 mm' });
  })
  // a catalogue stock is the catalogue's size, whatever the client sent
  .transform((s) => {
    const known = labelStock(s.id);
    return known ? { id: known.id, widthMm: known.widthMm, heightMm: known.heightMm } : s;
  });

/** A small tolerance: positions are rounded to 0.01 mm. */
const EPS = 0.05;

/** The body of PUT /api/label-templates/:kind and of a preview: a stock and elements that lie on it. */
export const LabelTemplateBodySchema = z
  .object({
    stock: TemplateStockSchema,
    elements: z.array(LabelElementSchema).max(MAX_LABEL_ELEMENTS),
  })
  .strict()
  .superRefine((t, ctx) => {
    const w = t.stock.widthMm;
    const h = t.stock.heightMm;
    t.elements.forEach((e, i) => {
      const b = elementBounds(e);
      const wide = 'w' in e ? 'w' : e.type === 'qr' ? 'size' : 'length';
      if (b.x + b.w > w + EPS) ctx.addIssue({ code: 'custom', path: ['elements', i, b.x > w ? 'x' : wide], message: `runs off the label (${w} mm wide)` });
      if (h !== null && b.y + b.h > h + EPS) {
        const tall = e.type === 'text' ? 'fontPt' : 'h' in e ? 'h' : e.type === 'qr' ? 'size' : 'length';
        ctx.addIssue({ code: 'custom', path: ['elements', i, b.y > h ? 'y' : tall], message: `runs off the label (${h} mm long)` });
      }
    });
  });
export type LabelTemplateBodyInput = z.input<typeof LabelTemplateBodySchema>;

export const LabelTemplateKindSchema = z.enum(LABEL_TEMPLATE_KINDS);
export const LabelTemplateLevelSchema = z.enum(['organization', 'campus']);
export type LabelTemplateLevel = z.infer<typeof LabelTemplateLevelSchema>;

export const LabelTemplatePutSchema = z.object({ level: LabelTemplateLevelSchema, template: LabelTemplateBodySchema }).strict();
export const LabelTemplateResetSchema = z.object({ level: LabelTemplateLevelSchema }).strict();
export const LabelTemplatePreviewSchema = z
  .object({ kind: LabelTemplateKindSchema, template: LabelTemplateBodySchema, dpi: z.union([z.literal(203), z.literal(300)]).optional() })
  .strict();

/** A stored template. */
export interface StoredLabelTemplate extends LabelTemplate {
  id: string;
  level: LabelTemplateLevel;
  /** the campus of an override, null at organisation level */
  siteId: string | null;
  updatedAt: string;
}
/** One kind as a campus prints it: the effective template and where it came from. */
export interface LabelTemplateSlot {
  kind: LabelTemplateKind;
  source: 'campus' | 'organization' | 'default';
  effective: LabelTemplate;
  organization: StoredLabelTemplate | null;
  campus: StoredLabelTemplate | null;
}
/** `GET /api/label-templates` */
export interface LabelTemplateList {
  templates: LabelTemplateSlot[];
  /** may the caller change the organisation's templates (an organisation admin) */
  canEditOrganization: boolean;
}
/** `POST /api/label-templates/preview`: a sample child's label in both renders. */
export interface LabelTemplatePreview {
  html: string;
  zpl: string;
  page: { widthMm: number; heightMm: number };
}
export type { LabelTemplateBody };
