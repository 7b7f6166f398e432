/**
 * Past attendance in (DESIGN §17): one arrival per row, into `attendance_history`, so the forecast
 * has history on the first Sunday after a church switches. Reading is pure (`readAttendance`):
 * each row's time, room and person are checked and its problems listed by row number and field;
 * writing (`writeAttendance`) resolves rooms at the campus, matches children within the campus's
 * organisation, and inserts in chunks keyed by `row_key`, so the same file imported again changes
 * nothing. A row matched to no child still counts in its room's history.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { AttendanceImportSummary } from '../../../contracts/forecast';
import { foldName, instantAt, isRealDate, nameTokens } from '../../../contracts/rules';
import {
  ATTENDANCE_MAPPINGS,
  attendanceColumns,
  columnName,
  detectAttendanceFormat,
  namesOf,
  unreadColumns,
  type AttendanceField,
  type AttendanceFormat,
  type AttendanceMapping,
} from './attendance.formats';
import { parseDate, parseGrade, readRecords, UnreadableFile } from './import.service';
import * as repo from './attendance.repo';

export type AttendanceProblem = AttendanceImportSummary['problems'][number];

export interface AttendanceRow {
  row: number;
  checkedInAt: Date;
  room: string;
  service: string | null;
  personId: string | null;
  firstName: string;
  lastName: string;
  birthdate: string | null;
  grade: number | null;
  /** sha256 of the row's normalised content (and its occurrence in the file): re-import changes nothing */
  rowKey: string;
}

export interface AttendancePlan {
  format: AttendanceFormat;
  /** data rows read (the header aside) */
  rows: number;
  items: AttendanceRow[];
  problems: AttendanceProblem[];
  /** headers no field reads, as the file spells them */
  ignoredColumns: string[];
}

const REQUIRED: AttendanceField[] = ['checkedInAt', 'room'];
const GENERIC_LABEL: Record<AttendanceField, string> = {
  checkedInAt: 'check-in time',
  room: 'room',
  service: 'service',
  personId: 'person id',
  firstName: 'first name',
  lastName: 'last name',
  birthdate: 'birthdate',
  grade: 'grade',
};

/**
 * A check-in time: ISO 8601 with an offset (or Z) is that instant; a wall time without one —
 * `YYYY-MM-DD HH:MM[:SS]`, or Rock's `M/D/YYYY h:mm[:ss] AM` — is the campus's local time.
 */
