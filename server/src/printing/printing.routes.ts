import { Router } from 'express';
import { PrintLabelsSchema, ReprintLabelsSchema, type PrintLabelsResult } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import { preparePrintJob, prepareReprint, sendToPrinter } from './printing.service';

export function printingRoutes(ctx: AppContext): Router {
  const r = Router();
  /**
   * Sends a check-in's labels to the calling kiosk's Zebra printer. The job is checked and audited
   * in a transaction; the TCP send happens after it, so no database connection waits on a printer.
   */
  r.post('/api/print/labels', guard(ctx.db, { kiosk: 'checkin', kioskOnly: true }), async (req, res) => {
    const which = parse(PrintLabelsSchema, req.body);
    const job = await ctx.tx((tx) => preparePrintJob(tx, actorOf(req), which, { secret: ctx.secret, baseUrl: ctx.baseUrl(req) }));
    await sendToPrinter(job.printerHost, job.zpl);
    const body: PrintLabelsResult = { printed: true, labels: job.labels };
    res.json(body);
  });
  /** Staff reprint a family's labels and parent tag from the roster: to the browser, or to a kiosk's printer. */
  r.post('/api/checkins/:id/labels', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const { kioskId } = parse(ReprintLabelsSchema, req.body);
    const job = await ctx.tx((tx) => prepareReprint(tx, actorOf(req), id, kioskId, { secret: ctx.secret, baseUrl: ctx.baseUrl(req) }));
    if (job.printerHost) await sendToPrinter(job.printerHost, job.zpl);
    res.json({ labels: job.labels, zpl: job.zpl, printed: job.printerHost ? { kiosk: job.kioskName } : null });
  });
  return r;
}
