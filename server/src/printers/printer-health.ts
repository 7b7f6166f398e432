/**
 * Printer health (DESIGN §18): every network printer is asked `~HS` periodically (every instance
 * polls, off the request path) and before each job. Paper out, head open, paused and unreachable
 * are raised as staff alerts naming the printer and its kiosks — one alert of the campus, with no
 * service, so a dead printer on a day without services (setup, a weekday event) is still seen —
 * once (the partial unique index alerts_site_standing_unique), and cleared when the printer is healthy again. The health is stored on the printer, and only
 * the instance whose UPDATE changed it writes the alerts' change.
 */
import type { AppContext } from '../context';
import type { Tx } from '../db/transaction';
import type { AlertEvent } from '../../../contracts';
import type { PrinterHealth } from '../../../contracts/printers';
import { startPeriodic } from '../periodic';
import { presentAlert } from '../capacity/alerts.presenter';
import * as alerts from '../capacity/alerts.repo';
import { queryHostStatus } from '../printing/printer-status';
import * as repo from './printers.repo';

type Bad = Exclude<PrinterHealth, 'ok' | 'unknown'>;
export const PRINTER_ALERT_KINDS = {
  paper_out: 'printer_paper_out',
  head_open: 'printer_head_open',
  paused: 'printer_paused',
  unreachable: 'printer_unreachable',
} as const satisfies Record<Bad, AlertEvent['kind']>;
const isBad = (h: PrinterHealth): h is Bad => h in PRINTER_ALERT_KINDS;

/** What staff read, and what to do about it. */
const WHAT: Record<Bad, string> = {
  paper_out: 'is out of labels — load a new roll',
  head_open: 'has its head open — close the lid',
  paused: 'is paused — press its pause button',
  unreachable: 'is not answering — check its power and network cable',
};
export function printerAlertMessage(printer: { name: string }, kiosks: { name: string }[], health: Bad): string {
  const at = kiosks.length ? ` (kiosk ${kiosks.map((k) => k.name).join(', ')})` : '';
  // "Welcome Desk printer (kiosk North Lobby) is out of labels"; a name that does not say it is a printer gets the word
  const name = /printer/i.test(printer.name) ? printer.name : `Printer ${printer.name}`;
  return `${name}${at} ${WHAT[health]}`;
}

/**
 * Records a printer's health; when it changed, clears the alerts of the old state and raises the
 * new one. While it stays down, its alert is raised again if staff cleared it; `tryRaiseSiteAlert`
 * never raises one twice.
 */
export async function applyHealth(tx: Tx, printerId: string, health: Exclude<PrinterHealth, 'unknown'>): Promise<void> {
  const changed = await repo.recordHealth(tx.trx, printerId, health);
  // healthy and healthy before: nothing stands to clear
  if (!changed && !isBad(health)) return;
  const printer = changed ?? (await repo.findPrinter(tx.trx, printerId));
  if (!printer) return;
  await clearPrinterAlerts(tx, printer, isBad(health) ? PRINTER_ALERT_KINDS[health] : null);
  if (!isBad(health)) return;
  const kiosks = (await repo.kiosksOfPrinters(tx.trx, [printer.id])).get(printer.id) ?? [];
  const row = await alerts.tryRaiseSiteAlert(tx.trx, {
    site_id: printer.site_id,
    kind: PRINTER_ALERT_KINDS[health],
    // the printer's id: one standing alert per printer and state (alerts_site_standing_unique)
    age_group: printer.id,
    message: printerAlertMessage(printer, kiosks, health),
  });
  if (row) tx.events.push({ name: 'alert.raised', siteId: row.site_id, audience: 'staff', payload: presentAlert(row) });
}

/**
 * Clears a printer's standing alerts but those of `keep` (its current state): on a change of state,
 * and when an edit makes it another printer (a new address, or a browser/OS printer now).
 */
export async function clearPrinterAlerts(tx: Tx, printer: { id: string; site_id: string }, keep: AlertEvent['kind'] | null = null): Promise<void> {
  const standing: { id: string; kind: string }[] = await tx
    .trx('alerts')
    .select('id', 'kind')
    .where({ site_id: printer.site_id, age_group: printer.id })
    .whereIn('kind', Object.values(PRINTER_ALERT_KINDS))
    .whereNull('cleared_at')
    .orderBy(['service_id', 'kind']);
  for (const a of standing.filter((s) => s.kind !== keep)) {
    const row = await alerts.clear(tx.trx, a.id);
    if (row) tx.events.push({ name: 'alert.cleared', siteId: row.site_id, audience: 'staff', payload: presentAlert(row) });
  }
}

/** Asks one printer and records the answer (alerts included); returns what it said. */
export async function checkPrinter(ctx: Pick<AppContext, 'tx'>, printer: { id: string; address: string | null }): Promise<Exclude<PrinterHealth, 'unknown'>> {
  const health = printer.address ? await queryHostStatus(printer.address) : 'unreachable';
  await ctx.tx((tx) => applyHealth(tx, printer.id, health));
  return health;
}

/** One pass over every network printer, a few at a time (each answers or times out in ~1.5 s). */
export async function pollPrinters(ctx: Pick<AppContext, 'tx' | 'db'>): Promise<void> {
  const printers = await repo.networkPrinters(ctx.db);
  const queue = [...printers];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) await checkPrinter(ctx, p);
  };
  await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
}

export function startPrinterPoll(ctx: AppContext, everyMs: number): () => void {
  let running = false;
  return startPeriodic(everyMs, async () => {
    if (running) return; // a slow pass is not overtaken by the next
    running = true;
    try {
      await pollPrinters(ctx);
    } catch (err) {
      ctx.logger.warn({ err }, 'printer health poll failed; it runs again later');
    } finally {
      running = false;
    }
  });
}
