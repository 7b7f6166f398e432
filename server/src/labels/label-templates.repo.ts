import type { Knex } from 'knex';
import type { LabelElement, LabelTemplateKind, TemplateStock } from '../../../contracts';

type Db = Knex | Knex.Transaction;

export interface LabelTemplateRow {
  id: string;
  organization_id: string;
  site_id: string | null;
  kind: LabelTemplateKind;
  stock: TemplateStock;
  elements: LabelElement[];
  updated_at: Date;
}
const COLUMNS = ['id', 'organization_id', 'site_id', 'kind', 'stock', 'elements', 'updated_at'];

/** The organisation's templates and this campus's overrides. */
export const templatesFor = (db: Db, organizationId: string, siteId: string): Promise<LabelTemplateRow[]> =>
  db('label_templates')
    .select(COLUMNS)
    .where({ organization_id: organizationId })
    .andWhere((q) => q.whereNull('site_id').orWhere('site_id', siteId));

/** One template by id, only within the organisation. */
export const findTemplate = (db: Db, organizationId: string, id: string): Promise<LabelTemplateRow | undefined> =>
  db('label_templates').select(COLUMNS).where({ id, organization_id: organizationId }).first();

/** Insert or replace the organisation's (siteId null) or a campus's template of a kind. */
export async function upsertTemplate(
  db: Db,
  row: { organizationId: string; siteId: string | null; kind: LabelTemplateKind; stock: TemplateStock; elements: LabelElement[] },
): Promise<LabelTemplateRow> {
  const { rows } = await db.raw<{ rows: LabelTemplateRow[] }>(
    `INSERT INTO label_templates (organization_id, site_id, kind, stock, elements)
     VALUES (:organizationId, :siteId, :kind, :stock::jsonb, :elements::jsonb)
     ON CONFLICT (organization_id, ${row.siteId ? 'site_id, kind) WHERE site_id IS NOT NULL' : 'kind) WHERE site_id IS NULL'}
     DO UPDATE SET stock = EXCLUDED.stock, elements = EXCLUDED.elements, updated_at = now()
     RETURNING ${COLUMNS.join(', ')}`,
    { ...row, stock: JSON.stringify(row.stock), elements: JSON.stringify(row.elements) },
  );
  return rows[0]!;
}

/** Back to what it inherits: the row goes. Returns how many went (0 or 1). */
export const deleteTemplate = (db: Db, organizationId: string, siteId: string | null, kind: LabelTemplateKind): Promise<number> =>
  siteId
    ? db('label_templates').where({ organization_id: organizationId, site_id: siteId, kind }).delete()
    : db('label_templates').where({ organization_id: organizationId, kind }).whereNull('site_id').delete();
