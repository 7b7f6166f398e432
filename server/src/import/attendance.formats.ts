/**
 * The attendance exports `--kind attendance` reads (DESIGN §17), one arrival per row:
 *
 * - `generic` — our own header names: `checked_in_at` (ISO 8601 with an offset, or the campus's
 *   local time `YYYY-MM-DD HH:MM`), `room` (the room's name at the campus), and optionally
 *   `service`, `person_id`, `first_name`, `last_name`, `birthdate`, `grade`.
 * - `pco` — Planning Center Check-Ins. Its check-in record (Check-Ins API v2, `CheckIn`) carries
 *   `first_name`, `last_name`, `created_at` (when the check-in was made), `kind`, `security_code`,
 *   with the person, the event and the location(s) as relations; the CSV written from an event's
 *   check-ins list is assumed to title them `Person ID`, `First Name`, `Last Name`, `Checked In
 *   At`, `Event`, `Location` (the sample in tests/fixtures/attendance/pco.csv). That is NOT
 *   confirmed: Planning Center's help pages list no attendance-export headers (they say attendance
 *   cannot be imported into Check-Ins, only people), and the CheckIn attribute names
 *   (`created_at`, `checked_out_at`, `first_name`, `last_name`, `kind`, `security_code`) come from
 *   the API documentation, mirrored by the `planningcenter_api` package's PcoCheckInsCheckIn docs.
 *   So the API's names and common spellings of each column are accepted (`Check-In Time`,
 *   `Location Name`, `Event Name`, …), headers are compared ignoring case, spaces and punctuation,
 *   the columns nothing reads are reported with the summary, and `--mapping` renames any other.
 * - `rock` — Rock RMS attendance as in its Slingshot attendance.csv (`AttendanceId`, `PersonId`,
 *   `GroupId`, `LocationId`, `ScheduleId`, `DeviceId`, `StartDateTime`, `EndDateTime`, `Note`,
 *   `CampusId`) with the names Rock's attendance grids export next to the ids flattened in:
 *   `Location` (the room), `Schedule`, `FirstName`, `LastName`, `BirthDate`. Rock writes times as
 *   `M/D/YYYY h:mm:ss AM` in the campus's time zone.
 */
export type AttendanceFormat = 'pco' | 'rock' | 'generic';
export const ATTENDANCE_FORMATS: AttendanceFormat[] = ['pco', 'rock', 'generic'];

export const ATTENDANCE_FIELDS = ['checkedInAt', 'room', 'service', 'personId', 'firstName', 'lastName', 'birthdate', 'grade'] as const;
export type AttendanceField = (typeof ATTENDANCE_FIELDS)[number];
/** field → the column header (or, for the built-in formats, the headers it may have, first found wins) */
export type AttendanceMapping = Partial<Record<AttendanceField, string | string[]>>;

/** The generic format's header names, as the error messages name a missing column. */
export const GENERIC_COLUMNS: Record<AttendanceField, string> = {
  checkedInAt: 'checked_in_at',
  room: 'room',
  service: 'service',
  personId: 'person_id',
  firstName: 'first_name',
  lastName: 'last_name',
  birthdate: 'birthdate',
  grade: 'grade',
};

export const ATTENDANCE_MAPPINGS: Record<AttendanceFormat, AttendanceMapping> = {
  generic: GENERIC_COLUMNS,
  pco: {
    checkedInAt: ['Checked In At', 'Check-In Time', 'Check-In At', 'Checked In Time', 'created_at'],
    room: ['Location', 'Location Name', 'Locations', 'Room'],
    service: ['Event', 'Event Name', 'Event Time', 'Event Period'],
    personId: ['Person ID', 'person_id'],
    firstName: ['First Name', 'first_name'],
    lastName: ['Last Name', 'last_name'],
    birthdate: ['Birthdate', 'birthdate'],
    grade: ['Grade', 'grade'],
  },
  rock: {
    checkedInAt: 'StartDateTime',
    room: ['Location', 'LocationName', 'LocationId'],
    service: ['Schedule', 'ScheduleName', 'Group'],
    personId: 'PersonId',
    firstName: ['NickName', 'FirstName'],
    lastName: 'LastName',
    birthdate: ['BirthDate', 'Birthdate'],
    grade: 'Grade',
  },
};

/** A header as headers are compared: case, spaces and punctuation aside ("Checked-In at", "checked_in_at" and "CheckedInAt" are one). */
const norm = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** The format from the header row: the one whose identifying columns are there. */
export function detectAttendanceFormat(header: string[]): AttendanceFormat {
  const has = (c: string) => header.some((h) => norm(h) === norm(c));
  if (has('StartDateTime') && (has('AttendanceId') || has('PersonId'))) return 'rock';
  if (has('checked_in_at') && has('room')) return 'generic';
  if (has('Checked In At') || has('Check-In Time') || (has('created_at') && has('security_code')) || (has('Person ID') && has('Location'))) return 'pco';
  return 'generic';
}

/** The names a field is read from, in order. */
export const namesOf = (mapping: AttendanceMapping, f: AttendanceField): string[] =>
  mapping[f] === undefined ? [] : Array.isArray(mapping[f]) ? mapping[f] : [mapping[f]];

/** Headers no field reads (blank ones aside), as the file spells them: reported, never an error. */
export function unreadColumns(header: string[], col: Record<AttendanceField, number>): string[] {
  const used = new Set(Object.values(col));
  return header.map((h, i) => (used.has(i) ? '' : h.replace(/^\uFEFF/, '').trim())).filter((h) => h !== '');
}

/** Column index of each field (header names compared ignoring case, spaces and punctuation); -1 when absent. */
export function attendanceColumns(header: string[], mapping: AttendanceMapping): Record<AttendanceField, number> {
  const out = {} as Record<AttendanceField, number>;
  for (const f of ATTENDANCE_FIELDS) {
    const names = namesOf(mapping, f);
    out[f] = -1;
    for (const n of names) {
      const i = header.findIndex((h) => norm(h) === norm(n));
      if (i >= 0) {
        out[f] = i;
        break;
      }
    }
  }
  return out;
}

/** The header a field is read from, for messages: the first name the mapping gives it. */
export function columnName(mapping: AttendanceMapping, f: AttendanceField): string {
  const m = mapping[f];
  return (Array.isArray(m) ? m[0] : m) ?? GENERIC_COLUMNS[f];
}