export function parseCheckedInAt(input: string, timezone: string): Date | 'invalid' {
  const s = input.trim();
  let m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i.exec(s);
  if (m) {
    if (!isRealDate(m[1]!) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) return 'invalid';
    const d = new Date(
      s
        .replace(' ', 'T')
        .replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
        .replace(/([+-]\d{2})$/, '$1:00'),
    );
    return Number.isNaN(d.getTime()) ? 'invalid' : d;
  }
  let date: string, h: number, min: number, sec: number;
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (m) {
    date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    [h, min, sec] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  } else {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?$/i.exec(s);
    if (!m) return 'invalid';
    date = `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
    [h, min, sec] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    const ampm = m[7]?.toUpperCase();
    if (ampm) {
      if (h < 1 || h > 12) return 'invalid';
      h = (h % 12) + (ampm === 'PM' ? 12 : 0);
    }
  }
  if (!isRealDate(date) || h > 23 || min > 59 || sec > 59) return 'invalid';
  return instantAt(date, `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')}`, timezone);
}

/** A room's name as rooms are matched: case, accents, punctuation and spacing aside ("Toddlers-B" is "Toddlers B"). */
export const roomKey = (name: string) => nameTokens(name).join('');

export function readAttendance(text: string, opts: { format?: AttendanceFormat; mapping?: AttendanceMapping; timezone: string; now?: Date }): AttendancePlan {
  const records = readRecords(text);
  const header = records[0]!.fields;
  const format = opts.format ?? detectAttendanceFormat(header);
  const mapping: AttendanceMapping = { ...ATTENDANCE_MAPPINGS[format], ...(opts.mapping ?? {}) };
  const col = attendanceColumns(header, mapping);
  const missingFields = REQUIRED.filter((f) => col[f] < 0);
  if (missingFields.length) {
    const missing = missingFields.map((f) => `"${columnName(mapping, f)}"`);
    const accepted = missingFields.map(
      (f) =>
        `${GENERIC_LABEL[f]}: ${namesOf(mapping, f)
          .map((n) => `"${n}"`)
          .join(', ')}`,
    );
    const found = header.map((h) => `"${h.replace(/^\uFEFF/, '').trim()}"`).join(', ');
    throw new UnreadableFile(
      `the header has no ${missing.join(' or ')} column (format ${format}); every row needs a check-in time and a room. ` +
        `Accepted (case, spaces and punctuation aside) — ${accepted.join('; ')}. The header has: ${found}. ` +
        `Rename the column, or map it (--mapping, e.g. {"${missingFields[0]}": "<your header>"}).`,
    );
  }
  const now = (opts.now ?? new Date()).getTime();
  const problems: AttendanceProblem[] = [];
  const items: AttendanceRow[] = [];
  const seen = new Map<string, number>();
  const cell = (f: string[], field: AttendanceField) => (col[field] >= 0 ? (f[col[field]] ?? '').trim() : '');
  for (const r of records.slice(1)) {
    const row = r.line;
    const f = r.fields;
    const bad = (field: AttendanceField, message: string) =>
      problems.push({ row, field: columnName(mapping, field), message: `${columnName(mapping, field)} ${message}` });
    const whenText = cell(f, 'checkedInAt');
    if (!whenText) {
      bad('checkedInAt', 'is missing');
      continue;
    }
    const when = parseCheckedInAt(whenText, opts.timezone);
    if (when === 'invalid') {
      bad('checkedInAt', `"${whenText.slice(0, 40)}" is not a time (ISO 8601 with an offset, or the campus's local YYYY-MM-DD HH:MM)`);
      continue;
    }
    if (when.getTime() > now) {
      bad('checkedInAt', 'is in the future');
      continue;
    }
    const room = cell(f, 'room');
    if (!room || !roomKey(room)) {
      bad('room', 'is missing');
      continue;
    }
    const birthText = cell(f, 'birthdate');
    const birthdate = parseDate(birthText);
    if (birthdate === 'invalid' || (birthdate && !isRealDate(birthdate))) {
      bad('birthdate', `"${birthText.slice(0, 40)}" is not a date`);
      continue;
    }
    const grade = parseGrade(cell(f, 'grade'));
    if (grade === 'invalid') {
      bad('grade', `"${cell(f, 'grade').slice(0, 20)}" is not a grade`);
      continue;
    }
    const item = {
      row,
      checkedInAt: when,
      room: room.slice(0, 80),
      service: cell(f, 'service').slice(0, 200) || null,
      personId: cell(f, 'personId').slice(0, 120) || null,
      firstName: cell(f, 'firstName').slice(0, 80),
      lastName: cell(f, 'lastName').slice(0, 80),
      birthdate,
      grade,
    };
    // the same arrival written twice in a file is two arrivals only if the file says so twice: the nth copy gets the nth key
    const content = JSON.stringify([
      item.checkedInAt.toISOString(),
      roomKey(item.room),
      item.service ? foldName(item.service) : '',
      item.personId ?? '',
      foldName(item.firstName),
      foldName(item.lastName),
      item.birthdate ?? '',
      item.grade ?? '',
    ]);
    const n = (seen.get(content) ?? 0) + 1;
    seen.set(content, n);
    items.push({ ...item, rowKey: createHash('sha256').update(`${content}#${n}`).digest('hex') });
  }
  return { format, rows: records.length - 1, items, problems, ignoredColumns: unreadColumns(header, col) };
}

const CHUNK = 500;

export async function writeAttendance(
  db: Knex,
  site: { id: string; organization_id: string },
  plan: AttendancePlan,
  opts: { dryRun: boolean; importJobId?: string | null; onProgress?: (done: number, total: number) => void | Promise<void> },
): Promise<AttendanceImportSummary> {
  const problems = [...plan.problems];
  const rooms = new Map<string, string>();
  for (const r of await repo.roomsOf(db, site.id)) if (!rooms.has(roomKey(r.name))) rooms.set(roomKey(r.name), r.id);
  const accepted: { item: AttendanceRow; roomId: string }[] = [];
  for (const item of plan.items) {
    const roomId = rooms.get(roomKey(item.room));
    if (!roomId) problems.push({ row: item.row, field: 'room', message: `room "${item.room}" is not a room of this campus` });
    else accepted.push({ item, roomId });
  }
  problems.sort((a, b) => a.row - b.row);
  const children = await matchChildren(
    db,
    site.organization_id,
    plan.format,
    accepted.map((a) => a.item),
  );
  let imported = 0;
  let unchanged = 0;
  for (let i = 0; i < accepted.length; i += CHUNK) {
    const chunk = accepted.slice(i, i + CHUNK);
    const keys = chunk.map((a) => a.item.rowKey);
    if (opts.dryRun) {
      const known = await repo.existingRowKeys(db, site.id, plan.format, keys);
      unchanged += known.size;
      imported += chunk.length - known.size;
    } else {
      const inserted = await repo.insertHistory(
        db,
        chunk.map(({ item, roomId }) => ({
          organization_id: site.organization_id,
          site_id: site.id,
          room_id: roomId,
          child_id: children.get(item.row) ?? null,
          checked_in_at: item.checkedInAt,
          service_name: item.service,
          source: plan.format,
          row_key: item.rowKey,
          import_job_id: opts.importJobId ?? null,
        })),
      );
      imported += inserted;
      unchanged += chunk.length - inserted;
    }
    await opts.onProgress?.(Math.min(i + CHUNK, accepted.length), accepted.length);
  }
  if (!accepted.length) await opts.onProgress?.(0, 0);
  return { dryRun: opts.dryRun, rows: plan.rows, imported, unchanged, matchedChildren: children.size, problems, ignoredColumns: plan.ignoredColumns };
}

/**
 * Row → child, within the campus's organisation only: by the source's person id where an earlier
 * family import of the same source recorded it (external_ids), else by name and birthdate when
 * exactly one child of the organisation has both. No match is not a problem: the row still counts.
 */
async function matchChildren(db: Knex, organizationId: string, source: AttendanceFormat, items: AttendanceRow[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const byExternal = await repo.childrenByExternalIds(db, organizationId, source, [...new Set(items.map((i) => i.personId).filter((p): p is string => !!p))]);
  const rest: AttendanceRow[] = [];
  for (const i of items) {
    const hit = i.personId ? byExternal.get(i.personId) : undefined;
    if (hit) out.set(i.row, hit);
    else if (i.birthdate && foldName(i.firstName) && foldName(i.lastName)) rest.push(i);
  }
  const candidates = await repo.childrenByBirthdates(db, organizationId, [...new Set(rest.map((i) => i.birthdate!))]);
  const byKey = new Map<string, string[]>();
  for (const c of candidates) {
    const k = `${foldName(c.first_name)}|${foldName(c.last_name)}|${c.birthdate}`;
    byKey.set(k, [...(byKey.get(k) ?? []), c.id]);
  }
  for (const i of rest) {
    const ids = byKey.get(`${foldName(i.firstName)}|${foldName(i.lastName)}|${i.birthdate}`);
    if (ids?.length === 1) out.set(i.row, ids[0]!);
  }
  return out;
}
