/**
 * The webhook outbox (DESIGN §20): the events a transaction records become delivery rows in that
 * same transaction, just before it commits (db/transaction.ts calls `enqueueWebhooks`). So a
 * delivery exists exactly when its change does. Two sources, one mechanism (CONVENTIONS 12):
 *  - the domain events services already record for the sockets (`checkin.created`,
 *    `checkin.checkedOut`, `alert.raised`, `alert.cleared`, a started emergency) are translated
 *    here, without the services knowing about webhooks;
 *  - events no socket carries (`page.sent`, `volunteer.checkedIn`, `family.created`, a refused
 *    checkout's `checkin.flagged`) are recorded by their service with `tx.webhook(…)`. A refused
 *    checkout rolls its transaction back, so it is recorded `{ evenIfRolledBack: true }` and
 *    written on its own after the rollback, like the refusal's audit row.
 * `checkin.flagged` for a check-in is derived here from `checkin.created`: the children's custody
 * alerts are read in the same round trip as the payload's names, and only when an endpoint
 * subscribes to it, so the check-in path itself does not change.
 *
 * Cost on the hot path: a transaction without such events does nothing; one with them asks once
 * which endpoints subscribe, in the same round trip as the payloads' names (read only when some
 * endpoint subscribes); then one INSERT for every delivery row.
 *
 * Payloads carry ids, names, rooms and times — never security codes, medical notes, allergies,
 * phones, photos or a custody alert's note: they are built from what is named below, not from
 * database rows.
 */
import type { Knex } from 'knex';
import type { WebhookEvent } from '../../../contracts';
import type { DomainEvent } from '../realtime/events';
import * as repo from './webhooks.repo';

/**
 * One webhook event: its campus, and its payload built from the names the outbox reads (rooms,
 * services, checked-in children by check-in id) in one round trip for the whole transaction.
 */
export interface OutboundEvent {
  siteId: string;
  event: WebhookEvent;
  build: (names: repo.Names) => Record<string, unknown>;
  roomIds?: string[];
  serviceIds?: string[];
  checkinIds?: string[];
  /** check-ins whose custody alerts the payload names (`checkin.flagged`) */
  flaggedCheckinIds?: string[];
}
type Pending = Required<OutboundEvent>;
const complete = (e: OutboundEvent): Pending => ({ roomIds: [], serviceIds: [], checkinIds: [], flaggedCheckinIds: [], ...e });

/** A checked-in child as payloads name them (from `Names.checkins`). */
export function childOf(n: repo.Names, checkinId: string) {
  const c = n.checkins.get(checkinId);
  return {
    checkinId,
    childId: c?.child_id ?? null,
    firstName: c?.first_name ?? null,
    lastName: c?.last_name ?? null,
    roomId: c?.room_id ?? null,
    roomName: c ? (n.rooms.get(c.room_id) ?? null) : null,
  };
}

/**
 * `checkin.flagged` (the security desk, planningcenter/developers #1486): children checked in, or
 * a checkout refused, while the family has a custody alert naming someone who may not pick up.
 * The alert's names are given (whom to watch for), never its note.
 */
export function flaggedEvent(
  siteId: string,
  f: {
    reason: 'custody_alert_checkin' | 'checkout_refused';
    serviceId: string;
    batchId: string;
    checkinIds: string[];
    at: string;
    /** a refused checkout: who tried to pick up, and whether the alert's match was full or partial */
    attemptedBy?: string | null;
    match?: 'full' | 'partial' | null;
  },
): OutboundEvent {
  return {
    siteId,
    event: 'checkin.flagged',
    serviceIds: [f.serviceId],
    // the children's names and rooms come with their custody alerts (only flagged ones are read)
    flaggedCheckinIds: f.checkinIds,
    build: (n) => {
      const flagged = f.checkinIds.filter((id) => n.custody.has(id));
      return {
        siteId,
        reason: f.reason,
        serviceId: f.serviceId,
        serviceName: n.services.get(f.serviceId) ?? null,
        batchId: f.batchId,
        at: f.at,
        checkins: flagged.map((id) => ({ ...childOf(n, id), restrictedPersons: n.custody.get(id) ?? [] })),
        attemptedBy: f.attemptedBy ?? null,
        match: f.match ?? null,
      };
    },
  };
}

export interface CreatedFamily {
  householdId: string;
  name: string;
  children: { childId: string; firstName: string; lastName: string }[];
}
/**
 * `family.created`: the families one transaction registered — one at a kiosk or the desk, a whole
 * chunk of an import (up to 250), so an import makes one delivery per chunk and endpoint rather
 * than one per family. Names only: no phones, birthdates, care notes or photos.
 */
export function familyCreatedEvent(siteId: string, source: 'kiosk' | 'desk' | 'import', families: CreatedFamily[], at = new Date()): OutboundEvent {
  return { siteId, event: 'family.created', build: () => ({ siteId, source, createdAt: at.toISOString(), families }) };
}

