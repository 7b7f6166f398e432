import type { ApiKey } from '../../../contracts';
import type { ApiKeyRow } from './api-keys.repo';

/** A key as the staff UI sees it: never its secret nor the secret's hash. */
export const presentApiKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes,
  prefix: r.prefix,
  siteId: r.site_id,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by_name,
  lastUsedAt: r.last_used_at ? r.last_used_at.toISOString() : null,
  useCount: Number(r.use_count),
  revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
});
