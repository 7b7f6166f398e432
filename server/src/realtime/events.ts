import type { ServerToClientEvents } from '../../../contracts';

/** A domain event recorded by a service and published after commit to one audience. */
export type DomainEvent = {
  [K in keyof ServerToClientEvents]: {
    name: K;
    siteId: string;
    /** staff: every signed-in user of the site; kiosk: one kiosk's own room; session: one sign-in's sockets */
    audience: 'staff' | { kioskId: string } | { sessionId: string };
    payload: Parameters<ServerToClientEvents[K]>[0];
  };
}[keyof ServerToClientEvents];

export const siteStaffRoom = (siteId: string) => `site:${siteId}:staff`;
export const kioskRoom = (kioskId: string) => `kiosk:${kioskId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