/** The webhook events a transaction's domain events stand for (most domain events stand for none). */
export function webhookEventsOf(events: readonly DomainEvent[]): Pending[] {
  const out: Pending[] = [];
  const push = (e: OutboundEvent) => out.push(complete(e));
  for (const e of events) {
    switch (e.name) {
      case 'checkin.created': {
        const p = e.payload;
        const roomIds = [...new Set(p.checkins.map((c) => c.roomId))];
        push({
          siteId: e.siteId,
          event: 'checkin.created',
          roomIds,
          serviceIds: [p.serviceId],
          checkinIds: [],
          build: (n) => ({
            siteId: e.siteId,
            batchId: p.batchId,
            serviceId: p.serviceId,
            serviceName: n.services.get(p.serviceId) ?? null,
            checkedInAt: p.at,
            checkins: p.checkins.map((c) => ({
              checkinId: c.id,
              childId: c.childId,
              firstName: c.firstName,
              lastName: c.lastName,
              roomId: c.roomId,
              roomName: n.rooms.get(c.roomId) ?? null,
            })),
          }),
        });
        push(
          flaggedEvent(e.siteId, {
            reason: 'custody_alert_checkin',
            serviceId: p.serviceId,
            batchId: p.batchId,
            checkinIds: p.checkins.map((c) => c.id),
            at: p.at,
          }),
        );
        break;
      }
      case 'checkin.checkedOut': {
        const p = e.payload;
        push({
          siteId: e.siteId,
          event: 'checkin.checkedOut',
          roomIds: p.roomIds,
          serviceIds: [p.serviceId],
          checkinIds: p.checkinIds,
          build: (n) => ({
            siteId: e.siteId,
            serviceId: p.serviceId,
            serviceName: n.services.get(p.serviceId) ?? null,
            checkedOutAt: p.at,
            checkins: p.checkinIds.map((id) => ({ ...childOf(n, id), pickedUpBy: n.checkins.get(id)?.picked_up_by ?? null })),
          }),
        });
        break;
      }
      case 'alert.raised':
      case 'alert.cleared': {
        const p = e.payload;
        push({
          siteId: e.siteId,
          event: e.name,
          roomIds: p.roomIds,
          // a campus's alert (a printer down) has no service
          serviceIds: p.serviceId ? [p.serviceId] : [],
          checkinIds: [],
          build: (n) => ({
            siteId: e.siteId,
            alertId: p.id,
            serviceId: p.serviceId,
            serviceName: p.serviceId ? (n.services.get(p.serviceId) ?? null) : null,
            kind: p.kind,
            ageGroup: p.ageGroup,
            message: p.message,
            rooms: p.roomIds.map((id) => ({ id, name: n.rooms.get(id) ?? null })),
            raisedAt: p.raisedAt,
            clearedAt: p.clearedAt,
          }),
        });
        break;
      }
      case 'emergency.updated': {
        const p = e.payload;
        if (p.status !== 'started') break;
        push({
          siteId: e.siteId,
          event: 'emergency.started',
          roomIds: [],
          serviceIds: [],
          checkinIds: [],
          build: () => ({ siteId: e.siteId, emergencyId: p.id, childrenPresent: p.total, startedAt: p.at }),
        });
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/**
 * Events the dispatcher never holds back while it paces itself during a rush (the security desk,
 * a roll call): their commit claims them at once (webhook-dispatcher.ts).
 */
export const URGENT_WEBHOOK_EVENTS: readonly WebhookEvent[] = ['checkin.flagged', 'emergency.started'];
const urgent = new Set<string>(URGENT_WEBHOOK_EVENTS);

/** The Standard Webhooks body: `{type, timestamp, data}`. */
export const envelope = (type: string, data: Record<string, unknown>, at = new Date()) => ({ type, timestamp: at.toISOString(), data });

/**
 * Writes the deliveries for the transaction's events, in the transaction. Returns how many rows
 * were written (the caller wakes this process's dispatcher after COMMIT when there are some).
 */
export async function enqueueWebhooks(trx: Knex.Transaction, events: readonly DomainEvent[], outbound: readonly OutboundEvent[] = []): Promise<number> {
  const pending = [...webhookEventsOf(events), ...outbound.map(complete)];
  if (!pending.length) return 0;
  const uniq = (f: (p: Pending) => string[]) => [...new Set(pending.flatMap(f))];
  const { subs, names } = await repo.subscriptionsAndNames(
    trx,
    uniq((p) => [p.siteId]),
    uniq((p) => [p.event]),
    {
      roomIds: uniq((p) => p.roomIds),
      serviceIds: uniq((p) => p.serviceIds),
      checkinIds: uniq((p) => p.checkinIds),
      flaggedCheckinIds: uniq((p) => p.flaggedCheckinIds),
    },
  );
  if (!subs.length) return 0;
  const matches = (p: Pending, s: repo.Subscription) => s.for_site_id === p.siteId && s.events.includes(p.event);
  const wanted = pending.filter((p) => subs.some((s) => matches(p, s)));
  const rows: repo.DeliveryInsert[] = [];
  for (const p of wanted) {
    const data = p.build(names);
    // a check-in without a custody alert flags nothing
    if (p.event === 'checkin.flagged' && !(data.checkins as unknown[]).length) continue;
    const body = envelope(p.event, data);
    for (const s of subs) {
      if (!matches(p, s)) continue;
      rows.push({ endpoint_id: s.id, organization_id: s.organization_id, site_id: p.siteId, event: p.event, payload: body });
    }
  }
  await repo.insertDeliveries(trx, rows);
  // urgent rows wake the dispatchers for themselves once committed (the caller's wake-up is an
  // ordinary one, which a busy dispatcher may hold for its next round)
  if (rows.some((r) => urgent.has(r.event)))
    trx.executionPromise.then(
      () => notifyWebhookOutbox({ urgent: true }),
      () => {},
    );
  return rows.length;
}

// ---- wake-up: a commit that enqueued deliveries wakes this process's dispatchers at once ----

type Listener = (k: { urgent?: boolean }) => void;
const listeners = new Set<Listener>();
export function onWebhookOutboxCommit(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
/** After a commit that wrote deliveries; `urgent` when some are urgent events (claimed at once). */
export function notifyWebhookOutbox(k: { urgent?: boolean } = {}): void {
  for (const fn of listeners) {
    try {
      fn(k);
    } catch {
      /* a listener's failure never reaches the enqueuing request */
    }
  }
}
