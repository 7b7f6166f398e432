import type { Reply } from '../../../contracts/endpoints';
import { Router, type Request } from 'express';
import { CheckoutCreateSchema, OverridePinSchema, PickupVerifySchema, UndoCheckoutSchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { tooMany } from '../errors';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './pickup.service';
import { OVERRIDE_DENIED } from './pickup.service';
import { RATE_LIMIT_DEFAULTS } from '../config';
import { setOverridePin } from './override-pin.service';
import { undoCheckout } from './undo.service';

export const VERIFY_FAILURES_PER_WINDOW = RATE_LIMIT_DEFAULTS.pickupVerifyFailures.limit;
export const OVERRIDE_PIN_FAILURES_PER_WINDOW = RATE_LIMIT_DEFAULTS.overridePinFailures.limit;

export function pickupRoutes(ctx: AppContext): Router {
  const r = Router();
  const keyOf = (req: Request) => `${req.actor?.kind}:${req.actor?.id}`;
  /** A request refused by a limiter is on record too, through the one mechanism (tx.auditRefusal). */
  const refusedByLimit = (action: string, message: string) => async (req: Request) => {
    await ctx.tx(async (tx) => {
      tx.auditRefusal(req.actor ?? null, { action, entity: 'pickup', details: { path: req.path } });
    });
    throw tooMany(message);
  };
  // Guessing codes: each user or kiosk gets a few wrong codes or passes (404) per five minutes;
  // only wrong ones count, once they are known, so right ones at once are never refused.
  const failures = ctx.limits.failures('pickupVerifyFailures', {
    key: keyOf,
    failed: (res) => res.statusCode === 404,
    refused: refusedByLimit('pickup.rate_limited', 'Too many wrong codes; wait a few minutes or ask a staff member'),
  });
  // Guessing override PINs: a few wrong PINs (403 override_denied) per fifteen minutes.
  const pinFailures = ctx.limits.failures('overridePinFailures', {
    key: keyOf,
    failed: (res) => res.statusCode === 403 && res.locals.errorCode === OVERRIDE_DENIED,
    refused: refusedByLimit('pickup.override_rate_limited', 'Too many wrong override PINs; wait a few minutes'),
  });
  // volunteers and staff, and a kiosk paired as a pickup door station (DESIGN §4)
  const door = guard(ctx.db, { role: 'volunteer', kiosk: 'pickup' });
  r.post('/api/pickups/verify', door, failures, async (req, res) => {
    const input = parse(PickupVerifySchema, req.body);
    res.json((await ctx.tx((tx) => service.verify(tx, actorOf(req), input))) satisfies Reply<'POST /api/pickups/verify'>);
  });
  r.post('/api/checkouts', door, failures, pinFailures, async (req, res) => {
    const input = parse(CheckoutCreateSchema, req.body);
    res.json((await ctx.tx((tx) => service.checkout(tx, actorOf(req), input))) satisfies Reply<'POST /api/checkouts'>);
  });
  r.put('/api/auth/me/override-pin', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const { pin } = parse(OverridePinSchema, req.body);
    await ctx.tx((tx) => setOverridePin(tx, actorOf(req), pin));
    res.status(204).end();
  });
  r.post('/api/checkins/:id/undo-checkout', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const { reason } = parse(UndoCheckoutSchema, req.body);
    res.json({ checkin: await ctx.tx((tx) => undoCheckout(tx, actorOf(req), id, reason)) } satisfies Reply<'POST /api/checkins/:id/undo-checkout'>);
  });
  return r;
}
