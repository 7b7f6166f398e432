import type { Reply } from '../../../contracts/endpoints';
import { Router, type NextFunction, type Request, type Response } from 'express';
import twilio from 'twilio';
import { PageCreateSchema } from '../../../contracts';
import type { AppContext } from '../context';
import { safePath } from '../logger';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { forbidden } from '../errors';
import { actorOf, guard } from '../auth/auth.middleware';
import { listForCheckin, pageGuardians } from './page.service';
import { applyInbound, applyStatusCallback } from './webhooks.service';

/** The URL Twilio signed: PUBLIC_URL (behind a proxy) or this request's own origin, plus the path and query. */
export function signedUrl(ctx: AppContext, req: Request): string {
  const base = ctx.config.PUBLIC_URL ? ctx.config.PUBLIC_URL.replace(/\/+$/, '') : `${req.protocol}://${req.get('host')}`;
  return `${base}${req.originalUrl}`;
}

/** 403 for anything unsigned or forged; without an auth token nothing can be verified, so nothing passes. */
function twilioSigned(ctx: AppContext) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const token = ctx.config.TWILIO_AUTH_TOKEN;
    const signature = req.get('x-twilio-signature');
    const params = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    if (!token || !signature || !twilio.validateRequest(token, signature, signedUrl(ctx, req), params)) {
      ctx.logger.warn({ path: safePath(req.path), signed: Boolean(signature) }, 'rejected a Twilio webhook with a missing or wrong signature');
      throw forbidden('Invalid Twilio signature');
    }
    next();
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function notificationRoutes(ctx: AppContext): Router {
  const r = Router();
  const anyUser = guard(ctx.db, { role: 'volunteer' });

  r.post('/api/checkins/:id/page', anyUser, async (req, res) => {
    const id = idParam(req);
    const input = parse(PageCreateSchema, req.body);
    res.status(201).json((await ctx.tx((tx) => pageGuardians(tx, actorOf(req), id, input))) satisfies Reply<'POST /api/checkins/:id/page'>);
  });

  r.get('/api/checkins/:id/notifications', anyUser, async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => listForCheckin(tx, actorOf(req), id))) satisfies Reply<'GET /api/checkins/:id/notifications'>);
  });

  r.post('/webhooks/twilio/status', twilioSigned(ctx), async (req, res) => {
    const b = req.body as Record<string, unknown>;
    await ctx.tx((tx) =>
      applyStatusCallback(tx, {
        rowId: str(req.query.n),
        sid: str(b.MessageSid) ?? str(b.SmsSid),
        status: str(b.MessageStatus) ?? str(b.SmsStatus),
        errorCode: str(b.ErrorCode),
      }),
    );
    res.status(204).end();
  });

  r.post('/webhooks/twilio/inbound', twilioSigned(ctx), async (req, res) => {
    const b = req.body as Record<string, unknown>;
    const result = await ctx.tx((tx) => applyInbound(tx, { sid: str(b.MessageSid) ?? str(b.SmsSid), from: str(b.From), body: str(b.Body) }));
    const twiml = new twilio.twiml.MessagingResponse();
    if (result.reply) twiml.message(result.reply);
    res.type('text/xml').send(twiml.toString());
  });

  return r;
}
