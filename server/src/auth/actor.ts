import type { Role } from '../../../contracts';

export type Actor =
  /**
   * A signed-in person acting at one campus (`siteId`, fixed for the life of the sign-in): `role`
   * is their role there (an organisation admin is `admin` at every campus of the organisation).
   */
  | { kind: 'user'; id: string; siteId: string; organizationId: string; orgAdmin: boolean; role: Role; name: string; email: string; sessionId: string }
  | { kind: 'kiosk'; id: string; siteId: string; organizationId: string; mode: 'checkin' | 'pickup'; name: string }
  /** a wall display: reads today's services, rooms and alerts of its site, nothing else */
  | { kind: 'display'; id: string; siteId: string; organizationId: string; name: string };

export { roleAtLeast } from '../../../contracts/rules';
export const actorName = (a: Actor) => (a.kind === 'user' ? a.name || a.email : `${a.kind} ${a.name}`);
