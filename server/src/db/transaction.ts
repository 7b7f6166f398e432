import type { Knex } from 'knex';
import type { DomainEvent } from '../realtime/events';

/** What a service gets: the open transaction, and a list of events to publish after commit. */
export interface Tx { trx: Knex.Transaction; events: DomainEvent[] }
export type Publish = (events: DomainEvent[]) => void;

/**
 * Runs fn in one transaction; the events it records are published only once the transaction has
 * committed, never for a rolled-back change (CONVENTIONS habit 3).
 */
export async function withTransaction<T>(db: Knex, publish: Publish, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const events: DomainEvent[] = [];
  const result = await db.transaction((trx) => fn({ trx, events }));
  if (events.length) publish(events);
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
