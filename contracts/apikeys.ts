/** API keys for integrations (DESIGN §20): scoped, campus-limited when given, the secret shown once. */
import { z } from 'zod';
import { API_SCOPES, type ApiScope } from './rules/api-keys';

export const ApiKeyCreateSchema = z
  .object({
    name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'is at most 100 characters'),
    scopes: z
      .array(z.enum(API_SCOPES, { error: `must be one of ${API_SCOPES.join(', ')}` }), { error: 'is required: a list of scopes' })
      .min(1, 'needs at least one scope')
      .max(API_SCOPES.length)
      .refine((s) => new Set(s).size === s.length, 'lists a scope twice'),
    siteId: z.uuid({ error: 'must be a campus id (UUID)' }).nullish(),
  })
  .strict();
export type ApiKeyCreate = z.infer<typeof ApiKeyCreateSchema>;

export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiScope[];
  /** the visible start of the secret (`kc_live_AbCd`), to tell keys apart */
  prefix: string;
  /** the campus the key is limited to; null: every campus of the organisation */
  siteId: string | null;
  createdAt: string;
  /** who created it (a person's name) */
  createdBy: string | null;
  lastUsedAt: string | null;
  /** requests authenticated with the key */
  useCount: number;
  revokedAt: string | null;
}

/** `POST /api/org/api-keys` → 201: the secret, shown this once (only its sha-256 is kept). */
export interface ApiKeyCreated {
  apiKey: ApiKey;
  secret: string;
}
/** `GET /api/org/api-keys`: every key of the organisation, revoked ones last; never a secret. */
export interface ApiKeyList {
  apiKeys: ApiKey[];
}
