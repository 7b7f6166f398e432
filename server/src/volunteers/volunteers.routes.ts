import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import {
  BackgroundCheckSchema,
  HeadcountCreateSchema,
  KioskVolunteerCheckinSchema,
  KioskVolunteerLookupSchema,
  RollCallSchema,
  VolunteerCheckinSchema,
  VolunteerPhoneSchema,
  VolunteerReportQuerySchema,
  type KioskVolunteerCheckinResult,
} from '../../../contracts';
import { tooMany } from '../errors';
import { prepareVolunteerTag } from '../printing/tags.service';
import { dispatchJob } from '../printers/dispatch';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './volunteers.service';

export function volunteerRoutes(ctx: AppContext): Router {
  const r = Router();
  const users = guard(ctx.db, { role: 'volunteer' });
  r.get('/api/services/:id/volunteers', users, async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => service.listForService(tx, actorOf(req), id))) satisfies Reply<'GET /api/services/:id/volunteers'>);
  });
  r.post('/api/services/:id/rooms/:roomId/volunteers', users, async (req, res) => {
    const id = idParam(req);
    const roomId = idParam(req, 'roomId');
    const input = parse(VolunteerCheckinSchema, req.body ?? {});
    res
      .status(201)
      .json((await ctx.tx((tx) => service.checkIn(tx, actorOf(req), id, roomId, input))) satisfies Reply<'POST /api/services/:id/rooms/:roomId/volunteers'>);
  });
  r.post('/api/volunteer-shifts/:id/checkout', users, async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => service.checkOut(tx, actorOf(req), id))) satisfies Reply<'POST /api/volunteer-shifts/:id/checkout'>);
  });
  r.post('/api/services/:id/rooms/:roomId/headcounts', users, async (req, res) => {
    const id = idParam(req);
    const roomId = idParam(req, 'roomId');
    const { count } = parse(HeadcountCreateSchema, req.body);
    res.status(201).json({
      headcount: await ctx.tx((tx) => service.recordHeadcount(tx, actorOf(req), id, roomId, count)),
    } satisfies Reply<'POST /api/services/:id/rooms/:roomId/headcounts'>);
  });
  r.put('/api/checkins/:id/present', users, async (req, res) => {
    const id = idParam(req);
    const { present } = parse(RollCallSchema, req.body);
    res.json((await ctx.tx((tx) => service.setPresent(tx, actorOf(req), id, present))) satisfies Reply<'PUT /api/checkins/:id/present'>);
  });
  r.get('/api/reports/volunteers', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const q = parse(VolunteerReportQuerySchema, req.query, 'query');
    res.json((await ctx.tx((tx) => service.report(tx, actorOf(req), q.from, q.to))) satisfies Reply<'GET /api/reports/volunteers'>);
  });

  // at a check-in kiosk, by phone number: rate-limited per kiosk like the family look-ups (a phone
  // number is tried here as there), its own budget so volunteers do not eat the families'
  const kiosk = guard(ctx.db, { kiosk: 'checkin', kioskOnly: true });
  const kioskLimiter = ctx.limits.requests('kioskVolunteerLookups', {
    key: (req) => actorOf(req).id,
    refused: () => {
      throw tooMany('Too many look-ups; wait a minute');
    },
  });
  r.post('/api/kiosk/volunteers/lookup', kiosk, kioskLimiter, async (req, res) => {
    const q = parse(KioskVolunteerLookupSchema, req.body ?? {});
    res.json({
      volunteer: await ctx.tx((tx) => service.kioskLookup(tx, actorOf(req), q.serviceId, q.phone)),
    } satisfies Reply<'POST /api/kiosk/volunteers/lookup'>);
  });
  r.post('/api/kiosk/volunteers/checkin', kiosk, kioskLimiter, async (req, res) => {
    const input = parse(KioskVolunteerCheckinSchema, req.body ?? {});
    const { result, job } = await ctx.tx(async (tx) => {
      const result = await service.kioskCheckIn(tx, actorOf(req), input);
      return { result, job: await prepareVolunteerTag(tx, actorOf(req), result.shift.id, result.label) };
    });
    // the check-in stands whatever the printer does: a printer that fails means a browser print
    let printed = false;
    if (job.printer)
      printed = await dispatchJob(ctx, job.printer, job.zplFor).then(
        () => true,
        () => false,
      );
    const body: KioskVolunteerCheckinResult = { name: result.shift.name, roomName: result.shift.roomName, label: result.label, printed };
    res.status(201).json(body satisfies Reply<'POST /api/kiosk/volunteers/checkin'>);
  });
  r.post('/api/kiosk/volunteers/checkout', kiosk, kioskLimiter, async (req, res) => {
    const q = parse(KioskVolunteerLookupSchema, req.body ?? {});
    const done = await ctx.tx((tx) => service.kioskCheckOut(tx, actorOf(req), q.serviceId, q.phone));
    res.json({ name: done.name, roomName: done.roomName } satisfies Reply<'POST /api/kiosk/volunteers/checkout'>);
  });

  // staff: the campus's volunteers, their background checks (recorded by staff too) and phones
  const staff = guard(ctx.db, { role: 'staff' });
  r.get('/api/volunteers', staff, async (req, res) => {
    res.json({ volunteers: await ctx.tx((tx) => service.listPeople(tx, actorOf(req))) } satisfies Reply<'GET /api/volunteers'>);
  });
  r.put('/api/volunteers/:id/background-check', staff, async (req, res) => {
    const id = idParam(req);
    const input = parse(BackgroundCheckSchema, req.body);
    res.json({ volunteer: await ctx.tx((tx) => service.recordCheck(tx, actorOf(req), id, input)) } satisfies Reply<'PUT /api/volunteers/:id/background-check'>);
  });
  r.put('/api/volunteers/:id/phone', staff, async (req, res) => {
    const id = idParam(req);
    const { phone } = parse(VolunteerPhoneSchema, req.body);
    res.json({ volunteer: await ctx.tx((tx) => service.setPhone(tx, actorOf(req), id, phone)) } satisfies Reply<'PUT /api/volunteers/:id/phone'>);
  });
  return r;
}
