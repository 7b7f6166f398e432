/**
 * Volunteer rules shared by the server and the staff UI (DESIGN §13), zod-free.
 */
import { roleAtLeast, type RoleName } from './roles';

export type BackgroundCheckStatus = 'none' | 'pending' | 'cleared' | 'failed';
export const BACKGROUND_CHECK_STATUSES: readonly BackgroundCheckStatus[] = ['none', 'pending', 'cleared', 'failed'];

/** A check is current on `onDate` (YYYY-MM-DD) when it is cleared and expires on or after that date. */
export function backgroundCheckCurrent(check: { status: BackgroundCheckStatus | string; expiresOn: string | null }, onDate: string): boolean {
  return check.status === 'cleared' && check.expiresOn != null && check.expiresOn >= onDate;
}

/** Days from `onDate` until the check expires (negative: expired), null without an expiry. */
export function daysUntilExpiry(expiresOn: string | null, onDate: string): number | null {
  if (!expiresOn) return null;
  return Math.round((Date.parse(`${expiresOn}T00:00:00Z`) - Date.parse(`${onDate}T00:00:00Z`)) / 86_400_000);
}

/**
 * Who may record a person's background check (DESIGN §13), the one rule for every route and
 * screen: staff or admins, never for themselves (a check records what someone else verified).
 */
export function mayRecordBackgroundCheck(recorder: { id: string; role: RoleName }, personId: string): boolean {
  return roleAtLeast(recorder.role, 'staff') && recorder.id !== personId;
}
