/**
 * Broadcast (DESIGN §15): staff text the guardians of every child present in a room, a service or
 * the whole campus, through the SMS outbox — each family in its language (the frame around the
 * staff's words comes from the family-language catalogue), never to a number that replied STOP,
 * audited. The route limits how many a campus sends an hour.
 */
import type { Broadcast, BroadcastCreate } from '../../../contracts';
import { familyLang, iso } from '../../../contracts/rules';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { notFound, unauthorized } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findSite } from '../sites/sites.repo';
import { insertNotifications } from '../notifications/outbox.repo';
import { notifyOutbox } from '../notifications/signal';
import { SMS_WORDS } from '../notifications/catalogue';
import * as repo from './broadcasts.repo';

export async function send(tx: Tx, actor: Actor, input: BroadcastCreate): Promise<{ id: string; recipients: number }> {
  if (actor.kind !== 'user') throw unauthorized();
  // ids of another campus or organisation are simply not found
  const room = input.roomId ? await repo.roomOfSite(tx.trx, input.roomId, actor.siteId) : undefined;
  if (input.roomId && !room) throw notFound('Room');
  const service = input.serviceId ? await repo.serviceOfSite(tx.trx, input.serviceId, actor.siteId) : undefined;
  if (input.serviceId && !service) throw notFound('Service');
  const site = await findSite(tx.trx, actor.siteId);
  const siteName = site?.name ?? '';
  const to = await repo.recipients(tx.trx, { siteId: actor.siteId, serviceId: service?.id ?? null, roomId: room?.id ?? null });
  const id = await repo.insertBroadcast(tx.trx, {
    organization_id: actor.organizationId,
    site_id: actor.siteId,
    service_id: service?.id ?? null,
    room_id: room?.id ?? null,
    message: input.message,
    recipients: to.length,
    created_by: actor.id,
  });
  await insertNotifications(
    tx.trx,
    to.map((g) => ({
      site_id: actor.siteId,
      guardian_id: g.guardian_id,
      to: g.phone,
      kind: 'broadcast' as const,
      body: SMS_WORDS[familyLang(g.language)].broadcast(siteName, input.message),
      broadcast_id: id,
    })),
  );
  if (to.length) tx.afterCommit(notifyOutbox);
  await insertAudit(tx.trx, actor, {
    action: 'broadcast.send',
    entity: 'broadcast',
    entityId: id,
    details: { serviceId: service?.id ?? null, roomId: room?.id ?? null, recipients: to.length, message: input.message },
  });
  return { id, recipients: to.length };
}

export async function list(tx: Tx, actor: Actor): Promise<Broadcast[]> {
  return (await repo.listBroadcasts(tx.trx, actor.siteId)).map((b) => ({
    id: b.id,
    serviceId: b.service_id,
    roomId: b.room_id,
    scope: b.room_name ? `${b.room_name}${b.service_name ? ` · ${b.service_name}` : ''}` : (b.service_name ?? 'Whole campus'),
    message: b.message,
    createdAt: iso(b.created_at),
    createdBy: b.created_by,
    recipients: b.recipients,
    waiting: b.waiting,
    sent: b.sent,
    delivered: b.delivered,
    failed: b.failed,
  }));
}
