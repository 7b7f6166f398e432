import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { FamilyReprintSchema, PrintLabelsSchema, ReprintLabelsSchema, type PrintLabelsResult, type PrinterStatus } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import { prepareFamilyReprint, preparePrintJob, prepareReprint, prepareTestPrint, sendAndRecord } from './printing.service';
import { withProofAttempt } from '../checkin/family-proof';
import { listPrinters } from './printing.repo';

export function printingRoutes(ctx: AppContext): Router {
  const r = Router();
  /**
   * Sends a check-in's labels to the calling kiosk's Zebra printer. The job is checked and audited
   * in a transaction; the TCP send happens after it, so no database connection waits on a printer.
   */
  r.post('/api/print/labels', guard(ctx.db, { kiosk: 'checkin', kioskOnly: true }), async (req, res) => {
    const which = parse(PrintLabelsSchema, req.body);
    const job = await ctx.tx((tx) => preparePrintJob(tx, actorOf(req), which, { secret: ctx.secret, baseUrl: ctx.baseUrl(req) }));
    if (job.printerHost) await sendAndRecord(ctx.db, job.kioskId, job.printerHost, job.zpl);
    // the label data comes back either way: a kiosk printing with its browser renders it
    const body: PrintLabelsResult = { printed: !!job.printerHost, labels: job.labels, set: job.set };
    res.json(body satisfies Reply<'POST /api/print/labels'>);
  });
  /** A parent reprints the family's own labels at a kiosk, with the tag's code or the pass (counted per family like every proof). */
  r.post('/api/print/family-labels', guard(ctx.db, { kiosk: 'checkin', kioskOnly: true }), async (req, res) => {
    const input = parse(FamilyReprintSchema, req.body);
    const actor = actorOf(req);
    const job = await withProofAttempt(ctx.db, actor, input, () =>
      ctx.tx((tx) => prepareFamilyReprint(tx, actor, input, { secret: ctx.secret, baseUrl: ctx.baseUrl(req) })),
    );
    if (job.printerHost) await sendAndRecord(ctx.db, job.kioskId, job.printerHost, job.zpl);
    const body: PrintLabelsResult = { printed: !!job.printerHost, labels: job.labels, set: job.set };
    res.json(body satisfies Reply<'POST /api/print/family-labels'>);
  });
  /** Staff reprint a family's labels and parent tag from the roster: to the browser, or to a kiosk's printer. */
  r.post('/api/checkins/:id/labels', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const { kioskId } = parse(ReprintLabelsSchema, req.body);
    const job = await ctx.tx((tx) => prepareReprint(tx, actorOf(req), id, kioskId, { secret: ctx.secret, baseUrl: ctx.baseUrl(req) }));
    if (job.printerHost && job.kioskId) await sendAndRecord(ctx.db, job.kioskId, job.printerHost, job.zpl);
    res.json({ labels: job.labels, zpl: job.zpl, printed: job.printerHost ? { kiosk: job.kioskName } : null } satisfies Reply<'POST /api/checkins/:id/labels'>);
  });
  /** Staff send a test label to a kiosk's printer; 502 printer_unreachable when it does not take it. */
  r.post('/api/kiosks/:id/test-print', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const job = await ctx.tx((tx) => prepareTestPrint(tx, actorOf(req), id));
    await sendAndRecord(ctx.db, id, job.printerHost, job.zpl);
    res.json({ printed: true, kiosk: job.kioskName } satisfies Reply<'POST /api/kiosks/:id/test-print'>);
  });
  /** Staff see each kiosk printer and the result of its last job. */
  r.get('/api/printers', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const rows = await listPrinters(ctx.db, actorOf(req).siteId);
    const printers: PrinterStatus[] = rows.map((k) => ({
      kioskId: k.id,
      kioskName: k.name,
      printerHost: k.printer_host,
      lastOk: k.printer_last_ok,
      lastAt: k.printer_last_at ? new Date(k.printer_last_at).toISOString() : null,
      lastError: k.printer_last_error,
    }));
    res.json({ printers } satisfies Reply<'GET /api/printers'>);
  });
  return r;
}
