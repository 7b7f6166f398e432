/**
 * Ids written into SQL text. The room lock and the check-in's context travel as one simple-protocol
 * message (one round trip while the lock is held), and the simple protocol carries no parameters, so
 * those statements inline their ids: this is the one check that they are UUIDs before they are quoted.
 */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `'id1', 'id2'` for an `IN (…)` list; throws (naming `what`) unless every id is a UUID. */
export function inlineUuids(ids: readonly string[], what: string): string {
  if (!ids.every((id) => UUID_RE.test(id))) throw new Error(`${what}: ids must be UUIDs`);
  return ids.map((id) => `'${id}'`).join(', ');
}
