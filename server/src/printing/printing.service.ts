/**
 * Label printing on a Zebra printer (DESIGN §1 flow 1): one 4 × 2 in label per child and one
 * parent pickup tag per check-in, built as ZPL and sent over raw TCP (port 9100) by the server,
 * because a browser cannot open a socket to a printer on the lobby network.
 */
import net from 'node:net';
import type { Knex } from 'knex';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { AppError, conflict, forbidden, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { effectiveSettings, findSite } from '../sites/sites.repo';
import { pickupToken, pickupUrl } from '../checkin/pickup-token';
import * as repo from './printing.repo';
import { effectiveTemplates } from '../labels/label-templates.service';
import { requireFamilyProof } from '../checkin/family-proof';
import type { FamilyReprint } from '../../../contracts';
import { allergySeverity, type AllergySeverity } from '../../../contracts/rules';
import {
  defaultTemplate,
  fitText,
  LABEL_WORDS as TEMPLATE_WORDS,
  renderLabelsHtml,
  renderZpl,
  templateForStock,
  zplField,
  zplText,
  type LabelData,
  type LabelTemplate,
  type LabelTemplateKind,
} from '../../../contracts/labels';
import { printerOfKiosk, printerOfSite, type PrinterRow } from '../printers/printers.repo';
import { parsePrinterAddress } from '../../../contracts/rules/printer-address';
import { assertSameSite } from '../policies/ownership';

export { DEFAULT_PRINTER_PORT } from '../../../contracts/rules/printer-address';
export const PRINTER_TIMEOUT_MS = 4000;
/** Labels can be (re)printed this long after the check-in, this many times in all. */
export const REPRINT_WINDOW_MS = 5 * 60_000;
export const MAX_PRINTS_PER_BATCH = 5;
/** A family reprints its own labels at a kiosk (with its tag's code or pass) this many times a day. */
export const MAX_FAMILY_REPRINTS = 3;

/** 4 × 2 in at 203 dpi, the common Zebra desktop resolution. */
const WIDTH = 812;
const HEIGHT = 406;

export interface ChildLabel {
  childId?: string;
  firstName: string;
  lastName: string;
  roomName: string;
  allergies: string;
  /** DESIGN §16: severe and life-threatening print with the mark */
  allergySeverity?: AllergySeverity | null;
  medical?: boolean;
}
export type LabelLang = 'en' | 'es';
export interface LabelSet {
  securityCode: string;
  pickupUrl: string;
  date: string;
  serviceName: string;
  footer: string;
  children: ChildLabel[];
  /** the family's language: the fixed words on the labels (ALLERGY, MEDICAL, PARENT PICKUP TAG) */
  lang?: LabelLang;
  /** the adult who brought the children, else the family's first guardian (a template's `parentName`) */
  parentName?: string;
}

/** The fixed words printed on labels, in the family's language (kept in contracts/labels with the templates). */
export const LABEL_WORDS: Record<LabelLang, { allergy: string; medical: string; parentTag: string }> = TEMPLATE_WORDS;
export { zplText, fitText };

const field = (x: number, y: number, size: number, text: string, opts: { width: number; lines?: number; align?: 'L' | 'C' | 'R'; reverse?: boolean }) =>
  zplField(x, y, size, text, opts);

/** A field whose font shrinks (and, at the smallest size, wraps) until the whole text fits. */
const fitField = (x: number, y: number, text: string, opts: { width: number; max: number; min: number; lines?: number; maxLines?: number }) => {
  const f = fitText(text, opts.width, opts);
  return field(x, y, f.size, text, { width: opts.width, lines: f.lines });
};

/** 4 × 2 in at 203 dpi: the test print and the fixed volunteer tag. */
const HEADER = `^XA^CI28^PW${WIDTH}^LL${HEIGHT}^LH0,0`;

/** The labels a campus prints with: its effective template of each kind (DESIGN §18). */
export type LabelTemplates = Pick<Record<LabelTemplateKind, LabelTemplate>, 'child' | 'parent'>;
export const defaultLabelTemplates = (): LabelTemplates => ({ child: defaultTemplate('child'), parent: defaultTemplate('parent') });

/** One child's label data, and the parent tag's, in the template model's terms. */
export function childLabelData(c: ChildLabel, set: LabelSet): LabelData {
  return {
    ...setLabelData(set),
    child: {
      firstName: c.firstName,
      lastName: c.lastName,
      room: c.roomName,
      allergies: c.allergies,
      allergySeverity: c.allergySeverity ?? null,
      medical: !!c.medical,
    },
  };
}
export function setLabelData(set: LabelSet): LabelData {
  return {
    code: set.securityCode,
    pickupUrl: set.pickupUrl,
    date: set.date,
    service: set.serviceName,
    footer: set.footer,
    lang: set.lang ?? 'en',
    childNames: set.children.map((c) => c.firstName).join(', '),
    parentName: set.parentName ?? '',
  };
}

export const childLabelZpl = (c: ChildLabel, set: LabelSet, t: LabelTemplates = defaultLabelTemplates()) => renderZpl(t.child, childLabelData(c, set));
export const parentTagZpl = (set: LabelSet, t: LabelTemplates = defaultLabelTemplates()) => renderZpl(t.parent, setLabelData(set));

/** Every label of a check-in, children first, the parent tag last: as ZPL, and as HTML for the browser's print. */
export function buildLabelsZpl(set: LabelSet, t: LabelTemplates = defaultLabelTemplates()): string {
  return [...set.children.map((c) => childLabelZpl(c, set, t)), parentTagZpl(set, t)].join('\n') + '\n';
}
export function buildLabelsHtml(set: LabelSet, t: LabelTemplates = defaultLabelTemplates()): string {
  return renderLabelsHtml([...set.children.map((c) => ({ template: t.child, data: childLabelData(c, set) })), { template: t.parent, data: setLabelData(set) }]);
}

/**
 * The ZPL of these labels for the printer that takes the job: as the templates say on the kiosk's
 * own printer (and on one holding the same stock), fitted to the stock of a failover printer that
 * holds another (DESIGN §18) — so a 2.25 × 1.25 in printer never gets a 4 × 2 in page.
 */
export function labelsZplFor(set: LabelSet, t: LabelTemplates, own: PrinterRow | null): (printer: PrinterRow) => string {
  return (printer) =>
    !own || printer.id === own.id || printer.stock_id === own.stock_id
      ? buildLabelsZpl(set, t)
      : buildLabelsZpl(set, { child: templateForStock(t.child, printer.stock_id), parent: templateForStock(t.parent, printer.stock_id) });
}

/** The browser's HTML of these labels when the campus stored a child or parent template (else the kiosk's built-in layout prints). */
const templatesHtml = (set: LabelSet, t: LabelTemplates & { stored: LabelTemplateKind[] }) =>
  t.stored.includes('child') || t.stored.includes('parent') ? buildLabelsHtml(set, t) : undefined;

/** `host` or `host:port` (IPv6 as `[addr]:port`), the port defaulting to 9100 (the rule: contracts/rules/printer-address.ts). */
export function parsePrinterHost(value: string): { host: string; port: number } {
  const a = parsePrinterAddress(value);
  if (!a) throw conflict('printer_misconfigured', `The printer address "${value.trim()}" is not host or host:port`);
  return a;
}

export const printerUnreachable = (target: string) => new AppError(502, 'printer_unreachable', `The label printer at ${target} is not answering`);

/** Opens a TCP connection, writes the job, half-closes; rejects on refusal or after the timeout. */
export function sendToPrinter(printerHost: string, zpl: string, timeoutMs = PRINTER_TIMEOUT_MS): Promise<void> {
  const { host, port } = parsePrinterHost(printerHost);
  return new Promise((resolve, reject) => {
    let settled = false;
    const socket = net.connect({ host, port });
    const fail = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(printerUnreachable(printerHost));
    };
    const timer = setTimeout(fail, timeoutMs);
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.end(zpl, 'utf8', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // the printer closes its side once it has the job; don't keep a half-open socket forever
        socket.setTimeout(timeoutMs, () => socket.destroy());
        socket.on('error', () => {});
        resolve();
      });
    });
  });
}

