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
import { requireFamilyProof } from '../checkin/family-proof';
import type { FamilyReprint } from '../../../contracts';
import { allergyMark, allergySeverity, SEVERE_ALLERGY_SYMBOL, type AllergySeverity } from '../../../contracts/rules';

export const DEFAULT_PRINTER_PORT = 9100;
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
}

/** The fixed words printed on labels, in the family's language. */
export const LABEL_WORDS: Record<LabelLang, { allergy: string; medical: string; parentTag: string }> = {
  en: { allergy: 'ALLERGY', medical: 'MEDICAL', parentTag: 'PARENT PICKUP TAG' },
  es: { allergy: 'ALERGIA', medical: 'MÉDICO', parentTag: 'ETIQUETA DE RECOGIDA' },
};

/**
 * Field data for ^FH^FD: `^` and `~` would start a ZPL command inside a name, so they (and `_`,
 * the ^FH escape character itself) are written as `_XX` hex; control characters become spaces.
 */
export function zplText(s: string): string {
  // control characters would end or corrupt a ZPL field
  return s.replace(/\p{Cc}/gu, ' ').replace(/[_^~]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * Font 0 is proportional; this is a conservative average advance per dot of height (wide capitals
 * such as M and W included), so a size chosen with it leaves the text inside its field block.
 */
const CHAR_WIDTH = 0.62;
const clean = (text: string) => text.trim().replace(/\s+/g, ' ');
/** Characters of font 0 at `size` dots that fit in `lines` lines of `width` dots. */
const capacity = (width: number, size: number, lines: number) => Math.floor(width / (size * CHAR_WIDTH)) * lines;

/**
 * The largest font size (from `max` down to `min`) at which the whole text fits in `lines` lines;
 * when even `min` is too big, more lines (up to `maxLines`) at `min`. Text is never cut: a label
 * that says "Christop…" or drops "EpiPen" is worse than a smaller font.
 */
export function fitText(text: string, width: number, opts: { max: number; min: number; lines?: number; maxLines?: number }): { size: number; lines: number } {
  const len = Math.max(1, [...clean(text)].length);
  const lines = opts.lines ?? 1;
  for (let size = opts.max; size >= opts.min; size -= 2) if (capacity(width, size, lines) >= len) return { size, lines };
  for (let n = lines + 1; n <= (opts.maxLines ?? lines + 1); n++) if (capacity(width, opts.min, n) >= len) return { size: opts.min, lines: n };
  return { size: opts.min, lines: opts.maxLines ?? lines + 1 };
}

const field = (x: number, y: number, size: number, text: string, opts: { width: number; lines?: number; align?: 'L' | 'C' | 'R'; reverse?: boolean }) =>
  `^FO${x},${y}^A0N,${size},${size}^FB${opts.width},${opts.lines ?? 1},0,${opts.align ?? 'L'},0${opts.reverse ? '^FR' : ''}^FH^FD${zplText(clean(text))}^FS`;

/** A field whose font shrinks (and, at the smallest size, wraps) until the whole text fits. */
const fitField = (
  x: number,
  y: number,
  text: string,
  opts: { width: number; max: number; min: number; lines?: number; maxLines?: number; reverse?: boolean },
) => {
  const f = fitText(text, opts.width, opts);
  return field(x, y, f.size, text, { width: opts.width, lines: f.lines, reverse: opts.reverse });
};

/** ^CI28: field data is UTF-8, so accented names (José, Zoë) print as typed. */
const HEADER = `^XA^CI28^PW${WIDTH}^LL${HEIGHT}^LH0,0`;

export function childLabelZpl(c: ChildLabel, set: LabelSet): string {
  const words = LABEL_WORDS[set.lang ?? 'en'];
  const allergy = c.allergies.trim();
  const mark = allergyMark(c.allergySeverity, set.lang ?? 'en');
  // the first name may wrap onto the last name's line only when even the smallest size is too wide
  const first = fitText(c.firstName, 520, { max: 76, min: 36 });
  return [
    HEADER,
    fitField(30, 24, c.firstName, { width: 520, max: 76, min: 36, maxLines: 2 }),
    fitField(30, first.lines > 1 ? 24 + first.size * 2 + 4 : 106, c.lastName, { width: 520, max: 40, min: 22 }),
    fitField(30, 164, c.roomName, { width: 520, max: 46, min: 24, maxLines: 2 }),
    // the security code, boxed, matching the parent tag
    `^FO568,24^GB214,130,4^FS`,
    field(568, 54, 84, set.securityCode, { width: 214, align: 'C' }),
    // a medical note exists: a marker for the volunteer, never the note itself
    ...(c.medical ? [`^FO568,164^GB214,50,50^FS`, field(568, 174, 34, words.medical, { width: 214, align: 'C', reverse: true })] : []),
    // allergies on up to two lines (a smaller font before a third line), white on a black band;
    // a severe or life-threatening one (DESIGN §16) opens with "!! LIFE-THREATENING ALLERGY" inside
    // a white frame drawn in the band, so it reads differently from a mild one at a glance
    ...(allergy || mark
      ? [
          `^FO30,222^GB752,88,88^FS`,
          ...(mark ? [`^FO36,226^GB740,80,4,W^FS`] : []),
          fitField(44, 230, mark ? `${SEVERE_ALLERGY_SYMBOL} ${mark}${allergy ? `: ${allergy}` : ''}` : `${words.allergy}: ${allergy}`, {
            width: 724,
            max: 38,
            min: 18,
            lines: 2,
            maxLines: 4,
            reverse: true,
          }),
        ]
      : []),
    fitField(30, 318, `${set.date}  ${set.serviceName}`, { width: 752, max: 30, min: 20 }),
    ...(set.footer ? [fitField(30, 358, set.footer, { width: 752, max: 26, min: 18 })] : []),
    '^XZ',
  ].join('\n');
}

export function parentTagZpl(set: LabelSet): string {
  const words = LABEL_WORDS[set.lang ?? 'en'];
  const names = set.children.map((c) => c.firstName).join(', ');
  return [
    HEADER,
    fitField(30, 24, words.parentTag, { width: 480, max: 36, min: 24 }),
    field(30, 70, 120, set.securityCode, { width: 480 }),
    fitField(30, 200, names, { width: 480, max: 36, min: 20, lines: 3, maxLines: 4 }),
    field(30, 320, 26, set.date, { width: 480 }),
    ...(set.footer ? [fitField(30, 356, set.footer, { width: 480, max: 24, min: 16 })] : []),
    // QR, model 2, 6 dots a module; "MA," = error correction M, automatic input mode
    `^FO536,40^BQN,2,6^FH^FDMA,${zplText(set.pickupUrl)}^FS`,
    '^XZ',
  ].join('\n');
}

/** A volunteer's name tag (DESIGN §13): name, room, service and date — no security code, it releases no child. */
export function volunteerTagZpl(tag: { name: string; roomName: string; serviceName: string; date: string }): string {
  return (
    [
      HEADER,
      field(30, 24, 36, 'VOLUNTEER', { width: 752 }),
      field(30, 80, 90, tag.name, { width: 752 }),
      field(30, 200, 56, tag.roomName, { width: 752 }),
      field(30, 316, 30, `${tag.date}  ${tag.serviceName}`, { width: 752 }),
      '^XZ',
    ].join('\n') + '\n'
  );
}

/** Every label of a check-in, children first, the parent tag last. */
export function buildLabelsZpl(set: LabelSet): string {
  return [...set.children.map((c) => childLabelZpl(c, set)), parentTagZpl(set)].join('\n') + '\n';
}

/** `host` or `host:port` (IPv6 as `[addr]:port`), the port defaulting to 9100. */
export function parsePrinterHost(value: string): { host: string; port: number } {
  const v = value.trim();
  let host = v;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2];
  } else if ((v.match(/:/g) ?? []).length === 1) [host, port] = v.split(':') as [string, string];
  const p = port === undefined ? DEFAULT_PRINTER_PORT : Number(port);
  if (!host || !Number.isInteger(p) || p < 1 || p > 65535)
    throw conflict('printer_misconfigured', `The kiosk's printer address "${v}" is not host or host:port`);
  return { host, port: p };
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

export interface PrintJob {
  printerHost: string | null;
  zpl: string;
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
  if (!batch || batch.site_id !== actor.siteId) throw notFound('Check-in');
  if (batch.kiosk_id !== actor.id) throw forbidden('Only the kiosk that made this check-in can print its labels');
  const printerHost = await repo.kioskPrinterHost(tx.trx, actor.id);
  // `browser`: the kiosk prints with its own print dialog (no Zebra, or the Zebra is down)
  if (!printerHost && !which.browser) throw conflict('no_printer', 'This kiosk has no label printer; print from the browser');
  if (now.getTime() - new Date(batch.created_at).getTime() > REPRINT_WINDOW_MS)
    throw conflict('reprint_expired', 'Labels can only be printed in the first minutes after check-in; ask a volunteer');
  if ((await repo.countPrints(tx.trx, actor.siteId, batch.request_id)) >= MAX_PRINTS_PER_BATCH)
    throw conflict('reprint_limit', 'These labels were already printed several times; ask a volunteer');
  const rows = await repo.requestChildren(tx.trx, batch.request_id);
  if (!rows.length || !batch.pass_id || !batch.security_code) throw conflict('nothing_to_print', 'No child of this check-in is checked in');
  const set = labelSetOf({ ...batch, security_code: batch.security_code, pass_id: batch.pass_id }, rows, deps);
  const children = set.children;
  const target = which.browser ? null : printerHost;
  await insertAudit(tx.trx, actor, {
    action: 'labels.print',
    entity: 'checkin_request',
    entityId: batch.request_id,
    details: { batchId: batch.id, labels: children.length + 1, printer: target ?? 'browser' },
  });
  return { printerHost: target, zpl: buildLabelsZpl(set), labels: children.length + 1, set, kioskId: actor.id };
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
  printerHost: string | null;
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
  if (!ref || ref.site_id !== actor.siteId) throw notFound('Check-in');
  const batch = await repo.findBatch(tx.trx, ref.batch_id);
  if (!batch) throw notFound('Check-in');
  const children = await repo.batchChildren(tx.trx, batch.id);
  if (!children.length || !batch.pass_id || !batch.security_code) throw conflict('nothing_to_print', 'No child of this check-in is checked in');
  let printerHost: string | null = null;
  let kioskName: string | null = null;
  if (kioskId) {
    const kiosk = await repo.kioskOfSite(tx.trx, kioskId, actor.siteId);
    if (!kiosk) throw notFound('Kiosk');
    if (!kiosk.printer_host) throw conflict('no_printer', `${kiosk.name} has no label printer`);
    printerHost = kiosk.printer_host;
    kioskName = kiosk.name;
  }
  const labels = labelSetOf({ ...batch, security_code: batch.security_code, pass_id: batch.pass_id }, children, deps);
  await insertAudit(tx.trx, actor, {
    action: 'labels.reprint',
    entity: 'checkin_batch',
    entityId: batch.id,
    details: { labels: children.length + 1, kioskId: kioskId ?? null, printer: printerHost, checkinId },
  });
  return { labels, zpl: buildLabelsZpl(labels), printerHost, kioskName, kioskId: kioskId ?? null };
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
  const printerHost = await repo.kioskPrinterHost(tx.trx, actor.id);
  if (!printerHost && !input.browser) throw conflict('no_printer', 'This kiosk has no label printer; print from the browser');
  const set = labelSetOf({ ...batch, security_code: batch.security_code, pass_id: batch.pass_id }, rows, deps);
  const children = set.children;
  const target = input.browser ? null : printerHost;
  await insertAudit(tx.trx, actor, {
    action: 'labels.family_reprint',
    entity: 'checkin_batch',
    entityId: batch.id,
    details: { labels: children.length + 1, printer: target ?? 'browser' },
  });
  return { printerHost: target, zpl: buildLabelsZpl(set), labels: children.length + 1, set, kioskId: actor.id };
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
  };
}

