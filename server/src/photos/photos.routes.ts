import type { Reply } from '../../../contracts/endpoints';
import express, { Router, type Request } from 'express';
import { PhotoKindSchema, PhotoPutQuerySchema } from '../../../contracts';
import { MAX_PHOTO_UPLOAD_BYTES, PHOTO_UPLOAD_TYPES } from '../../../contracts/rules';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { AppError } from '../errors';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './photos.service';

/** The image as the raw body (JPEG, PNG or WebP, ≤ 10 MB): the parser, then the body or a 415 naming Content-Type. */
export const rawPhoto = () => express.raw({ type: [...PHOTO_UPLOAD_TYPES], limit: MAX_PHOTO_UPLOAD_BYTES });
export function photoUpload(req: Request): Buffer {
  if (!Buffer.isBuffer(req.body))
    throw new AppError(415, 'unsupported_media_type', `Content-Type: must be one of ${PHOTO_UPLOAD_TYPES.join(', ')}`, 'Content-Type');
  return req.body;
}

/**
 * Photos (DESIGN §16): PUT the image as the raw body, DELETE it, GET it. Who may do which is the
 * policy's (server/src/policies); the guards only keep out who can never (a display, anonymous).
 */
export function photoRoutes(ctx: AppContext): Router {
  const r = Router();
  // staff at the desk, and a check-in kiosk at registration (the policy narrows it to the family it registered)
  const takers = guard(ctx.db, { role: 'staff', kiosk: 'checkin' });
  const raw = rawPhoto();
  const target = (req: Request) => ({ kind: parse(PhotoKindSchema, req.params.kind, 'kind'), id: idParam(req) });

  r.put('/api/photos/:kind/:id', takers, raw, async (req, res) => {
    const { kind, id } = target(req);
    const q = parse(PhotoPutQuerySchema, req.query, 'query');
    const upload = photoUpload(req);
    const photo = await ctx.tx((tx) => service.putPhoto(tx, actorOf(req), kind, id, q, upload));
    res.json({ photo } satisfies Reply<'PUT /api/photos/:kind/:id'>);
  });
  r.delete('/api/photos/:kind/:id', takers, async (req, res) => {
    const { kind, id } = target(req);
    await ctx.tx((tx) => service.deletePhoto(tx, actorOf(req), kind, id));
    res.status(204).end();
  });
  // any signed-in user or kiosk may ask; the policy answers (a read: the auth cache stays)
  r.get('/api/photos/:photoId', guard(ctx.db, { role: 'volunteer', kiosk: true }), async (req, res) => {
    const id = idParam(req, 'photoId');
    const bytes = await ctx.tx((tx) => service.readPhoto(tx, actorOf(req), id));
    res.setHeader('Cache-Control', 'private, no-store');
    res.type('image/jpeg').send(bytes);
  });
  return r;
}
