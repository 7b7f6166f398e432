/**
 * The tags that are not a check-in's labels (DESIGN §18): a volunteer's badge and a family's key
 * tag, each from the campus's template of its kind (campus override → organisation → default),
 * as ZPL for a Zebra printer — fitted to a failover printer's other stock — and as HTML for the
 * browser's print. Split from printing.service.ts, which keeps the check-in labels.
 */
import type { Knex } from 'knex';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { conflict, forbidden, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findSite } from '../sites/sites.repo';
import * as repo from './printing.repo';
import { effectiveTemplates } from '../labels/label-templates.service';
import { codeForKeyTag } from '../families/express.service';
import { formatExpressCode } from '../../../contracts/rules';
import { defaultTemplate, renderLabelsHtml, renderZpl, templateForStock, type LabelData, type LabelTemplate } from '../../../contracts/labels';
import type { PrinterRow } from '../printers/printers.repo';
import { kioskNetworkPrinter } from './printing.service';

/** What a volunteer's badge names (DESIGN §13): no security code, it releases no child. */
export interface VolunteerTag {
  name: string;
  roomName: string;
  serviceName: string;
  date: string;
}
export const volunteerBadgeData = (tag: VolunteerTag, footer = '', campus = ''): LabelData => ({
  code: '',
  pickupUrl: '',
  date: tag.date,
  service: tag.serviceName,
  footer,
  campus,
  volunteer: { name: tag.name, room: tag.roomName },
});

/** A volunteer's badge as ZPL, from a volunteer template (the built-in one by default). */
export function volunteerTagZpl(tag: VolunteerTag, template: LabelTemplate = defaultTemplate('volunteer'), footer = ''): string {
  return renderZpl(template, volunteerBadgeData(tag, footer)) + '\n';
}

/**
 * A volunteer's badge from the campus's volunteer template (DESIGN §18: campus override →
 * organisation → default): its ZPL, the HTML for the browser's print when the campus stored one,
 * and the ZPL for whichever printer takes the job (fitted to a failover printer's other stock).
 */
export async function volunteerBadge(
  db: Knex | Tx['trx'],
  at: { organizationId: string; siteId: string },
  tag: VolunteerTag,
): Promise<{ zpl: string; html?: string; zplFor: (printer: PrinterRow, own: PrinterRow | null) => string }> {
  const [templates, site] = await Promise.all([effectiveTemplates(db, at.organizationId, at.siteId), findSite(db, at.siteId)]);
  const data = volunteerBadgeData(tag, site?.settings.labelFooter ?? '', site?.name ?? '');
  const t = templates.volunteer;
  return {
    zpl: renderZpl(t, data) + '\n',
    ...(templates.stored.includes('volunteer') ? { html: renderLabelsHtml([{ template: t, data }]) } : {}),
    zplFor: (printer, own) =>
      renderZpl(!own || printer.id === own.id || printer.stock_id === own.stock_id ? t : templateForStock(t, printer.stock_id), data) + '\n',
  };
}

/**
 * A volunteer's name tag at a check-in kiosk: to the kiosk's Zebra printer when it has one (sent
 * after the transaction, like the child labels), else the kiosk prints it from the browser. Audited.
 */
export async function prepareVolunteerTag(
  tx: Tx,
  actor: Actor,
  shiftId: string,
  tag: VolunteerTag,
): Promise<{ printer: PrinterRow | null; kioskId: string; zplFor: (printer: PrinterRow) => string }> {
  if (actor.kind !== 'kiosk') throw forbidden('Only a kiosk prints name tags');
  const printer = await kioskNetworkPrinter(tx.trx, actor.id);
  const badge = await volunteerBadge(tx.trx, actor, tag);
  await insertAudit(tx.trx, actor, {
    action: 'labels.volunteer_tag',
    entity: 'volunteer_shift',
    entityId: shiftId,
    details: { printer: printer?.address ?? 'browser', printerId: printer?.id ?? null },
  });
  return { printer, kioskId: actor.id, zplFor: (p) => badge.zplFor(p, printer) };
}

/**
 * A family's key tag (DESIGN §12, §18), at the desk on request: the family's express code as
 * barcode and QR with the family's name, from the campus's key tag template — to a kiosk's
 * Zebra printer when one is named (sent after the transaction, failing over like labels), and
 * as HTML for the browser's print either way. Staff only, audited.
 */
export async function prepareKeyTag(
  tx: Tx,
  actor: Actor,
  householdId: string,
  kioskId: string | undefined,
  secret: Buffer,
): Promise<{ codeText: string; zpl: string; html: string; printer: PrinterRow | null; kioskName: string | null; zplFor: (p: PrinterRow) => string }> {
  if (actor.kind !== 'user') throw forbidden('Only staff print key tags');
  let printer: PrinterRow | null = null;
  let kioskName: string | null = null;
  if (kioskId) {
    const kiosk = await repo.kioskOfSite(tx.trx, kioskId, actor.siteId);
    if (!kiosk) throw notFound('Kiosk');
    printer = await kioskNetworkPrinter(tx.trx, kiosk.id);
    if (!printer) throw conflict('no_printer', `${kiosk.name} has no label printer`);
    kioskName = kiosk.name;
  }
  const { code, familyName } = await codeForKeyTag(tx, actor, householdId, secret);
  const [templates, site] = await Promise.all([effectiveTemplates(tx.trx, actor.organizationId, actor.siteId), findSite(tx.trx, actor.siteId)]);
  const data: LabelData = {
    code: '',
    pickupUrl: '',
    expressCode: code,
    familyName,
    campus: site?.name ?? '',
    footer: site?.settings.labelFooter ?? '',
    date: '',
    service: '',
  };
  const t = templates.keytag;
  await insertAudit(tx.trx, actor, {
    action: 'labels.key_tag',
    entity: 'household',
    entityId: householdId,
    details: { kioskId: kioskId ?? null, printer: printer?.address ?? 'browser', printerId: printer?.id ?? null },
  });
  const own = printer;
  return {
    codeText: formatExpressCode(code),
    zpl: renderZpl(t, data) + '\n',
    html: renderLabelsHtml([{ template: t, data }]),
    printer,
    kioskName,
    zplFor: (p) => renderZpl(!own || p.id === own.id || p.stock_id === own.stock_id ? t : templateForStock(t, p.stock_id), data) + '\n',
  };
}
