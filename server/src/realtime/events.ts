import type { ServerToClientEvents } from '../../../contracts';

/** A domain event recorded by a service and published after commit to one audience. */
export type DomainEvent = {
  [K in keyof ServerToClientEvents]: {
    name: K;
    siteId: string;
    /** staff: every signed-in user of the site; kiosk: one kiosk's own room */
    audience: 'staff' | { kioskId: string };
    payload: Parameters<ServerToClientEvents[K]>[0];
  };
}[keyof ServerToClientEvents];

export const siteStaffRoom = (siteId: string) => `site:${siteId}:staff`;
export const kioskRoom = (kioskId: string) => `kiosk:${kioskId}`;
