import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { ExpressResolveSchema, HouseholdCreateSchema, HouseholdLookupQuerySchema, JoinCodeRequestSchema } from '../../../contracts';
import { idParam } from '../context';
import type { AppContext } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import { tooMany } from '../errors';
import * as service from './registration.service';
import * as express from './express.service';

export function householdRoutes(ctx: AppContext): Router {
  const r = Router();
  // harvesting families by trying last-4 digits: a kiosk gets a few lookups a minute (a family's
  // is one or two), a staff user more; the key is the kiosk or user, not the address
  const lookupLimiter = ctx.limits.requests((req) => (actorOf(req).kind === 'kiosk' ? 'kioskLookups' : 'staffLookups'), {
    key: (req) => {
      const a = actorOf(req);
      return `${a.kind}:${a.id}`;
    },
    refused: () => {
      throw tooMany('Too many look-ups; wait a minute');
    },
  });
  r.get('/api/households', guard(ctx.db, { kiosk: 'checkin', role: 'staff' }), lookupLimiter, async (req, res) => {
    const q = parse(HouseholdLookupQuerySchema, req.query, 'query');
    res.json({ households: await service.lookup(ctx.db, actorOf(req), q.phone, q.serviceId) } satisfies Reply<'GET /api/households'>);
  });
  // express check-in: the code off a family's key tag or card (same limiter: guessing codes is harvesting too)
  r.post('/api/households/express', guard(ctx.db, { kiosk: 'checkin', kioskOnly: true }), lookupLimiter, async (req, res) => {
    const input = parse(ExpressResolveSchema, req.body);
    res.json({ households: await express.resolve(ctx.db, actorOf(req), input.code, input.serviceId) } satisfies Reply<'POST /api/households/express'>);
  });
  r.post('/api/households', guard(ctx.db, { kiosk: 'checkin', role: 'staff' }), async (req, res) => {
    const input = parse(HouseholdCreateSchema, req.body);
    const actor = actorOf(req);
    // a kiosk joining a family spends one of its few attempts, reserved before the transaction
    const r = await service.withJoinAttempt(ctx.db, actor, input, (attempt) => ctx.tx((tx) => service.register(tx, actor, input, attempt)));
    // joining an existing family creates none: 200; a new family: 201
    res.status(r.joined ? 200 : 201).json({ household: r.household, joined: r.joined, childIds: r.childIds } satisfies Reply<'POST /api/households'>);
  });
  // "Is this you?": text a code to the family's phone so the parent at the kiosk can join it
  r.post('/api/households/:id/join-code', guard(ctx.db, { kiosk: 'checkin', role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const input = parse(JoinCodeRequestSchema, req.body);
    res.status(202).json((await ctx.tx((tx) => service.sendJoinCode(tx, actorOf(req), id, input.phone))) satisfies Reply<'POST /api/households/:id/join-code'>);
  });
  return r;
}
