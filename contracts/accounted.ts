/**
 * Every child accounted for (DESIGN §15): the roll call that raises an alarm, emergency roll
 * call and broadcast — request schemas and response types.
 */
import { z } from 'zod';
import { MAX_BROADCAST_MESSAGE_LENGTH, MAX_EMERGENCY_MESSAGE_LENGTH, MAX_NOTE_LENGTH } from './limits';

const Uuid = z.uuid({ message: 'must be a UUID' });

/** Staff clear a headcount-mismatch alert by hand, saying why ("Ada was with her dad in the hall"). */
export const AlertClearSchema = z
  .object({ note: z.string().trim().min(1, 'say why the alert is cleared').max(MAX_NOTE_LENGTH, `must be at most ${MAX_NOTE_LENGTH} characters`) })
  .strict();

/** A child not marked present when a roll call was submitted. */
export interface MissingChild {
  checkinId: string;
  firstName: string;
  lastName: string;
}
/** A roll call submitted for a room: the children marked present against the system's count. */
export interface RollCallResult {
  roomId: string;
  present: number;
  systemCount: number;
  missing: MissingChild[];
  /** the standing headcount_mismatch alert's id, if the count disagrees */
  alertId: string | null;
}

export const EmergencyStartSchema = z
  .object({ message: z.string().trim().max(MAX_EMERGENCY_MESSAGE_LENGTH, `must be at most ${MAX_EMERGENCY_MESSAGE_LENGTH} characters`).optional() })
  .strict();
export const EmergencyAccountedSchema = z.object({ checkinId: Uuid }).strict();

export interface EmergencyChild {
  checkinId: string;
  firstName: string;
  lastName: string;
  roomId: string;
  accountedAt: string | null;
  accountedBy: string | null;
}
export interface EmergencyRoom {
  roomId: string;
  name: string;
  total: number;
  accounted: number;
}
export interface Emergency {
  id: string;
  message: string;
  startedAt: string;
  startedBy: string | null;
  endedAt: string | null;
  endedBy: string | null;
  /** totals per room (for a volunteer: their room only) */
  rooms: EmergencyRoom[];
  total: number;
  accounted: number;
  /**
   * the children: all of them for staff and for a volunteer's own room, those not yet accounted
   * for first; a wall display gets none (a TV is read by everyone), only the totals
   */
  children: EmergencyChild[];
}
/** The realtime cue: the state changed, read it again (no names: the wall display hears it too). */
export interface EmergencyEvent {
  id: string;
  status: 'started' | 'updated' | 'ended';
  total: number;
  accounted: number;
  at: string;
}

export const BroadcastCreateSchema = z
  .object({
    serviceId: Uuid.optional(),
    roomId: Uuid.optional(),
    message: z.string().trim().min(1, 'write the message').max(MAX_BROADCAST_MESSAGE_LENGTH, `must be at most ${MAX_BROADCAST_MESSAGE_LENGTH} characters`),
  })
  .strict();
export type BroadcastCreate = z.infer<typeof BroadcastCreateSchema>;
export interface Broadcast {
  id: string;
  serviceId: string | null;
  roomId: string | null;
  /** "Toddlers", "Sunday 9:00", or "Whole campus" */
  scope: string;
  message: string;
  createdAt: string;
  createdBy: string | null;
  recipients: number;
  /** from the outbox's statuses: pending/sending/queued count as waiting */
  waiting: number;
  sent: number;
  delivered: number;
  failed: number;
}
