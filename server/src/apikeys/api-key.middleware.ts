import type { NextFunction, Request, Response } from 'express';
import { API_KEY_SITE_HEADER, UuidSchema } from '../../../contracts';
import type { AppContext } from '../context';
import type { Actor } from '../auth/actor';
import { bearer } from '../auth/auth.middleware';
import { badRequest, notFound, tooMany, unauthorized } from '../errors';
import { looksLikeApiKey, resolveApiKey } from './api-keys.service';

declare module 'express-serve-static-core' {
  interface Request {
    /** the API key this request carries, resolved (the route's guard decides what it may do) */
    integration?: Extract<Actor, { kind: 'integration' }>;
  }
}

const SITE_HEADER = API_KEY_SITE_HEADER;

/**
 * `Authorization: Bearer kc_live_…`: resolves the key on every request (nothing is cached, so a
 * revocation holds from the next request on, on every instance), then takes one request from the
 * key's budget (`apiKey` in RATE_LIMIT_DEFAULTS, counted where every instance sees it). Other
 * tokens pass through untouched to the routes' guards.
 */
export function apiKeyAuth(ctx: AppContext) {
  const limit = ctx.limits.requests('apiKey', {
    key: (req) => req.integration!.id,
    refused: () => {
      throw tooMany('This API key has made too many requests; wait a moment');
    },
  });
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    if (!looksLikeApiKey(token)) return next();
    const header = req.get(SITE_HEADER);
    let asked: string | null = null;
    if (header !== undefined) {
      const r = UuidSchema.safeParse(header.trim());
      if (!r.success) throw badRequest(`${SITE_HEADER}: must be a campus id (UUID)`, SITE_HEADER);
      asked = r.data;
    }
    const resolved = await resolveApiKey(ctx.db, token, asked);
    if (!resolved.ok) throw resolved.reason === 'unknown' ? unauthorized('Unknown or revoked API key') : notFound('Campus');
    req.integration = resolved.actor;
    return limit(req, res, next);
  };
}
