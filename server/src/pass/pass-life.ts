import { sha256 } from '../auth/crypto';
import type { Knex } from 'knex';
import { findPass, type PassLife, type PassRow } from './pass.repo';

/**
 * What a pass may still do, by its life (DESIGN §4). Only a live pass opens the family's page,
 * its pre-check-in, the family's photos and a checkout; a used one still answers the door's verify (who picked up,
 * when) to a signed-in volunteer or door kiosk, never to whoever holds a photo of the tag.
 */
export type PassUse = 'page' | 'precheck' | 'photo' | 'checkout' | 'verify';
const ALLOWED: Record<PassUse, readonly PassLife[]> = {
  page: ['live'],
  precheck: ['live'],
  photo: ['live'],
  checkout: ['live'],
  verify: ['live', 'used'],
};

export const PASS_TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;

export type PassLookup = { ok: true; pass: PassRow } | { ok: false; pass?: PassRow; why: 'unknown' | Exclude<PassLife, 'live'> };

/** The one look-up of a pass token, for every route that takes one. */
export async function openPass(db: Knex | Knex.Transaction, token: string, use: PassUse): Promise<PassLookup> {
  if (!PASS_TOKEN_RE.test(token)) return { ok: false, why: 'unknown' };
  const pass = await findPass(db, sha256(token));
  if (!pass) return { ok: false, why: 'unknown' };
  return ALLOWED[use].includes(pass.life) ? { ok: true, pass } : { ok: false, pass, why: pass.life as Exclude<PassLife, 'live'> };
}
