/**
 * An organisation's webhook endpoints (DESIGN §20): created, changed, deleted and their secrets
 * rotated by organisation admins (audited); the secret answered once; a test ping; the delivery log.
 */
import type { Webhook, WebhookCreate, WebhookCreated, WebhookDelivery, WebhookUpdate } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { badRequest, forbidden, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import * as repo from './webhooks.repo';
import { presentDelivery, presentWebhook } from './webhooks.presenter';
import { envelope, notifyWebhookOutbox } from './webhook-outbox';
import { newWebhookSecret, ROTATION_OVERLAP_MS, sealSecret } from './webhook-secrets';
import { checkTarget, TargetRefused } from './webhook-target';

export interface WebhookDeps {
  /** the app secret the signing secrets are sealed with */
  secret: Buffer;
  allowPrivate: boolean;
}

function orgAdminOf(actor: Actor) {
  if (actor.kind !== 'user' || !actor.orgAdmin) throw forbidden('Needs an organisation admin');
  return actor;
}

async function allowedUrl(url: string, deps: WebhookDeps) {
  try {
    await checkTarget(url, deps.allowPrivate);
  } catch (e) {
    if (e instanceof TargetRefused) throw badRequest(`url: ${e.message}`, 'url');
    throw e;
  }
}

/** A URL as shown in the audit log: without its query (which may carry a receiver's token). */
const auditUrl = (url: string) => {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
};

async function endpointOf(tx: Tx, organizationId: string, id: string, lock = false) {
  const row = await repo.findEndpoint(tx.trx, organizationId, id, lock);
  if (!row) throw notFound('Webhook');
  return row;
}

export async function createWebhook(tx: Tx, actor: Actor, input: WebhookCreate, deps: WebhookDeps): Promise<WebhookCreated> {
  const admin = orgAdminOf(actor);
  const siteId = input.siteId ?? null;
  if (siteId && !(await repo.siteOfOrganization(tx.trx, admin.organizationId, siteId))) throw notFound('Campus');
  await allowedUrl(input.url, deps);
  const secret = newWebhookSecret();
  const id = await repo.insertEndpoint(tx.trx, {
    organizationId: admin.organizationId,
    siteId,
    url: input.url,
    events: input.events,
    secretEnc: sealSecret(deps.secret, secret),
    createdBy: admin.id,
  });
  await insertAudit(tx.trx, admin, {
    action: 'webhook.created',
    entity: 'webhook',
    entityId: id,
    siteId,
    details: { url: auditUrl(input.url), events: input.events },
  });
  return { webhook: presentWebhook((await repo.findEndpoint(tx.trx, admin.organizationId, id))!), secret };
}

export async function listWebhooks(tx: Tx, actor: Actor): Promise<Webhook[]> {
  const admin = orgAdminOf(actor);
  return (await repo.listEndpoints(tx.trx, admin.organizationId)).map(presentWebhook);
}

export async function updateWebhook(tx: Tx, actor: Actor, id: string, input: WebhookUpdate, deps: WebhookDeps): Promise<Webhook> {
  const admin = orgAdminOf(actor);
  await endpointOf(tx, admin.organizationId, id, true);
  if (input.siteId && !(await repo.siteOfOrganization(tx.trx, admin.organizationId, input.siteId))) throw notFound('Campus');
  if (input.url !== undefined) await allowedUrl(input.url, deps);
  await repo.updateEndpoint(tx.trx, id, { url: input.url, events: input.events, siteId: input.siteId, active: input.active });
  await insertAudit(tx.trx, admin, {
    action: 'webhook.updated',
    entity: 'webhook',
    entityId: id,
    details: { ...input, ...(input.url ? { url: auditUrl(input.url) } : {}) },
  });
  return presentWebhook((await repo.findEndpoint(tx.trx, admin.organizationId, id))!);
}

export async function deleteWebhook(tx: Tx, actor: Actor, id: string): Promise<void> {
  const admin = orgAdminOf(actor);
  const row = await endpointOf(tx, admin.organizationId, id, true);
  await repo.deleteEndpoint(tx.trx, admin.organizationId, id);
  await insertAudit(tx.trx, admin, { action: 'webhook.deleted', entity: 'webhook', entityId: id, siteId: row.site_id, details: { url: auditUrl(row.url) } });
}

/**
 * A new secret, answered once. The one it replaces keeps signing (a second signature in
 * webhook-signature, as Standard Webhooks allows) for ROTATION_OVERLAP_MS, so a receiver that
 * has not switched yet keeps accepting deliveries.
 */
export async function rotateSecret(tx: Tx, actor: Actor, id: string, deps: WebhookDeps): Promise<WebhookCreated> {
  const admin = orgAdminOf(actor);
  const row = await endpointOf(tx, admin.organizationId, id, true);
  const secret = newWebhookSecret();
  await repo.updateEndpoint(tx.trx, id, {
    secretEnc: sealSecret(deps.secret, secret),
    previousSecretEnc: row.secret_enc,
    previousExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS),
  });
  await insertAudit(tx.trx, admin, { action: 'webhook.secret_rotated', entity: 'webhook', entityId: id, siteId: row.site_id, details: {} });
  return { webhook: presentWebhook((await repo.findEndpoint(tx.trx, admin.organizationId, id))!), secret };
}

/** Queues a `webhook.test` delivery to this endpoint alone (whatever its events, even when paused). */
export async function testPing(tx: Tx, actor: Actor, id: string): Promise<WebhookDelivery> {
  const admin = orgAdminOf(actor);
  const row = await endpointOf(tx, admin.organizationId, id);
  const [deliveryId] = await repo.insertDeliveries(tx.trx, [
    {
      endpoint_id: id,
      organization_id: admin.organizationId,
      site_id: row.site_id,
      event: 'webhook.test',
      payload: envelope('webhook.test', { webhookId: id, organizationId: admin.organizationId, message: 'A test ping from Kids’ Club check-in' }),
    },
  ]);
  tx.afterCommit(notifyWebhookOutbox);
  const rows = await repo.listDeliveries(tx.trx, id, 100);
  return presentDelivery(rows.find((r) => r.id === deliveryId)!);
}

export async function listDeliveries(tx: Tx, actor: Actor, id: string): Promise<WebhookDelivery[]> {
  const admin = orgAdminOf(actor);
  await endpointOf(tx, admin.organizationId, id);
  return (await repo.listDeliveries(tx.trx, id)).map(presentDelivery);
}
