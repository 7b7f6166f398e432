import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { KioskCreateSchema, KioskPairSchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { tooMany } from '../errors';
import { byAddress } from '../limits/rate-limit';
import { actorOf, forgetCachedTokens, guard } from '../auth/auth.middleware';
import * as service from './kiosks.service';
import { hasTwilio } from '../notifications/transport';

export function kioskRoutes(ctx: AppContext): Router {
  const r = Router();
  // wrong pairing codes per address (a right one never counts)
  const pairLimiter = ctx.limits.failures('kioskPairingFailures', {
    key: byAddress,
    failed: (res) => res.statusCode >= 400,
    refused: () => {
      throw tooMany('Too many pairing attempts; wait a minute');
    },
  });
  r.post('/api/kiosks', guard(ctx.db, { role: 'admin' }), async (req, res) => {
    const input = parse(KioskCreateSchema, req.body);
    res.status(201).json((await ctx.tx((tx) => service.createKiosk(tx, actorOf(req), input))) satisfies Reply<'POST /api/kiosks'>);
  });
  r.post('/api/kiosks/pair', pairLimiter, async (req, res) => {
    const { pairingCode } = parse(KioskPairSchema, req.body);
    const paired = await ctx.tx((tx) => service.pair(tx, pairingCode));
    // a re-pairing replaced a token this instance may hold resolved
    forgetCachedTokens(ctx.db);
    res.json(paired satisfies Reply<'POST /api/kiosks/pair'>);
  });
  r.get('/api/kiosks', guard(ctx.db, { role: 'admin' }), async (req, res) => {
    res.json({ kiosks: await ctx.tx((tx) => service.listForSite(tx, actorOf(req))) } satisfies Reply<'GET /api/kiosks'>);
  });
  r.post('/api/kiosks/:id/pairing-code', guard(ctx.db, { role: 'admin' }), async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => service.newPairingCodeFor(tx, actorOf(req), id))) satisfies Reply<'POST /api/kiosks/:id/pairing-code'>);
  });
  r.delete('/api/kiosks/:id', guard(ctx.db, { role: 'admin' }), async (req, res) => {
    const id = idParam(req);
    await ctx.tx((tx) => service.revoke(tx, actorOf(req), id));
    res.status(204).end();
  });
  /** A kiosk's own view of itself and its site (the tablet shows the site name). */
  r.get('/api/kiosk/me', guard(ctx.db, { kiosk: true, kioskOnly: true }), async (req, res) => {
    // `sms.sending` false: no SMS provider, so the done screen does not promise a text
    res.json({ ...(await service.me(ctx.db, actorOf(req))), sms: { sending: hasTwilio(ctx.config) } } satisfies Reply<'GET /api/kiosk/me'>);
  });
  return r;
}
