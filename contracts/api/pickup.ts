/** Pickup (DESIGN §4): verifying the code or pass, the staff override, checkout and its undo. */
import { z } from 'zod';
import { MAX_CHILDREN_PER_CHECKIN, MAX_NOTE_LENGTH } from '../limits';
import type { VerifiedCheckin } from './checkin';
import { SecurityCodeSchema, UuidSchema, name } from './fields';

export const PickupVerifySchema = z.union(
  [z.object({ token: z.string().trim().min(16).max(200) }).strict(), z.object({ securityCode: SecurityCodeSchema, serviceId: UuidSchema }).strict()],
  { message: 'needs a token, or a securityCode with a serviceId' },
);
export type PickupVerify = z.infer<typeof PickupVerifySchema>;

/** A staff override at the door: a staff member's PIN (or the caller's own staff sign-in) and why. */
export const OverrideSchema = z
  .object({
    pin: z
      .string()
      .trim()
      .regex(/^[0-9]{4,8}$/, 'must be 4 to 8 digits')
      .optional(),
    reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(MAX_NOTE_LENGTH),
  })
  .strict();
export type Override = z.infer<typeof OverrideSchema>;

/**
 * The adult is chosen from the family's list (`pickupPersonId`: a guardian's or authorised
 * pickup's id); `pickedUpBy`, a typed name, is the exception path (DESIGN §4 release rules).
 */
export const CheckoutCreateSchema = z
  .object({
    checkinIds: z
      .array(UuidSchema)
      .min(1)
      .max(MAX_CHILDREN_PER_CHECKIN)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a check-in'),
    token: z.string().trim().min(16).max(200).optional(),
    securityCode: SecurityCodeSchema.optional(),
    pickupPersonId: UuidSchema.optional(),
    pickedUpBy: name.optional(),
    override: OverrideSchema.optional(),
  })
  .strict()
  .refine((b) => b.token != null || b.securityCode != null, { message: 'needs the pickup token or the security code', path: ['securityCode'] })
  .refine((b) => b.pickupPersonId != null || b.pickedUpBy != null, {
    message: "needs pickupPersonId (someone on the family's list) or pickedUpBy (a typed name)",
    path: ['pickedUpBy'],
  });
export type CheckoutCreate = z.infer<typeof CheckoutCreateSchema>;

/** A staff member's own override PIN (stored as a scrypt hash). */
export const OverridePinSchema = z
  .object({
    pin: z
      .string()
      .trim()
      .regex(/^[0-9]{4,8}$/, 'must be 4 to 8 digits'),
  })
  .strict();
/** Staff put a checked-out child back in the room within a few minutes of a mistaken checkout. */
export const UndoCheckoutSchema = z.object({ reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(MAX_NOTE_LENGTH) }).strict();
export interface PickupPerson {
  id: string;
  kind: 'guardian' | 'authorized_pickup';
  name: string;
}
export interface PickupVerification {
  securityCode: string;
  batchId: string;
  householdName: string;
  serviceId: string;
  checkins: VerifiedCheckin[];
  /** True when every child of the check-in is already picked up (a used code or pass). */
  allPickedUp: boolean;
  authorizedPickups: { id: string; name: string; relationship: string; photoUrl: string | null }[];
  guardians: { id: string; firstName: string; lastName: string; photoUrl: string | null }[];
  /** the person a custody alert names, with their photo when one is on file */
  custodyAlerts: { id: string; name: string; note: string; photoUrl: string | null }[];
}
export interface CheckoutResult {
  checkedOut: string[];
  pickedUpBy: string;
  pickupPerson: { id: string; kind: 'guardian' | 'authorized_pickup' } | null;
  override: { by: string; reason: string } | null;
}
