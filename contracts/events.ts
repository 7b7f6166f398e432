/** The one Socket.IO event map, typing the server and both UIs (DESIGN §6). */
import type { RoomStatus, ServiceRoom } from './api';
import type { EmergencyEvent } from './accounted';

export interface CheckinCreatedEvent {
  serviceId: string;
  batchId: string;
  checkins: { id: string; childId: string; roomId: string; firstName: string; lastName: string }[];
  at: string;
}
export interface CheckinCheckedOutEvent {
  serviceId: string;
  checkinIds: string[];
  roomIds: string[];
  at: string;
}
export interface RoomUpdatedEvent {
  serviceId: string;
  room: ServiceRoom;
}
export interface AlertEvent {
  id: string;
  /** null: the campus's alert, of no one service (a label printer down, DESIGN §18) */
  serviceId: string | null;
  kind:
    | 'open_room'
    | 'room_full'
    | 'below_ratio'
    | 'headcount_mismatch'
    | 'waiting_for_volunteers'
    // alerts ahead (DESIGN §17): from the forecast, before the children arrive
    | 'forecast_open_room'
    | 'forecast_volunteers'
    // a label printer is down (DESIGN §18); `ageGroup` holds the printer's id
    | 'printer_paper_out'
    | 'printer_head_open'
    | 'printer_paused'
    | 'printer_unreachable';
  ageGroup: string;
  roomIds: string[];
  message: string;
  projectedMinutes: number | null;
  raisedAt: string;
  clearedAt: string | null;
  acknowledgedAt: string | null;
}
export interface NotificationUpdatedEvent {
  id: string;
  checkinId: string | null;
  kind: string;
  status: string;
  error: string | null;
  updatedAt: string;
  /** The household check-in the message belongs to (receipts and checkout texts have no checkinId). */
  batchId?: string | null;
}
export interface KioskStatusEvent {
  kind: 'revoked' | 'service_changed';
  message: string;
}

export interface ServerToClientEvents {
  'checkin.created': (e: CheckinCreatedEvent) => void;
  'checkin.checkedOut': (e: CheckinCheckedOutEvent) => void;
  'room.updated': (e: RoomUpdatedEvent) => void;
  'alert.raised': (e: AlertEvent) => void;
  /** a standing alert's wording or projection changed (no new cue) */
  'alert.updated': (e: AlertEvent) => void;
  'alert.cleared': (e: AlertEvent) => void;
  'alert.acknowledged': (e: AlertEvent) => void;
  'notification.updated': (e: NotificationUpdatedEvent) => void;
  'kiosk.status': (e: KioskStatusEvent) => void;
  /** an emergency roll call started, changed (a child accounted for) or ended: read GET /api/emergency/current */
  'emergency.updated': (e: EmergencyEvent) => void;
  /**
   * this sign-in was ended — signed out, revoked (by an admin or in the database) or expired —
   * and the socket is disconnected right after
   */
  'session.ended': (e: { reason: 'logout' | 'revoked' | 'expired' }) => void;
}
export interface ClientToServerEvents {
  /** Round-trip check; the ack carries the server time. */
  ping: (ack: (res: { ok: true; at: string }) => void) => void;
}
/**
 * Server-side only (never sent): what a socket authenticated as. `kioskTokenHash` is the SHA-256 of
 * the kiosk token it connected with, so a re-paired kiosk's old tablet can be told from the new one.
 */
export interface SocketData {
  kind: 'user' | 'kiosk' | 'display';
  siteId: string;
  userId?: string;
  sessionId?: string;
  kioskId?: string;
  kioskTokenHash?: string;
  displayId?: string;
  role?: string;
}

export type { RoomStatus };
