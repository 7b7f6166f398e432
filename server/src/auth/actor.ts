import type { Role } from '../../../contracts';

export type Actor =
  | { kind: 'user'; id: string; siteId: string; role: Role; name: string; email: string; sessionId: string }
  | { kind: 'kiosk'; id: string; siteId: string; mode: 'checkin' | 'pickup'; name: string };

export { roleAtLeast } from '../../../contracts/rules';
export const actorName = (a: Actor) => (a.kind === 'user' ? a.name || a.email : `kiosk ${a.name}`);
