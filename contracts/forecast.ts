/**
 * Forecast the room before the line (DESIGN §17): the reply of `GET /api/services/:id/forecast`
 * and the attendance-history import's summary. Times are ISO 8601 instants; the UIs show them in
 * the campus's time zone.
 */

/** One point of the cumulative arrival curve (every 5 minutes from check-in open to start + 30). */
export interface ForecastPoint {
  at: string;
  expected: number;
  low: number;
  high: number;
  /** children checked in by `at` today; null for a time still in the future */
  actual: number | null;
}

/** The latest time a further room (in fill order, overflow last) must be open so no child waits. */
export interface ForecastOpenBy {
  roomId: string;
  roomName: string;
  at: string;
  /** when the expected (not the high) curve fills the rooms before it: when the room is likely needed; absent when it likely is not */
  expectedFullAt?: string;
}

export interface ForecastVolunteers {
  at: string;
  /** adults needed in the group's rooms from `at` */
  count: number;
  /** where: the adults each room needs then (rooms needing none left out) */
  rooms: { roomId: string; roomName: string; count: number }[];
}

/** One age group's forecast: its rooms, its expected total with a band, its curve and its plan. */
export interface ForecastGroup {
  key: string;
  label: string;
  roomIds: string[];
  /** null with no history (basis.services 0): no invented numbers */
  expectedChildren: number | null;
  low: number | null;
  high: number | null;
  arrivals: ForecastPoint[];
  openBy: ForecastOpenBy[];
  volunteersNeeded: ForecastVolunteers[];
  /** a sentence for staff when the group has no history or too little to forecast */
  note?: string;
}

export interface ServiceForecast {
  serviceId: string;
  generatedAt: string;
  /** the past services the forecast is built on (0: no history) and the span they cover */
  basis: { services: number; from: string | null; to: string | null };
  groups: ForecastGroup[];
}

/** The summary of an attendance-history import (`--kind attendance`), dry run or real. */
export interface AttendanceImportSummary {
  dryRun: boolean;
  rows: number;
  imported: number;
  /** rows already imported before (re-import changes nothing) */
  unchanged: number;
  matchedChildren: number;
  problems: { row: number; field?: string; message: string }[];
  /** the file's headers nothing was read from (e.g. a security code): reported so a misspelt column is seen, never an error */
  ignoredColumns: string[];
}