export function formatServiceDate(serviceDate: string, lang: LabelLang = 'en'): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${serviceDate}T12:00:00Z`));
}

/** A kiosk's printer that the server sends jobs to: a network (Zebra) one. A browser/OS printer prints from the kiosk. */
export async function kioskNetworkPrinter(db: Knex | Tx['trx'], kioskId: string): Promise<PrinterRow | null> {
  const p = await printerOfKiosk(db, kioskId);
  return p && p.type === 'zebra' && p.address ? p : null;
}

export interface PrintJob {
  /** the kiosk's network printer the job goes to (or fails over from); null: the browser prints */
  printer: PrinterRow | null;
  zpl: string;
  /** the job's ZPL for the printer that takes it (its stock when it fails over to another) */
  zplFor: (printer: PrinterRow) => string;
  /** the same labels for the browser's print (the campus's templates, print CSS), when it has any stored */
  html?: string;
  labels: number;
  set: LabelSet;
  kioskId: string;
}

/**
 * Checks that this kiosk may print this batch, and builds the job. Only the kiosk that checked the
 * family in, only shortly after, and only a few times: the parent tag carries the pickup QR, so it
 * must not be printable for any family at any time.
 */
export async function preparePrintJob(
  tx: Tx,
  actor: Actor,
  which: { requestId?: string; batchId?: string; browser?: boolean },
  deps: { secret: Buffer; baseUrl: string },
  now = new Date(),
): Promise<PrintJob> {
  if (actor.kind !== 'kiosk') throw forbidden('Only a kiosk prints labels');
  const batch = await repo.findRequest(tx.trx, { ...which, kioskId: actor.id });
  assertSameSite(actor, batch, 'Check-in');
  if (batch.kiosk_id !== actor.id) throw forbidden('Only the kiosk that made this check-in can print its labels');
  const printer = await kioskNetworkPrinter(tx.trx, actor.id);
  // `browser`: the kiosk prints with its own print dialog (no Zebra, or the Zebra is down)
  if (!printer && !which.browser) throw conflict('no_printer', 'This kiosk has no label printer; print from the browser');
  if (now.getTime() - new Date(batch.created_at).getTime() > REPRINT_WINDOW_MS)
    throw conflict('reprint_expired', 'Labels can only be printed in the first minutes after check-in; ask a volunteer');
  if ((await repo.countPrints(tx.trx, actor.siteId, batch.request_id)) >= MAX_PRINTS_PER_BATCH)
    throw conflict('reprint_limit', 'These labels were already printed several times; ask a volunteer');
  const rows = await repo.requestChildren(tx.trx, batch.request_id);
  if (!rows.length || !batch.pass_id || !batch.security_code) throw conflict('nothing_to_print', 'No child of this check-in is checked in');
  const set = labelSetOf({ ...batch, security_code: batch.security_code, pass_id: batch.pass_id }, rows, deps);
  const children = set.children;
  const target = which.browser ? null : printer;
  await insertAudit(tx.trx, actor, {
    action: 'labels.print',
    entity: 'checkin_request',
    entityId: batch.request_id,
    details: { batchId: batch.id, labels: children.length + 1, printer: target?.address ?? 'browser', printerId: target?.id ?? null },
  });
  const templates = await effectiveTemplates(tx.trx, actor.organizationId, actor.siteId);
  return {
    printer: target,
    zpl: buildLabelsZpl(set, templates),
    zplFor: labelsZplFor(set, templates, target),
    html: templatesHtml(set, templates),
    labels: children.length + 1,
    set,
    kioskId: actor.id,
  };
}

/** One label per child, naming every room and time when the child stays for several services. */
function labelChildren(rows: repo.LabelChildRow[], timezone: string) {
  const byChild = new Map<string, repo.LabelChildRow[]>();
  for (const r of rows) byChild.set(r.child_id, [...(byChild.get(r.child_id) ?? []), r]);
  const time = (at: Date) => new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(at));
  return [...byChild.values()].map((rs) => ({
    childId: rs[0]!.child_id,
    firstName: rs[0]!.first_name,
    lastName: rs[0]!.last_name,
    allergies: rs[0]!.allergies,
    allergySeverity: allergySeverity(rs[0]!.allergy_severity),
    medical: !!rs[0]!.medical,
    roomName: rs.length > 1 ? rs.map((r) => `${r.room_name} ${time(r.starts_at)}`).join(' / ') : rs[0]!.room_name,
  }));
}
const serviceNames = (rows: repo.LabelChildRow[]) => [...new Set(rows.map((r) => r.service_name))].join(' + ');

export interface Reprint {
  labels: LabelSet;
  zpl: string;
  zplFor: (printer: PrinterRow) => string;
  html?: string;
  printer: PrinterRow | null;
  kioskName: string | null;
  kioskId: string | null;
}

/**
 * Staff reprint a family's labels and parent tag from the roster (DESIGN §4: a tag lost or never
 * printed): the label data comes back for the browser to print, and with `kioskId` the ZPL also
 * goes to that kiosk's printer (sent after the transaction). Audited; staff only, own site only;
 * only while children of the check-in are still in and the pass still works.
 */
export async function prepareReprint(
  tx: Tx,
  actor: Actor,
  checkinId: string,
  kioskId: string | undefined,
  deps: { secret: Buffer; baseUrl: string },
): Promise<Reprint> {
  if (actor.kind !== 'user') throw forbidden('Only staff reprint labels');
  const ref = await repo.batchOfCheckin(tx.trx, checkinId);
  assertSameSite(actor, ref, 'Check-in');
  const batch = await repo.findBatch(tx.trx, ref.batch_id);
  if (!batch) throw notFound('Check-in');
  const children = await repo.batchChildren(tx.trx, batch.id);
  if (!children.length || !batch.pass_id || !batch.security_code) throw conflict('nothing_to_print', 'No child of this check-in is checked in');
  let printer: PrinterRow | null = null;
  let kioskName: string | null = null;
  if (kioskId) {
    const kiosk = await repo.kioskOfSite(tx.trx, kioskId, actor.siteId);
    if (!kiosk) throw notFound('Kiosk');
    printer = await kioskNetworkPrinter(tx.trx, kiosk.id);
    if (!printer) throw conflict('no_printer', `${kiosk.name} has no label printer`);
    kioskName = kiosk.name;
  }
  const labels = labelSetOf({ ...batch, security_code: batch.security_code, pass_id: batch.pass_id }, children, deps);
  await insertAudit(tx.trx, actor, {
    action: 'labels.reprint',
    entity: 'checkin_batch',
    entityId: batch.id,
    details: { labels: children.length + 1, kioskId: kioskId ?? null, printer: printer?.address ?? null, printerId: printer?.id ?? null, checkinId },
  });
  const templates = await effectiveTemplates(tx.trx, actor.organizationId, actor.siteId);
  return {
    labels,
    zpl: buildLabelsZpl(labels, templates),
    zplFor: labelsZplFor(labels, templates, printer),
    html: templatesHtml(labels, templates),
    printer,
    kioskName,
    kioskId: kioskId ?? null,
  };
}

/**
 * A parent back at a kiosk later reprints the family's labels and parent tag (DESIGN §18): proved
 * by the tag's code or the pass like joining the day's code (DESIGN §16: the phone's last 4 digits
 * are no proof), for the children still in, a few times a day, audited. The ZPL goes to this
 * kiosk's printer after the transaction; a printerless kiosk prints the returned data itself.
 */
export async function prepareFamilyReprint(tx: Tx, actor: Actor, input: FamilyReprint, deps: { secret: Buffer; baseUrl: string }): Promise<PrintJob> {
  if (actor.kind !== 'kiosk') throw forbidden("Only a kiosk reprints a family's labels this way");
  const batchId = await repo.familyBatchForService(tx.trx, actor.siteId, input.householdId, input.serviceId);
  const batch = batchId ? await repo.findBatch(tx.trx, batchId) : undefined;
  if (!batch || !batch.security_code) throw notFound('Check-in');
  await requireFamilyProof(
    tx,
    actor,
    deps.secret,
    { householdId: input.householdId, organizationId: actor.organizationId, batchId: batch.id, securityCode: batch.security_code, passId: batch.pass_id },
    input.proof,
  );
  const rows = await repo.batchChildren(tx.trx, batch.id);
  if (!rows.length || !batch.pass_id) throw conflict('nothing_to_print', 'No child of this family is checked in');
  if ((await repo.countFamilyReprints(tx.trx, batch.id)) >= MAX_FAMILY_REPRINTS)
    throw conflict('reprint_limit', 'Your labels were already reprinted several times today; please ask a volunteer');
  const printer = await kioskNetworkPrinter(tx.trx, actor.id);
  if (!printer && !input.browser) throw conflict('no_printer', 'This kiosk has no label printer; print from the browser');
  const set = labelSetOf({ ...batch, security_code: batch.security_code, pass_id: batch.pass_id }, rows, deps);
  const children = set.children;
  const target = input.browser ? null : printer;
  await insertAudit(tx.trx, actor, {
    action: 'labels.family_reprint',
    entity: 'checkin_batch',
    entityId: batch.id,
    details: { labels: children.length + 1, printer: target?.address ?? 'browser', printerId: target?.id ?? null },
  });
  const templates = await effectiveTemplates(tx.trx, actor.organizationId, actor.siteId);
  return {
    printer: target,
    zpl: buildLabelsZpl(set, templates),
    zplFor: labelsZplFor(set, templates, target),
    html: templatesHtml(set, templates),
    labels: children.length + 1,
    set,
    kioskId: actor.id,
  };
}

/** The label set of a family's batch for these children: its code and pass link, the date and the fixed words in the family's language. */
function labelSetOf(
  batch: repo.LabelBatchRow & { security_code: string; pass_id: string },
  rows: repo.LabelChildRow[],
  deps: { secret: Buffer; baseUrl: string },
): LabelSet {
  const lang = labelLang(batch.language);
  return {
    securityCode: batch.security_code,
    pickupUrl: pickupUrl(deps.baseUrl, pickupToken(deps.secret, batch.pass_id)),
    date: formatServiceDate(batch.service_date, lang),
    serviceName: serviceNames(rows),
    footer: effectiveSettings(batch.org_settings, batch.settings).labelFooter,
    children: labelChildren(rows, batch.timezone),
    lang,
    parentName: batch.parent_name ?? '',
  };
}

const labelLang = (v: string | null | undefined): LabelLang => (v === 'es' ? 'es' : 'en');

/** One small label naming the kiosk and the time: staff check a printer before the doors open. */
export function testLabelZpl(kioskName: string, footer: string, at: Date, timezone: string): string {
  const when = new Intl.DateTimeFormat('en-US', { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short' }).format(at);
  return (
    [
      HEADER,
      field(30, 24, 60, 'TEST PRINT', { width: 752 }),
      fitField(30, 110, kioskName, { width: 752, max: 46, min: 24 }),
      field(30, 180, 30, when, { width: 752 }),
      ...(footer ? [fitField(30, 356, footer, { width: 752, max: 26, min: 18 })] : []),
      '^XZ',
    ].join('\n') + '\n'
  );
}

/**
 * Staff send a test label to a printer (audited): a kiosk's (`POST /api/kiosks/:id/test-print`) or
 * one of the campus's printers by id; the send happens after the transaction, to that printer only.
 */
export async function prepareTestPrint(
  tx: Tx,
  actor: Actor,
  which: { kioskId: string } | { printerId: string },
): Promise<{ printer: PrinterRow; zpl: string; kioskName: string }> {
  if (actor.kind !== 'user') throw forbidden('Only staff send a test print');
  let printer: PrinterRow | null | undefined;
  let label: string;
  if ('kioskId' in which) {
    const kiosk = await repo.kioskOfSite(tx.trx, which.kioskId, actor.siteId);
    if (!kiosk) throw notFound('Kiosk');
    printer = await kioskNetworkPrinter(tx.trx, kiosk.id);
    if (!printer) throw conflict('no_printer', `${kiosk.name} has no label printer`);
    label = kiosk.name;
  } else {
    printer = await printerOfSite(tx.trx, which.printerId, actor.siteId);
    if (!printer) throw notFound('Printer');
    if (printer.type !== 'zebra' || !printer.address)
      throw conflict('browser_printer', `${printer.name} prints through a kiosk's browser; print a test page from that kiosk`);
    label = printer.name;
  }
  const site = await findSite(tx.trx, actor.siteId);
  await insertAudit(tx.trx, actor, {
    action: 'labels.test_print',
    entity: 'kiosk' in which ? 'kiosk' : 'printer',
    entityId: 'kioskId' in which ? which.kioskId : which.printerId,
    details: { printer: printer.address, printerId: printer.id },
  });
  return { printer, zpl: testLabelZpl(label, site?.settings.labelFooter ?? '', new Date(), site?.timezone ?? 'UTC'), kioskName: label };
}
