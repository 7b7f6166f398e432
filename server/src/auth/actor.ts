import type { Role } from '../../../contracts';

export type Actor =
  | { kind: 'user'; id: string; siteId: string; role: Role; name: string; email: string; sessionId: string }
  | { kind: 'kiosk'; id: string; siteId: string; mode: 'checkin' | 'pickup'; name: string }
  /** a wall display: reads today's services, rooms and alerts of its site, nothing else */
  | { kind: 'display'; id: string; siteId: string; name: string };

const RANK: Record<Role, number> = { volunteer: 1, staff: 2, admin: 3 };
export const roleAtLeast = (role: Role, min: Role) => RANK[role] >= RANK[min];
export const actorName = (a: Actor) => (a.kind === 'user' ? a.name || a.email : `${a.kind} ${a.name}`);
