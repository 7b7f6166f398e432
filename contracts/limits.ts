/** Limits shared by the server and both UIs, so a form and the API agree. */
export const SECURITY_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ2456789';
export const SECURITY_CODE_LENGTH = 4;
export const MAX_CHILDREN_PER_CHECKIN = 12;
export const MAX_NAME_LENGTH = 80;
/** A room's directions for first-time families ("Upstairs, second door on the left"). */
export const MAX_ROOM_LOCATION_LENGTH = 80;
export const MAX_NOTE_LENGTH = 1000;
export const MAX_PAGE_MESSAGE_LENGTH = 160;
export const PAGES_PER_CHILD_PER_HOUR = 3;
export const DEFAULT_SOFT_THRESHOLD_PCT = 80;
export const KIOSK_IDLE_RESET_MS = 60_000;
/** The last part of the idle wait shows "Still there?" with a countdown and a button to stay. */
export const KIOSK_IDLE_WARNING_MS = 10_000;
/** The done screen (security code, pickup QR) goes back to the start after this, if nobody taps Done. */
export const KIOSK_DONE_SCREEN_MS = 20_000;
export const ROLES = ['volunteer', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** Grades are integers: -1 pre-K, 0 kindergarten, 1..12. */
export const MIN_GRADE = -1;
export const MAX_GRADE = 12;
/** A broadcast text to the guardians of a room, a service or the campus (DESIGN §15): three SMS segments at most. */
export const MAX_BROADCAST_MESSAGE_LENGTH = 480;
/** Broadcasts a campus may send in an hour (the per-campus rate limit). */
export const BROADCASTS_PER_CAMPUS_PER_HOUR = 10;
/** An optional word with an emergency roll call ("Fire alarm — east wing"). */
export const MAX_EMERGENCY_MESSAGE_LENGTH = 200;