const labelLang = (v: string | null | undefined): LabelLang => (v === 'es' ? 'es' : 'en');

/**
 * Sends a job and remembers how it went on the kiosk (staff see each printer's last result);
 * the outcome is recorded whether the printer took the job or not, outside any transaction.
 */
export async function sendAndRecord(db: Knex, kioskId: string, printerHost: string, zpl: string): Promise<void> {
  try {
    await sendToPrinter(printerHost, zpl);
  } catch (e) {
    await repo.recordPrinterResult(db, kioskId, false, e instanceof Error ? e.message : String(e)).catch(() => {});
    throw e;
  }
  await repo.recordPrinterResult(db, kioskId, true, null).catch(() => {});
}

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

/** Staff send a test label to a kiosk's printer (audited); the send happens after the transaction. */
export async function prepareTestPrint(tx: Tx, actor: Actor, kioskId: string): Promise<{ printerHost: string; zpl: string; kioskName: string }> {
  if (actor.kind !== 'user') throw forbidden('Only staff send a test print');
  const kiosk = await repo.kioskOfSite(tx.trx, kioskId, actor.siteId);
  if (!kiosk) throw notFound('Kiosk');
  if (!kiosk.printer_host) throw conflict('no_printer', `${kiosk.name} has no label printer`);
  const site = await findSite(tx.trx, actor.siteId);
  await insertAudit(tx.trx, actor, { action: 'labels.test_print', entity: 'kiosk', entityId: kioskId, details: { printer: kiosk.printer_host } });
  return {
    printerHost: kiosk.printer_host,
    zpl: testLabelZpl(kiosk.name, site?.settings.labelFooter ?? '', new Date(), site?.timezone ?? 'UTC'),
    kioskName: kiosk.name,
  };
}

/**
 * A volunteer's name tag at a check-in kiosk: to the kiosk's Zebra printer when it has one (sent
 * after the transaction, like the child labels), else the kiosk prints it from the browser. Audited.
 */
export async function prepareVolunteerTag(tx: Tx, actor: Actor, shiftId: string): Promise<{ printerHost: string | null; kioskId: string }> {
  if (actor.kind !== 'kiosk') throw forbidden('Only a kiosk prints name tags');
  const printerHost = await repo.kioskPrinterHost(tx.trx, actor.id);
  await insertAudit(tx.trx, actor, {
    action: 'labels.volunteer_tag',
    entity: 'volunteer_shift',
    entityId: shiftId,
    details: { printer: printerHost ?? 'browser' },
  });
  return { printerHost, kioskId: actor.id };
}
