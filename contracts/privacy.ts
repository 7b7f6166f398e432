/** Privacy by design (DESIGN §19): a family's export and erasure, the organisation's retention settings. */
import { z } from 'zod';

/** `DELETE /api/households/:id`: why the family is erased (kept in the audit log without the family's names or numbers). */
export const HouseholdEraseSchema = z
  .object({
    reason: z.string({ error: 'is required' }).trim().min(3, 'is required: say why (e.g. "the family asked on 3 March")').max(500),
  })
  .strict();
export type HouseholdErase = z.infer<typeof HouseholdEraseSchema>;

/** `DELETE /api/households/:id` → 200. `alreadyErased`: a second call, which changed nothing. */
export interface FamilyErased {
  householdId: string;
  erasedAt: string;
  alreadyErased: boolean;
  pseudonym: string;
}

/**
 * `GET /api/households/:id/export`: everything held about the family, one key per table (rows as
 * stored, snake_case), plus the audit rows about it. Express codes, passes and links: metadata only.
 */
export interface FamilyExport {
  exportedAt: string;
  organizationId: string;
  householdId: string;
  household: Record<string, unknown>;
  guardians: Record<string, unknown>[];
  children: Record<string, unknown>[];
  authorizedPickups: Record<string, unknown>[];
  custodyAlerts: Record<string, unknown>[];
  expressCodes: Record<string, unknown>[];
  joinCodes: Record<string, unknown>[];
  precheckinLinks: Record<string, unknown>[];
  precheckins: Record<string, unknown>[];
  checkinBatches: Record<string, unknown>[];
  checkinRequests: Record<string, unknown>[];
  checkins: Record<string, unknown>[];
  pickupPasses: Record<string, unknown>[];
  rollCalls: Record<string, unknown>[];
  emergencyAccounts: Record<string, unknown>[];
  roomDays: Record<string, unknown>[];
  messages: Record<string, unknown>[];
  externalIds: Record<string, unknown>[];
  merges: Record<string, unknown>[];
  auditLog: Record<string, unknown>[];
  /** tables added later (photos …) appear under their own key */
  [table: string]: unknown;
}

/** Built-in retention: import files 30 days, message bodies 180 days, inactive families kept (null: off). */
export const RETENTION_DEFAULTS = { importFileDays: 30, messageBodyDays: 180, inactiveFamilyMonths: null as number | null };
export type RetentionSettings = { importFileDays: number; messageBodyDays: number; inactiveFamilyMonths: number | null };

const positive = (max: number) =>
  z.number({ error: 'must be a whole number' }).int('must be a whole number').positive('must be a positive whole number').max(max, `must be at most ${max}`);
/** `PATCH /api/org/retention`: only the keys sent change; null puts the built-in default back (inactive families: off). */
export const RetentionUpdateSchema = z
  .object({
    importFileDays: positive(3650).nullable(),
    messageBodyDays: positive(3650).nullable(),
    inactiveFamilyMonths: positive(600).nullable(),
  })
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'needs at least one field to change');
export type RetentionUpdate = z.infer<typeof RetentionUpdateSchema>;
