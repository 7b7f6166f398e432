import type { Reply } from '../../../contracts/endpoints';
import { Router, type Response } from 'express';
import {
  AccountPasswordSchema,
  BackgroundCheckSchema,
  PasswordChangeSchema,
  PeopleQuerySchema,
  PersonInviteSchema,
  PersonRoleSchema,
  PASSWORD_MIN,
} from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { tooMany } from '../errors';
import { byAddress } from '../limits/rate-limit';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './people.service';
import { renderLinkGone, renderPasswordSet, renderSetPassword } from './account.view';

const TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;
function send(res: Response, status: number, html: string) {
  res.status(status).set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow', 'Referrer-Policy': 'no-referrer' }).type('html').send(html);
}

/** People: invitations, roles, deactivation, reset links (admins); one's own password; the link pages. */
export function peopleRoutes(ctx: AppContext): Router {
  const r = Router();
  const admin = guard(ctx.db, { role: 'admin' });
  const links = ctx.limits.requests('accountLinks', {
    key: byAddress,
    refused: () => {
      throw tooMany();
    },
  });

  r.get('/api/people', admin, async (req, res) => {
    const q = parse(PeopleQuerySchema, req.query, 'query');
    res.json({ people: await ctx.tx((tx) => service.list(tx, actorOf(req), q.siteId, q.expiring)) } satisfies Reply<'GET /api/people'>);
  });
  r.post('/api/people', admin, async (req, res) => {
    const input = parse(PersonInviteSchema, req.body);
    res.status(201).json((await ctx.tx((tx) => service.invite(tx, actorOf(req), input, ctx.baseUrl(req)))) satisfies Reply<'POST /api/people'>);
  });
  r.put('/api/people/:id/role', admin, async (req, res) => {
    const id = idParam(req);
    const input = parse(PersonRoleSchema, req.body);
    res.json({ person: await ctx.tx((tx) => service.setRole(tx, actorOf(req), id, input)) } satisfies Reply<'PUT /api/people/:id/role'>);
  });
  r.put('/api/people/:id/background-check', admin, async (req, res) => {
    const id = idParam(req);
    const input = parse(BackgroundCheckSchema, req.body);
    res.json({ person: await ctx.tx((tx) => service.setBackgroundCheck(tx, actorOf(req), id, input)) } satisfies Reply<'PUT /api/people/:id/background-check'>);
  });
  r.post('/api/people/:id/deactivate', admin, async (req, res) => {
    const id = idParam(req);
    res.json({ person: await ctx.tx((tx) => service.deactivate(tx, actorOf(req), id)) } satisfies Reply<'POST /api/people/:id/deactivate'>);
  });
  r.post('/api/people/:id/reactivate', admin, async (req, res) => {
    const id = idParam(req);
    res.json({ person: await ctx.tx((tx) => service.reactivate(tx, actorOf(req), id)) } satisfies Reply<'POST /api/people/:id/reactivate'>);
  });
  r.post('/api/people/:id/reset-link', admin, async (req, res) => {
    const id = idParam(req);
    res.status(201).json((await ctx.tx((tx) => service.resetLink(tx, actorOf(req), id, ctx.baseUrl(req)))) satisfies Reply<'POST /api/people/:id/reset-link'>);
  });
  r.put('/api/auth/me/password', guard(ctx.db, { role: 'volunteer' }), links, async (req, res) => {
    const input = parse(PasswordChangeSchema, req.body);
    await ctx.tx((tx) => service.changeOwnPassword(tx, actorOf(req), input.currentPassword, input.newPassword));
    res.status(204).end();
  });

  // the link itself: JSON for clients, a small form page for the browser
  r.post('/api/account/password', links, async (req, res) => {
    const input = parse(AccountPasswordSchema, req.body);
    const done = await ctx.tx((tx) => service.setPasswordWithLink(tx, input.token, input.password));
    res.json({ email: done.email } satisfies Reply<'POST /api/account/password'>);
  });
  r.get('/account/:token', links, async (req, res) => {
    const token = String(req.params.token ?? '');
    const info = TOKEN_RE.test(token) ? await ctx.tx((tx) => service.linkInfo(tx, token)) : undefined;
    if (!info) return send(res, 410, renderLinkGone());
    send(res, 200, renderSetPassword({ token, email: info.email, name: info.name, kind: info.kind }));
  });
  r.post('/account/:token', links, async (req, res) => {
    const token = String(req.params.token ?? '');
    const info = TOKEN_RE.test(token) ? await ctx.tx((tx) => service.linkInfo(tx, token)) : undefined;
    if (!info) return send(res, 410, renderLinkGone());
    const body = (req.body ?? {}) as { password?: unknown; confirm?: unknown };
    const password = typeof body.password === 'string' ? body.password : '';
    const again = (error: string) => send(res, 400, renderSetPassword({ token, email: info.email, name: info.name, kind: info.kind, error }));
    if (password.length < PASSWORD_MIN || password.length > 200) return again(`The password needs at least ${PASSWORD_MIN} characters.`);
    if (password !== body.confirm) return again('The two passwords differ.');
    try {
      const done = await ctx.tx((tx) => service.setPasswordWithLink(tx, token, password));
      send(res, 200, renderPasswordSet(done.email));
    } catch (e) {
      if ((e as { code?: string }).code === 'link_invalid') return send(res, 410, renderLinkGone());
      throw e;
    }
  });
  return r;
}
