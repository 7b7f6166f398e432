/**
 * The parent's pre-check-in page (GET/POST /precheck/:token, public behind the link, rate-limited),
 * the pass page's "pre-check in for next time" (POST /pass/:token/precheck), and staff texting a
 * family a link (POST /api/households/:id/precheckin-link).
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { guard, actorOf } from '../auth/auth.middleware';
import { sha256 } from '../auth/crypto';
import { AppError, tooMany } from '../errors';
import { UuidSchema } from '../../../contracts';
import type { Reply } from '../../../contracts/endpoints';
import { PRECHECK_PATH } from './precheck-token';
import { byAddress } from '../limits/rate-limit';
import { openPass } from '../pass/pass-life';
import { PRECHECK_WORDS, renderPrecheck, renderPrecheckGone } from './precheckin.view';
import * as service from './precheckin.service';

const TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;

function send(res: Response, status: number, html: string) {
  res.status(status).set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow', 'Referrer-Policy': 'no-referrer' }).type('html').send(html);
}

/** A form field that may come once (a string) or several times (an array); anything else is nothing. */
const many = (v: unknown): string[] => (Array.isArray(v) ? v : v == null ? [] : [v]).filter((x): x is string => typeof x === 'string').slice(0, 50);

export function precheckinRoutes(ctx: AppContext): Router {
  const r = Router();
  // guessing a 256-bit token is hopeless: this keeps scanners from hammering the database (failures, per address)
  const failures = ctx.limits.failures('precheckFailures', {
    key: byAddress,
    failed: (res) => res.statusCode >= 400,
    refused: (_req, res) => send(res, 429, renderPrecheckGone('unknown')),
  });
  // one link's page (a family on one phone, or a lobby's shared address): plenty for a parent, not for a script
  const perLink = ctx.limits.requests('precheckLink', {
    key: (req) => sha256(String(req.params.token ?? '')),
    refused: (_req, res) => send(res, 429, renderPrecheckGone('bad_input')),
  });

  async function load(req: Request, res: Response) {
    const token = String(req.params.token ?? '');
    if (!TOKEN_RE.test(token)) {
      send(res, 404, renderPrecheckGone('unknown'));
      return undefined;
    }
    const state = await service.openLink(ctx.db, token);
    if ('gone' in state) {
      send(res, state.gone === 'expired' ? 410 : 404, renderPrecheckGone(state.gone, state.lang));
      return undefined;
    }
    return { token, ...state };
  }

  r.get('/precheck/:token', failures, perLink, async (req, res) => {
    const l = await load(req, res);
    if (!l) return;
    send(res, 200, renderPrecheck(await ctx.tx((tx) => service.pageView(tx.trx, ctx.secret, l.link, l.token, l.lang))));
  });

  r.post('/precheck/:token', failures, perLink, async (req, res) => {
    const l = await load(req, res);
    if (!l) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const childIds = many(body.child);
    const serviceIds = many(body.service);
    if ([...childIds, ...serviceIds].some((id) => !UuidSchema.safeParse(id).success)) return send(res, 400, renderPrecheckGone('bad_input', l.lang));
    const w = PRECHECK_WORDS[l.lang];
    const again = async (error: string) =>
      send(res, 400, renderPrecheck(await ctx.tx((tx) => service.pageView(tx.trx, ctx.secret, l.link, l.token, l.lang, error))));
    if (!childIds.length) return again(w.chooseChild);
    if (!serviceIds.length) return again(w.chooseService);
    try {
      await ctx.tx((tx) => service.submit(tx, l.link, childIds, serviceIds));
    } catch (e) {
      if (e instanceof AppError && e.status === 404) return send(res, 404, renderPrecheckGone('not_found', l.lang));
      throw e;
    }
    // after a POST, a GET: a reload does not post again
    res.redirect(303, `${PRECHECK_PATH}${l.token}`);
  });

  // from the pickup pass page: "pre-check in for next time" opens a fresh link for that family
  // each press makes a link: a handful per pass and ten minutes
  const perPass = ctx.limits.requests('passPrecheck', {
    key: (req) => sha256(String(req.params.token ?? '')),
    refused: (_req, res) => send(res, 429, renderPrecheckGone('bad_input')),
  });
  r.post('/pass/:token/precheck', failures, perPass, async (req, res) => {
    // the same rule as the pass page: a used or expired pass opens nothing (no names, no express code)
    const open = await openPass(ctx.db, String(req.params.token ?? ''), 'precheck');
    if (!open.ok) return send(res, open.why === 'unknown' ? 404 : 410, renderPrecheckGone(open.why === 'unknown' ? 'unknown' : 'expired'));
    const fam = open.pass;
    const link = await ctx.tx((tx) =>
      service.linkForFamily(tx, ctx.secret, { organizationId: fam.organization_id, siteId: fam.site_id, householdId: fam.household_id }),
    );
    res.redirect(303, `${PRECHECK_PATH}${link}`);
  });

  const textLimit = ctx.limits.requests('precheckText', {
    key: (req) => String(req.params.id ?? ''),
    refused: () => {
      throw tooMany('A link was texted to this family a moment ago');
    },
  });
  r.post('/api/households/:id/precheckin-link', guard(ctx.db, { role: 'staff' }), textLimit, async (req, res) => {
    const id = idParam(req);
    res
      .status(202)
      .json((await ctx.tx((tx) => service.sendToFamily(tx, actorOf(req), ctx.secret, id))) satisfies Reply<'POST /api/households/:id/precheckin-link'>);
  });
  return r;
}
