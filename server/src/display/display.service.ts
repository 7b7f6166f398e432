/**
 * Wall displays (DESIGN §14): created by an admin like a kiosk, paired once with a code, then a
 * read-only screen of the site's rooms and alerts. Its token is a `display` actor, which the
 * guard admits only on the routes marked `display` (today's services, rooms, alerts) and the
 * socket puts only in the site's display room (room and alert events, no names).
 */
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newToken, randomFromAlphabet, sha256 } from '../auth/crypto';
import { insertAudit } from '../audit/audit.repo';
import { findSite } from '../sites/sites.repo';
import * as repo from './display.repo';
import { assertSameSite } from '../policies/ownership';

const PAIRING_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ23456789';
const PAIRING_MINUTES = 15;

export const presentDisplay = (d: repo.DisplayRow) => ({
  id: d.id,
  siteId: d.site_id,
  name: d.name,
  paired: !!d.token_hash && !d.revoked_at,
  lastSeenAt: d.last_seen_at ? new Date(d.last_seen_at).toISOString() : null,
});

export async function createDisplay(tx: Tx, actor: Actor, name: string) {
  const code = randomFromAlphabet(PAIRING_ALPHABET, 8);
  const expiresAt = new Date(Date.now() + PAIRING_MINUTES * 60_000);
  const d = await repo.insertDisplay(tx.trx, {
    organization_id: actor.organizationId,
    site_id: actor.siteId,
    name,
    pairing_code_hash: sha256(code),
    pairing_expires_at: expiresAt,
  });
  await insertAudit(tx.trx, actor, { action: 'display.create', entity: 'display', entityId: d.id, details: { name } });
  return { display: presentDisplay(d), pairingCode: code, pairingExpiresAt: expiresAt.toISOString() };
}

export async function pair(tx: Tx, pairingCode: string) {
  const token = newToken('d');
  const d = await repo.consumePairingCode(tx.trx, sha256(pairingCode), sha256(token));
  if (!d) throw new AppError(400, 'invalid_pairing_code', 'pairingCode: is wrong, used or expired', 'pairingCode');
  const site = await findSite(tx.trx, d.site_id);
  await insertAudit(tx.trx, null, { action: 'display.pair', entity: 'display', entityId: d.id, siteId: d.site_id });
  return { token, display: presentDisplay(d), site: site ? { id: site.id, name: site.name, timezone: site.timezone } : null };
}

export async function listForSite(tx: Tx, actor: Actor) {
  return (await repo.listDisplays(tx.trx, actor.siteId)).map(presentDisplay);
}

export async function revoke(tx: Tx, actor: Actor, id: string) {
  const d = await repo.findDisplay(tx.trx, id);
  assertSameSite(actor, d, 'Display');
  await repo.revokeDisplay(tx.trx, id);
  await insertAudit(tx.trx, actor, { action: 'display.revoke', entity: 'display', entityId: id });
  tx.events.push({ name: 'session.ended', siteId: actor.siteId, audience: { displayId: id }, payload: { reason: 'revoked' } });
}

export async function me(tx: Tx, actor: Actor) {
  const site = await findSite(tx.trx, actor.siteId);
  return { display: { id: actor.id, name: actor.name, siteId: actor.siteId }, site: site ? { id: site.id, name: site.name, timezone: site.timezone } : null };
}
