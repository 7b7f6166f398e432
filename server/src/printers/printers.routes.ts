import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { KioskPrinterSchema, PrinterCreateSchema, PrinterUpdateSchema } from '../../../contracts/printers';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import { prepareTestPrint } from '../printing/printing.service';
import { sendTestPrint } from './dispatch';
import * as service from './printers.service';

/** Label printers as records (DESIGN §18): staff see them and test them; admins add and edit them and point kiosks at them. */
export function printerRoutes(ctx: AppContext): Router {
  const r = Router();
  const staff = guard(ctx.db, { role: 'staff' });
  const admin = guard(ctx.db, { role: 'admin' });
  r.get('/api/label-printers', staff, async (req, res) => {
    res.json({ printers: await ctx.tx((tx) => service.listPrinters(tx, actorOf(req))) } satisfies Reply<'GET /api/label-printers'>);
  });
  r.post('/api/label-printers', admin, async (req, res) => {
    const input = parse(PrinterCreateSchema, req.body);
    res.status(201).json({ printer: await ctx.tx((tx) => service.createPrinter(tx, actorOf(req), input)) } satisfies Reply<'POST /api/label-printers'>);
  });
  r.patch('/api/label-printers/:id', admin, async (req, res) => {
    const id = idParam(req);
    const input = parse(PrinterUpdateSchema, req.body);
    res.json({ printer: await ctx.tx((tx) => service.updatePrinter(tx, actorOf(req), id, input)) } satisfies Reply<'PATCH /api/label-printers/:id'>);
  });
  /** A test label to this printer only (never failed over): 502 printer_unreachable when it is not ready. */
  r.post('/api/label-printers/:id/test-print', staff, async (req, res) => {
    const id = idParam(req);
    const job = await ctx.tx((tx) => prepareTestPrint(tx, actorOf(req), { printerId: id }));
    await sendTestPrint(ctx, job.printer, job.zpl);
    res.json({ printed: true, printer: job.printer.name } satisfies Reply<'POST /api/label-printers/:id/test-print'>);
  });
  r.put('/api/kiosks/:id/printer', admin, async (req, res) => {
    const id = idParam(req);
    const { printerId } = parse(KioskPrinterSchema, req.body);
    res.json({ kiosk: await ctx.tx((tx) => service.setKioskPrinter(tx, actorOf(req), id, printerId)) } satisfies Reply<'PUT /api/kiosks/:id/printer'>);
  });
  return r;
}
