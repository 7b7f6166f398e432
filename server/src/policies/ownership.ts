/**
 * The one site- and organisation-ownership guard (CONVENTIONS 18): a record another campus (or
 * organisation) owns is answered exactly as one that does not exist — 404 naming what was asked
 * for — so ids cannot be probed across tenants. Services call these after loading a record;
 * they are assertion functions, so the record is known to exist afterwards (no `!`).
 */
import type { Actor } from '../auth/actor';
import { forbidden, notFound } from '../errors';

type Tenant = Pick<Actor, 'siteId' | 'organizationId'>;
type SiteOwned = { site_id: string } | { siteId: string };

const siteOf = (row: SiteOwned) => ('site_id' in row ? row.site_id : row.siteId);

/** `row` exists and belongs to the actor's campus; otherwise 404 `${what} not found`. */
export function assertSameSite<T extends SiteOwned>(actor: Tenant, row: T | null | undefined, what: string): asserts row is T {
  if (!row || siteOf(row) !== actor.siteId) throw notFound(what);
}

/** `row` exists and belongs to the actor's organisation (any campus of it); otherwise 404. */
export function assertSameOrganization<T extends { organization_id: string }>(actor: Tenant, row: T | null | undefined, what: string): asserts row is T {
  if (!row || row.organization_id !== actor.organizationId) throw notFound(what);
}

/** A campus named in a request body must be the actor's own (403: the caller named it, it is not a probe). */
export function assertOwnSite(actor: Tenant, siteId: string): void {
  if (actor.siteId !== siteId) throw forbidden('That belongs to another site');
}
