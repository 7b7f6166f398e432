/**
 * API keys for integrations (DESIGN §20): an organisation admin creates one (scoped, limited to a
 * campus when given), sees its secret once, and revokes it. The secret is 256 random bits, so its
 * sha-256 is all that is kept (a slow hash adds nothing at that entropy); the check compares the
 * hashes in constant time.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { API_KEY_SECRET_PREFIX, type ApiKey, type ApiKeyCreate, type ApiKeyCreated } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { sha256 } from '../auth/crypto';
import { forbidden, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import * as repo from './api-keys.repo';
import { presentApiKey } from './api-keys.presenter';

/** `kc_live_` and 43 base64url characters; the first 12 characters are shown as the key's prefix. */
const SECRET_RE = new RegExp(`^${API_KEY_SECRET_PREFIX}[A-Za-z0-9_-]{43}$`);
const PREFIX_LENGTH = API_KEY_SECRET_PREFIX.length + 4;
export const looksLikeApiKey = (token: string | undefined): token is string => !!token?.startsWith(API_KEY_SECRET_PREFIX);

function orgAdminOf(actor: Actor) {
  if (actor.kind !== 'user' || !actor.orgAdmin) throw forbidden('Needs an organisation admin');
  return actor;
}

export async function createApiKey(tx: Tx, actor: Actor, input: ApiKeyCreate): Promise<ApiKeyCreated> {
  const admin = orgAdminOf(actor);
  const siteId = input.siteId ?? null;
  if (siteId && !(await repo.siteOfOrganization(tx.trx, admin.organizationId, siteId))) throw notFound('Campus');
  const secret = `${API_KEY_SECRET_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
  const prefix = secret.slice(0, PREFIX_LENGTH);
  const id = await repo.insertApiKey(tx.trx, {
    organizationId: admin.organizationId,
    siteId,
    name: input.name,
    scopes: input.scopes,
    prefix,
    secretHash: sha256(secret),
    createdBy: admin.id,
  });
  await insertAudit(tx.trx, admin, {
    action: 'apikey.created',
    entity: 'api_key',
    entityId: id,
    siteId,
    details: { name: input.name, scopes: input.scopes, prefix },
  });
  const row = await repo.findApiKey(tx.trx, admin.organizationId, id);
  return { apiKey: presentApiKey(row!), secret };
}

export async function listApiKeys(tx: Tx, actor: Actor): Promise<ApiKey[]> {
  const admin = orgAdminOf(actor);
  return (await repo.listApiKeys(tx.trx, admin.organizationId)).map(presentApiKey);
}

/** Revokes a key: the next request with it is refused, on every instance (nothing caches a key). Again: the same answer. */
export async function revokeApiKey(tx: Tx, actor: Actor, id: string): Promise<ApiKey> {
  const admin = orgAdminOf(actor);
  const before = await repo.findApiKey(tx.trx, admin.organizationId, id);
  if (!before) throw notFound('API key');
  if (await repo.revokeApiKey(tx.trx, admin.organizationId, id)) {
    await insertAudit(tx.trx, admin, { action: 'apikey.revoked', entity: 'api_key', entityId: id, siteId: before.site_id, details: { prefix: before.prefix } });
  }
  return presentApiKey((await repo.findApiKey(tx.trx, admin.organizationId, id))!);
}

export type KeyResolution =
  | { ok: true; actor: Extract<Actor, { kind: 'integration' }> }
  /** unknown, malformed or revoked */
  | { ok: false; reason: 'unknown' }
  /** the campus asked for is not the key's (or not the organisation's) */
  | { ok: false; reason: 'campus' };

/**
 * The integration a secret stands for, acting at the key's campus, or, for an organisation-wide
 * key, at the campus asked for (`X-Site-Id`) or else the organisation's first. Counts the use.
 */
export async function resolveApiKey(db: Knex, secret: string, askedSiteId: string | null): Promise<KeyResolution> {
  if (!SECRET_RE.test(secret)) return { ok: false, reason: 'unknown' };
  const hash = sha256(secret);
  const row = await repo.useKey(db, hash, askedSiteId);
  if (!row || !crypto.timingSafeEqual(Buffer.from(row.secret_hash, 'hex'), Buffer.from(hash, 'hex'))) return { ok: false, reason: 'unknown' };
  if (askedSiteId && (!row.asked_site_id || (row.site_id && row.site_id !== askedSiteId))) return { ok: false, reason: 'campus' };
  const siteId = row.site_id ?? row.asked_site_id ?? row.first_site_id;
  if (!siteId) return { ok: false, reason: 'campus' };
  return {
    ok: true,
    actor: { kind: 'integration', id: row.id, siteId, organizationId: row.organization_id, name: row.name, scopes: row.scopes, keySiteId: row.site_id },
  };
}
