/**
 * Where a room is (DESIGN §21, #30): a short directions text a room may carry ("Upstairs, second
 * door on the left"), set on the admin rooms page and shown on the kiosk's finish screen beside
 * each child's room, for a family new to the church. Kept apart from staff.ts and api.ts while
 * those are split per area: the room schemas and answers here are the ones of those files with
 * the location added.
 */
import { z } from 'zod';
import { MAX_ROOM_LOCATION_LENGTH } from './limits';
import type { CheckinResult, CheckinRow } from './api';
import { RoomCreateSchema, RoomPatchSchema, type AdminRoom } from './staff';

/** empty (or only spaces) clears it: stored as null */
const location = z.string().trim().max(MAX_ROOM_LOCATION_LENGTH).nullable();

export const RoomWithLocationCreateSchema = RoomCreateSchema.extend({ location: location.default(null) });
export const RoomWithLocationPatchSchema = RoomPatchSchema.extend({ location: location.optional() });
export type RoomWithLocationCreate = z.infer<typeof RoomWithLocationCreateSchema>;
export type RoomWithLocationPatch = z.infer<typeof RoomWithLocationPatchSchema>;

/** A room as the admin pages see it, with where it is (null: not set). */
export interface LocatedAdminRoom extends AdminRoom {
  location: string | null;
}
/** A check-in with where its room is, for the family's finish screen (null: the room has none). */
export interface LocatedCheckinRow extends CheckinRow {
  roomLocation: string | null;
}
/** `POST /api/checkins`'s answer: every check-in carries its room's location. */
export interface LocatedCheckinResult extends Omit<CheckinResult, 'checkins'> {
  checkins: LocatedCheckinRow[];
}
