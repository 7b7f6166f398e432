import type { Knex } from 'knex';
import type { DomainEvent } from '../realtime/events';
import type { Actor } from '../auth/actor';
import { insertAudit, type AuditEntry } from '../audit/audit.repo';
import { enqueueWebhooks, notifyWebhookOutbox, type OutboundEvent } from '../webhooks/webhook-outbox';

/**
 * What a service gets: the open transaction, the events to publish after commit, and two hooks:
 * - `afterCommit(fn)` runs fn once the transaction has committed (never after a rollback);
 * - `auditRefusal(actor, entry)` records an audit row that must survive whatever happens next:
 *   a refused request (custody stop, wrong code, locked sign-in …) usually throws and so rolls
 *   the transaction back, and an audit row written inside it would vanish with it. The row is
 *   written inside the transaction when it commits, and on its own connection after a rollback.
 *   This is the one mechanism for "on record even though it failed" (CONVENTIONS habit 12).
 * - `webhook(event, { evenIfRolledBack })` records a webhook event no socket event stands for
 *   (DESIGN §20): written to the outbox with the transaction; with `evenIfRolledBack` (a refused
 *   checkout the security desk must hear of) also on its own after a rollback, like auditRefusal.
 */
export interface Tx {
  trx: Knex.Transaction;
  events: DomainEvent[];
  afterCommit(fn: () => void): void;
  auditRefusal(actor: Actor | null, entry: AuditEntry): void;
  webhook(event: OutboundEvent, opts?: { evenIfRolledBack?: boolean }): void;
}
export type Publish = (events: DomainEvent[]) => void;

/**
 * Runs fn in one transaction; the events it records are published only once the transaction has
 * committed, never for a rolled-back change (CONVENTIONS habit 3).
 */
export async function withTransaction<T>(db: Knex, publish: Publish, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const events: DomainEvent[] = [];
  const committed: (() => void)[] = [];
  const kept: { actor: Actor | null; entry: AuditEntry }[] = [];
  const outbound: OutboundEvent[] = [];
  const keptOutbound: OutboundEvent[] = [];
  let result: T;
  try {
    result = await db.transaction(async (trx) => {
      const r = await fn({
        trx,
        events,
        afterCommit: (f) => committed.push(f),
        auditRefusal: (actor, entry) => kept.push({ actor, entry }),
        webhook: (e, o) => (o?.evenIfRolledBack ? keptOutbound : outbound).push(e),
      });
      // the webhook outbox: deliveries for the events recorded, in this transaction (DESIGN §20)
      if (await enqueueWebhooks(trx, events, [...outbound, ...keptOutbound])) committed.push(notifyWebhookOutbox);
      // committing: the kept rows go in with everything else. They stay in `kept`: if this insert
      // or the COMMIT itself fails, the transaction is rolled back and the rows must still be written
      for (const k of kept) await insertAudit(trx, k.actor, k.entry);
      return r;
    });
  } catch (e) {
    // rolled back: the kept rows are written on their own, then the error goes on
    for (const k of kept) {
      try {
        await insertAudit(db, k.actor, k.entry);
      } catch {
        /* the original error matters more */
      }
    }
    if (keptOutbound.length) {
      try {
        if (await db.transaction((trx) => enqueueWebhooks(trx, [], keptOutbound))) notifyWebhookOutbox();
      } catch {
        /* the original error matters more */
      }
    }
    throw e;
  }
  if (events.length) publish(events);
  for (const f of committed) {
    try {
      f();
    } catch {
      /* an after-commit hook never fails the committed request */
    }
  }
  return result;
}

/**
 * Runs queries one after another. Inside a transaction they share one connection, and pg does
 * not allow a query to start before the previous one finished (Promise.all would queue them on
 * the connection, which pg 8 warns about and pg 9 refuses).
 */
export async function inSequence<T extends unknown[]>(...thunks: { [K in keyof T]: () => PromiseLike<T[K]> }): Promise<T> {
  const out: unknown[] = [];
  for (const thunk of thunks as (() => PromiseLike<unknown>)[]) out.push(await thunk());
  return out as T;
}
