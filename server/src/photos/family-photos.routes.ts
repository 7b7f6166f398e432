/**
 * The family's own photos (DESIGN §16), from its pickup pass (`/pass/:token`) or its pre-check-in
 * link (`/precheck/:token`): PUT a photo of one of its children or guardians, with the consenting
 * guardian named. The token is the proof: only a live pass (pass-life.ts) or an unexpired link
 * opens anything, and only for that family. Processing, consent and storage are the photos
 * service's (putFamilyPhoto), the same path as every other upload.
 */
import { Router, type Request } from 'express';
import type { Reply } from '../../../contracts/endpoints';
import { FamilyPhotoKindSchema, FamilyPhotoQuerySchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { AppError, notFound, tooMany } from '../errors';
import { sha256 } from '../auth/crypto';
import { byAddress } from '../limits/rate-limit';
import { openPass } from '../pass/pass-life';
import { openLink } from '../precheckin/precheckin.service';
import { photoUpload, rawPhoto } from './photos.routes';
import { FAMILY_PHOTO_SCRIPT, FAMILY_PHOTO_SCRIPT_PATH } from './family-photos.view';
import * as service from './photos.service';

const TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;
const gone = (what: string) => new AppError(410, 'gone', `${what} no longer works`);

export function familyPhotoRoutes(ctx: AppContext): Router {
  const r = Router();
  // a dead or unknown token counts against the address, with the pages' own limits (a scanner gets nowhere)
  const failures = (name: 'passFailures' | 'precheckFailures') =>
    ctx.limits.failures(name, {
      key: byAddress,
      failed: (res) => res.statusCode === 404 || res.statusCode === 410,
      refused: () => {
        throw tooMany();
      },
    });
  // uploads per pass or link: a family's faces and a few retakes
  const perToken = (via: 'pass' | 'precheck') =>
    ctx.limits.requests('familyPhoto', {
      key: (req) => `${via}:${sha256(String(req.params.token ?? ''))}`,
      refused: () => {
        throw tooMany('Too many photos from this page; wait a few minutes');
      },
    });
  const target = (req: Request) => ({
    kind: parse(FamilyPhotoKindSchema, req.params.kind, 'kind'),
    id: idParam(req),
    q: parse(FamilyPhotoQuerySchema, req.query, 'query'),
  });

  r.put('/pass/:token/photos/:kind/:id', failures('passFailures'), perToken('pass'), rawPhoto(), async (req, res) => {
    const open = await openPass(ctx.db, String(req.params.token ?? ''), 'photo');
    if (!open.ok) throw open.why === 'unknown' ? notFound('Pass') : gone('This pass');
    const { kind, id, q } = target(req);
    const upload = photoUpload(req);
    const p = open.pass;
    const photo = await ctx.tx((tx) =>
      service.putFamilyPhoto(tx, { via: 'pass', organizationId: p.organization_id, siteId: p.site_id, householdId: p.household_id }, kind, id, q, upload),
    );
    res.set('Cache-Control', 'no-store').json({ photo } satisfies Reply<'PUT /pass/:token/photos/:kind/:id'>);
  });

  r.put('/precheck/:token/photos/:kind/:id', failures('precheckFailures'), perToken('precheck'), rawPhoto(), async (req, res) => {
    const token = String(req.params.token ?? '');
    if (!TOKEN_RE.test(token)) throw notFound('Link');
    const state = await openLink(ctx.db, token);
    if ('gone' in state) throw state.gone === 'expired' ? gone('This link') : notFound('Link');
    const { kind, id, q } = target(req);
    const upload = photoUpload(req);
    const l = state.link;
    const photo = await ctx.tx((tx) =>
      service.putFamilyPhoto(tx, { via: 'precheck', organizationId: l.organization_id, siteId: l.site_id, householdId: l.household_id }, kind, id, q, upload),
    );
    res.set('Cache-Control', 'no-store').json({ photo } satisfies Reply<'PUT /precheck/:token/photos/:kind/:id'>);
  });

  // the pages' one script (same origin: the CSP's script-src 'self'); no names, no tokens in it
  r.get(FAMILY_PHOTO_SCRIPT_PATH, (_req, res) => {
    res
      .set('Cache-Control', 'public, max-age=300')
      .type('text/javascript')
      .send(FAMILY_PHOTO_SCRIPT satisfies Reply<'GET /family-photo.js'>);
  });
  return r;
}
