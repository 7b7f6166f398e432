import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { FamilyReprintSchema, KeyTagPrintSchema, PrintLabelsSchema, ReprintLabelsSchema, type PrintLabelsResult, type PrinterStatus } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import { prepareFamilyReprint, preparePrintJob, prepareReprint, prepareTestPrint, type PrintJob } from './printing.service';
import { dispatchJob, sendTestPrint } from '../printers/dispatch';
import { prepareKeyTag } from './tags.service';
import { withProofAttempt } from '../checkin/family-proof';
import { printersAt } from './printers.service';

export function printingRoutes(ctx: AppContext): Router {
  const r = Router();
  /**
   * Sends a check-in's labels to the calling kiosk's Zebra printer. The job is checked and audited
   * in a transaction; the TCP send happens after it, so no database connection waits on a printer.
   */
  r.post('/api/print/labels', guard(ctx.db, { kiosk: 'checkin', kioskOnly: true }), async (req, res) => {
    const which = parse(PrintLabelsSchema, req.body);
    const job = await ctx.tx((tx) => preparePrintJob(tx, actorOf(req), which, { secret: ctx.secret, baseUrl: ctx.baseUrl(req) }));
    res.json((await sendLabels(ctx, job)) satisfies Reply<'POST /api/print/labels'>);
  });
  /** A parent reprints the family's own labels at a kiosk, with the tag's code or the pass (counted per family like every proof). */
  r.post('/api/print/family-labels', guard(ctx.db, { kiosk: 'checkin', kioskOnly: true }), async (req, res) => {
    const input = parse(FamilyReprintSchema, req.body);
    const actor = actorOf(req);
    const job = await withProofAttempt(ctx.db, actor, input, () =>
      ctx.tx((tx) => prepareFamilyReprint(tx, actor, input, { secret: ctx.secret, baseUrl: ctx.baseUrl(req) })),
    );
    res.json((await sendLabels(ctx, job)) satisfies Reply<'POST /api/print/family-labels'>);
  });
  /** Staff reprint a family's labels and parent tag from the roster: to the browser, or to a kiosk's printer. */
  r.post('/api/checkins/:id/labels', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const { kioskId } = parse(ReprintLabelsSchema, req.body);
    const job = await ctx.tx((tx) => prepareReprint(tx, actorOf(req), id, kioskId, { secret: ctx.secret, baseUrl: ctx.baseUrl(req) }));
    const sent = job.printer ? await dispatchJob(ctx, job.printer, job.zplFor) : null;
    res.json({
      labels: job.labels,
      zpl: job.zpl,
      html: job.html,
      printed: sent ? { kiosk: job.kioskName, printer: sent.printerName } : null,
    } satisfies Reply<'POST /api/checkins/:id/labels'>);
  });
  /** Staff print a family's key tag (its express code): to a kiosk's printer when named, else the browser prints the returned HTML. */
  r.post('/api/households/:id/key-tag', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const { kioskId } = parse(KeyTagPrintSchema, req.body ?? {});
    const job = await ctx.tx((tx) => prepareKeyTag(tx, actorOf(req), id, kioskId, ctx.secret));
    const sent = job.printer ? await dispatchJob(ctx, job.printer, job.zplFor) : null;
    res.json({
      codeText: job.codeText,
      zpl: job.zpl,
      html: job.html,
      printed: sent ? { kiosk: job.kioskName!, printer: sent.printerName } : null,
    } satisfies Reply<'POST /api/households/:id/key-tag'>);
  });
  /** Staff send a test label to a kiosk's printer; 502 printer_unreachable when it does not take it. */
  r.post('/api/kiosks/:id/test-print', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const job = await ctx.tx((tx) => prepareTestPrint(tx, actorOf(req), { kioskId: id }));
    await sendTestPrint(ctx, job.printer, job.zpl);
    res.json({ printed: true, kiosk: job.kioskName } satisfies Reply<'POST /api/kiosks/:id/test-print'>);
  });
  /** Staff see each kiosk printer and the result of its last job. */
  r.get('/api/printers', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const rows = await printersAt(ctx.db, actorOf(req).siteId);
    const printers: PrinterStatus[] = rows.map((k) => ({
      kioskId: k.id,
      kioskName: k.name,
      printerHost: k.address,
      printerId: k.printer_id,
      printerName: k.printer_name,
      health: k.health as PrinterStatus['health'],
      lastOk: k.last_ok,
      lastAt: k.last_at ? new Date(k.last_at).toISOString() : null,
      lastError: k.last_error,
    }));
    res.json({ printers } satisfies Reply<'GET /api/printers'>);
  });
  return r;
}

/**
 * A kiosk's labels to the kiosk's printer when it is ready, else to the campus's next healthy one
 * (the answer says which); the label data comes back either way, for a kiosk printing with its browser.
 */
async function sendLabels(ctx: AppContext, job: PrintJob): Promise<PrintLabelsResult> {
  const sent = job.printer ? await dispatchJob(ctx, job.printer, job.zplFor) : null;
  return {
    printed: !!sent,
    labels: job.labels,
    set: job.set,
    html: job.html,
    ...(sent ? { printer: { name: sent.printerName, failover: sent.failover } } : {}),
  };
}
