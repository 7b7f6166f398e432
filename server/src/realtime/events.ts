import type { ServerToClientEvents } from '../../../contracts';

/** A domain event recorded by a service and published after commit to one audience. */
export type DomainEvent = {
  [K in keyof ServerToClientEvents]: {
    name: K;
    siteId: string;
    /**
     * staff: every signed-in user of the site; kiosk: one kiosk's own room (with `tokenHash`: only
     * the sockets that connected with that token, e.g. the old tablet of a re-paired kiosk);
     * session: one sign-in's sockets
     */
    audience: 'staff' | { kioskId: string; tokenHash?: string } | { sessionId: string } | { displayId: string };
    payload: Parameters<ServerToClientEvents[K]>[0];
  };
}[keyof ServerToClientEvents];

export const siteStaffRoom = (siteId: string) => `site:${siteId}:staff`;
export const kioskRoom = (kioskId: string) => `kiosk:${kioskId}`;
/** The sockets of one pairing of a kiosk (a prefix of its token's SHA-256: enough to tell pairings apart, useless as a credential). */
export const kioskPairingRoom = (kioskId: string, tokenHash: string) => `kiosk:${kioskId}:pairing:${tokenHash.slice(0, 16)}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/** Every wall display of a site: room and alert events only (DISPLAY_EVENTS), never names. */
export const siteDisplayRoom = (siteId: string) => `site:${siteId}:display`;
export const displayRoom = (displayId: string) => `display:${displayId}`;
/** The staff events a wall display also receives. */
export const DISPLAY_EVENTS = new Set(['room.updated', 'alert.raised', 'alert.updated', 'alert.cleared', 'alert.acknowledged', 'emergency.updated']);
