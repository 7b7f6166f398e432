/**
 * Label templates per organisation with campus overrides (DESIGN §18): a campus prints with its
 * own template of a kind, else its organisation's, else the built-in default. Organisation admins
 * change the organisation's; a campus admin changes (or resets) the campus's override. A template
 * of another organisation, or another campus's override, is not found.
 */
import type { Knex } from 'knex';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { forbidden, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import {
  LABEL_TEMPLATE_KINDS,
  defaultTemplate,
  type LabelTemplate,
  type LabelTemplateBody,
  type LabelTemplateKind,
  type LabelTemplateLevel,
  type LabelTemplateList,
  type LabelTemplatePreview,
  type LabelTemplateSlot,
  type StoredLabelTemplate,
} from '../../../contracts';
import { labelHeightMm, renderLabelsDocument, renderZpl, SAMPLE_LABEL_DATA, type ZplDpi } from '../../../contracts/labels';
import * as repo from './label-templates.repo';

type Db = Knex | Knex.Transaction;

export function presentTemplate(row: repo.LabelTemplateRow): StoredLabelTemplate {
  return {
    id: row.id,
    kind: row.kind,
    level: row.site_id ? 'campus' : 'organization',
    siteId: row.site_id,
    stock: row.stock,
    elements: row.elements,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
const bodyOf = (t: StoredLabelTemplate): LabelTemplate => ({ kind: t.kind, stock: t.stock, elements: t.elements });

function slots(rows: repo.LabelTemplateRow[], siteId: string): LabelTemplateSlot[] {
  return LABEL_TEMPLATE_KINDS.map((kind) => {
    const org = rows.find((r) => r.kind === kind && r.site_id === null);
    const campus = rows.find((r) => r.kind === kind && r.site_id === siteId);
    const organization = org ? presentTemplate(org) : null;
    const own = campus ? presentTemplate(campus) : null;
    const effective = own ? bodyOf(own) : organization ? bodyOf(organization) : defaultTemplate(kind);
    return { kind, source: own ? 'campus' : organization ? 'organization' : 'default', effective, organization, campus: own };
  });
}

/**
 * The templates a campus prints with, one per kind (campus override → organisation → default), and
 * whether any of them was stored (the kiosk prints its own built-in layout while none was: it fits
 * text by measuring it in the page, which the server's HTML cannot).
 */
export async function effectiveTemplates(
  db: Db,
  organizationId: string,
  siteId: string,
): Promise<Record<LabelTemplateKind, LabelTemplate> & { stored: LabelTemplateKind[] }> {
  const list = slots(await repo.templatesFor(db, organizationId, siteId), siteId);
  return {
    ...(Object.fromEntries(list.map((s) => [s.kind, s.effective])) as Record<LabelTemplateKind, LabelTemplate>),
    stored: list.filter((s) => s.source !== 'default').map((s) => s.kind),
  };
}

export async function listTemplates(tx: Tx, actor: Actor): Promise<LabelTemplateList> {
  return {
    templates: slots(await repo.templatesFor(tx.trx, actor.organizationId, actor.siteId), actor.siteId),
    canEditOrganization: actor.kind === 'user' && actor.orgAdmin,
  };
}

/**
 * A stored template: the organisation's, or this campus's override. Another campus's override is
 * not found, for an organisation admin too (they switch campus to edit it, like every campus thing).
 */
export async function getTemplate(tx: Tx, actor: Actor, id: string): Promise<StoredLabelTemplate> {
  const row = await repo.findTemplate(tx.trx, actor.organizationId, id);
  if (!row || (row.site_id !== null && row.site_id !== actor.siteId)) throw notFound('Label template');
  return presentTemplate(row);
}

function mayEdit(actor: Actor, level: LabelTemplateLevel) {
  if (actor.kind !== 'user') throw forbidden('Only staff change label templates');
  if (level === 'organization' && !actor.orgAdmin) throw forbidden("Only an organisation admin changes the organisation's label templates");
  if (actor.role !== 'admin') throw forbidden('Needs the admin role');
}

export async function putTemplate(
  tx: Tx,
  actor: Actor,
  kind: LabelTemplateKind,
  level: LabelTemplateLevel,
  body: LabelTemplateBody,
): Promise<StoredLabelTemplate> {
  mayEdit(actor, level);
  const siteId = level === 'campus' ? actor.siteId : null;
  const row = await repo.upsertTemplate(tx.trx, { organizationId: actor.organizationId, siteId, kind, stock: body.stock, elements: body.elements });
  await insertAudit(tx.trx, actor, {
    action: 'label_template.put',
    entity: 'label_template',
    entityId: row.id,
    details: { kind, level, stock: body.stock.id, elements: body.elements.length },
  });
  return presentTemplate(row);
}

/** Back to the inherited template (the organisation's, or the default). */
export async function resetTemplate(tx: Tx, actor: Actor, kind: LabelTemplateKind, level: LabelTemplateLevel): Promise<LabelTemplateSlot> {
  mayEdit(actor, level);
  const removed = await repo.deleteTemplate(tx.trx, actor.organizationId, level === 'campus' ? actor.siteId : null, kind);
  if (removed) await insertAudit(tx.trx, actor, { action: 'label_template.reset', entity: 'label_template', entityId: null, details: { kind, level } });
  return slots(await repo.templatesFor(tx.trx, actor.organizationId, actor.siteId), actor.siteId).find((s) => s.kind === kind)!;
}

/** A sample family's label in both renders, for the editor's preview (nothing is stored). */
export function previewTemplate(kind: LabelTemplateKind, body: LabelTemplateBody, dpi: ZplDpi = 203): LabelTemplatePreview {
  const template: LabelTemplate = { kind, ...body };
  return {
    html: renderLabelsDocument([{ template, data: SAMPLE_LABEL_DATA }]),
    zpl: renderZpl(template, SAMPLE_LABEL_DATA, dpi) + '\n',
    page: { widthMm: body.stock.widthMm, heightMm: labelHeightMm(body) },
  };
}
