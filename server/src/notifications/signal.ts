/**
 * Wakes the dispatchers of this process right after a transaction that enqueued SMS commits
 * (the outbox passes notifyOutbox to `tx.afterCommit`),
 * so a receipt leaves within milliseconds instead of waiting for the next poll. Other server
 * instances find the rows on their own short poll.
 */

type Listener = () => void;
const listeners = new Set<Listener>();

export function onOutboxCommit(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function notifyOutbox(): void {
  for (const fn of listeners) {
    try {
      fn();
    } catch {
      /* a listener's failure never reaches the enqueuing request */
    }
  }
}
