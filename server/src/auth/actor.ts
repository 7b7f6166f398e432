import type { ApiScope, Role } from '../../../contracts';

export type Actor =
  /**
   * A signed-in person acting at one campus (`siteId`, fixed for the life of the sign-in): `role`
   * is their role there (an organisation admin is `admin` at every campus of the organisation).
   */
  | { kind: 'user'; id: string; siteId: string; organizationId: string; orgAdmin: boolean; role: Role; name: string; email: string; sessionId: string }
  | { kind: 'kiosk'; id: string; siteId: string; organizationId: string; mode: 'checkin' | 'pickup'; name: string }
  /** a wall display: reads today's services, rooms and alerts of its site, nothing else */
  | { kind: 'display'; id: string; siteId: string; organizationId: string; name: string }
  /**
   * An integration's API key (DESIGN §20): `id` is the key's id, `siteId` the campus this request
   * acts at (the key's own campus, or the one named by `X-Site-Id` for an organisation-wide key),
   * `keySiteId` the campus the key is limited to (null: every campus of the organisation).
   */
  | { kind: 'integration'; id: string; siteId: string; organizationId: string; name: string; scopes: readonly ApiScope[]; keySiteId: string | null };

import { roleAtLeast as roleAtLeastRule } from '../../../contracts/rules';
export { roleAtLeast } from '../../../contracts/rules';
export const actorName = (a: Actor) => (a.kind === 'user' ? a.name || a.email : `${a.kind} ${a.name}`);

/** Staff or admin at the actor's own campus — the one "is this actor staff?" (a policy over a record at another campus: `isStaffOf`). */
// a plain boolean, not a type guard: a guard's false branch would wrongly narrow out every user
export const isStaff = (a: Actor): boolean => a.kind === 'user' && roleAtLeastRule(a.role, 'staff');
