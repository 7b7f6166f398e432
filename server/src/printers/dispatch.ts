/**
 * Where a job goes (DESIGN §18): the kiosk's own printer when it says it is ready (`~HS` asked
 * right before the job), else the campus's next healthy network printer — and the answer says
 * which, so the kiosk can tell the parent where to collect the labels. A printer that refuses the
 * job itself is marked unreachable and the next one is tried. Runs after the job's transaction:
 * no database connection waits on a printer.
 */
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { sendToPrinter } from '../printing/printing.service';
import { checkPrinter } from './printer-health';
import * as repo from './printers.repo';

export interface Dispatched {
  printerId: string;
  printerName: string;
  /** the job went to another printer than the kiosk's own */
  failover: boolean;
}

const HEALTH_WORDS: Record<string, string> = {
  paper_out: 'is out of labels',
  head_open: 'has its head open',
  paused: 'is paused',
  unreachable: 'is not answering',
};

export const noPrinterReady = (name: string, health: string) =>
  new AppError(502, 'printer_unreachable', `The label printer ${name} ${HEALTH_WORDS[health] ?? 'is not ready'}, and no other printer of this campus is ready`);

type Ctx = Pick<AppContext, 'tx' | 'db'>;

/** Asks the printer, sends when it is ready, records the job's result; false when it was not printed there. */
async function tryPrinter(ctx: Ctx, p: repo.PrinterRow, payload: string): Promise<{ ok: boolean; health: string }> {
  const health = await checkPrinter(ctx, p);
  if (health !== 'ok') {
    // the job did not go to it: that is its last job's result, for staff to see
    await repo.recordJobResult(ctx.db, p.id, false, `The label printer ${p.name} ${HEALTH_WORDS[health] ?? 'is not ready'}`).catch(() => {});
    return { ok: false, health };
  }
  try {
    await sendToPrinter(p.address!, payload);
  } catch (e) {
    await repo.recordJobResult(ctx.db, p.id, false, e instanceof Error ? e.message : String(e)).catch(() => {});
    await checkPrinter(ctx, { id: p.id, address: null }).catch(() => {});
    return { ok: false, health: 'unreachable' };
  }
  await repo.recordJobResult(ctx.db, p.id, true, null).catch(() => {});
  return { ok: true, health };
}

/**
 * A job's ZPL: the same for every printer, or rendered for the printer that takes it (a failover
 * printer with another stock loaded gets labels of its stock's size, DESIGN §18).
 */
export type JobPayload = string | ((printer: repo.PrinterRow) => string);

/** Sends a job for this printer, failing over to the campus's next healthy network printer. */
export async function dispatchJob(ctx: Ctx, own: repo.PrinterRow, payload: JobPayload): Promise<Dispatched> {
  const zplFor = typeof payload === 'string' ? () => payload : payload;
  const first = await tryPrinter(ctx, own, zplFor(own));
  if (first.ok) return { printerId: own.id, printerName: own.name, failover: false };
  for (const other of await repo.failoverCandidates(ctx.db, own.site_id, own.id)) {
    if ((await tryPrinter(ctx, other, zplFor(other))).ok) return { printerId: other.id, printerName: other.name, failover: true };
  }
  throw noPrinterReady(own.name, first.health);
}

/** A test print goes to this printer only (never elsewhere): it answers whether *this* one works. */
export async function sendTestPrint(ctx: Ctx, p: repo.PrinterRow, payload: string): Promise<void> {
  const r = await tryPrinter(ctx, p, payload);
  if (!r.ok) throw new AppError(502, 'printer_unreachable', `The label printer ${p.name} ${HEALTH_WORDS[r.health] ?? 'is not ready'}`);
}
