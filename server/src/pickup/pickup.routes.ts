import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import { CheckoutCreateSchema, PickupVerifySchema } from '../../../contracts';
import type { AppContext } from '../context';
import { parse } from '../http/validate';
import { tooMany } from '../errors';
import { actorOf, guard } from '../auth/auth.middleware';
import { insertAudit } from '../audit/audit.repo';
import * as service from './pickup.service';

export const VERIFY_FAILURES_PER_WINDOW = 10;

export function pickupRoutes(ctx: AppContext): Router {
  const r = Router();
  // Guessing codes: each user or kiosk gets a few failures per five minutes.
  const failures = rateLimit({
    windowMs: 5 * 60_000, limit: VERIFY_FAILURES_PER_WINDOW, standardHeaders: 'draft-7', legacyHeaders: false,
    keyGenerator: (req) => `${req.actor?.kind}:${req.actor?.id}`, skipSuccessfulRequests: true,
    handler: (req) => {
      void insertAudit(ctx.db, req.actor ?? null, { action: 'pickup.rate_limited', entity: 'pickup', details: { path: req.path } }).catch(() => {});
      throw tooMany('Too many wrong codes; wait a few minutes or ask a staff member');
    },
  });
  /** Failed codes are audited outside the request's rolled-back transaction. */
  const audited = async <T>(req: Parameters<typeof actorOf>[0], fn: () => Promise<T>) => {
    try { return await fn(); } catch (e) {
      if (e instanceof service.VerificationFailed) await insertAudit(ctx.db, actorOf(req), { action: 'pickup.verify_failed', entity: 'pickup', details: e.attempt });
      throw e;
    }
  };
  const who = guard(ctx.db, { role: 'volunteer' });
  r.post('/api/pickups/verify', who, failures, async (req, res) => {
    const input = parse(PickupVerifySchema, req.body);
    res.json(await audited(req, () => ctx.tx((tx) => service.verify(tx, actorOf(req), input))));
  });
  r.post('/api/checkouts', who, failures, async (req, res) => {
    const input = parse(CheckoutCreateSchema, req.body);
    res.json(await audited(req, () => ctx.tx((tx) => service.checkout(tx, actorOf(req), input))));
  });
  return r;
}
