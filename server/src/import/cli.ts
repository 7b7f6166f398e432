/**
 * `npm run import -- FILE (--campus-id UUID | --org "ORGANISATION" --campus "NAME" | --campus "NAME")
 *   [--kind households|attendance] [--format pco|rock|breeze|generic] [--mapping MAP.json]
 *   [--encoding auto|utf-8|windows-1252|…] [--dry-run]`
 * `--kind attendance` imports past arrivals for the forecast (DESIGN §17; formats pco, rock, generic):
 * `imported N arrivals (M already imported, K matched to a child), P rows skipped`.
 * The campus is named without doubt: by its id, or by organisation and name; a bare name only
 * when exactly one campus in the whole database has it (else the candidates are listed, exit 1,
 * nothing written). Exit 0 with `imported N households, M people, K rows skipped` (or `would
 * import …`), the rows with problems listed by row number; exit 1 when nothing could be read or
 * the campus is not certain. The file's bytes are decoded as ./encoding.ts says (UTF-8 when they are
 * UTF-8, else detected — Windows-1252 for the old church databases and Excel — or as given).
 */
import fs from 'node:fs';
import { loadConfig } from '../config';
import { createDb } from '../db/knex';
import { startDatabase } from '../db/embedded';
import { migrateLatest } from '../db/migrate';
import { FORMATS, type Format, type Mapping } from './formats';
import { CampusChoiceError, importFile, summaryLine } from './import.jobs';
import { UnreadableFile } from './import.service';
import { checkEncoding } from './encoding';
import { ATTENDANCE_FORMATS, type AttendanceFormat, type AttendanceMapping } from './attendance.formats';
import { attendanceSummaryLine, importAttendanceFile } from './attendance.jobs';

function args(argv: string[]) {
  const out: {
    file?: string;
    kind?: string;
    campus?: string;
    campusId?: string;
    org?: string;
    format?: Format;
    mapping?: string;
    encoding?: string;
    dryRun: boolean;
  } = {
    dryRun: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--campus') out.campus = argv[++i];
    else if (a === '--kind') out.kind = argv[++i];
    else if (a === '--campus-id') out.campusId = argv[++i];
    else if (a === '--org') out.org = argv[++i];
    else if (a === '--format') out.format = argv[++i] as Format;
    else if (a === '--mapping') out.mapping = argv[++i];
    else if (a === '--encoding') out.encoding = argv[++i];
    else if (a === '--dry-run') out.dryRun = true;
    else if (!a.startsWith('--')) out.file = a;
  }
  return out;
}

const USAGE = `usage: npm run import -- FILE (--campus-id UUID | --org "ORGANISATION" --campus "NAME" | --campus "NAME")
         [--kind households|attendance] [--format pco|rock|breeze|generic] [--mapping MAP.json] [--encoding ENCODING] [--dry-run]
  --kind KIND          households (default): families from a People export; attendance: past
                       check-ins (checked_in_at, room, …) for the forecast, formats pco|rock|generic
  --campus-id UUID     the campus by its id (always unambiguous)
  --org NAME|UUID      the organisation, with --campus: its campus of that name
  --campus NAME        alone, only when exactly one campus in the whole database has this name
  --encoding ENCODING  the file's characters: auto (default: UTF-8 when the bytes are UTF-8, else
                       detected, Windows-1252 when in doubt), or e.g. utf-8, windows-1252, iso-8859-1`;

async function main(): Promise<number> {
  const a = args(process.argv.slice(2));
  if (!a.file || !(a.campus || a.campusId)) {
    console.error(USAGE);
    return 1;
  }
  if (a.kind && a.kind !== 'households' && a.kind !== 'attendance') {
    console.error('--kind must be households or attendance');
    return 1;
  }
  const attendance = a.kind === 'attendance';
  if (attendance && a.format && !ATTENDANCE_FORMATS.includes(a.format as AttendanceFormat)) {
    console.error(`--format must be one of ${ATTENDANCE_FORMATS.join(', ')} for --kind attendance`);
    return 1;
  }
  if (a.format && !FORMATS.includes(a.format)) {
    console.error(`--format must be one of ${FORMATS.join(', ')}`);
    return 1;
  }
  try {
    checkEncoding(a.encoding);
  } catch (e) {
    console.error(`--encoding: ${(e as Error).message}`);
    return 1;
  }
  let bytes: Buffer;
  let mapping: Mapping | undefined;
  try {
    bytes = fs.readFileSync(a.file);
    if (a.mapping) mapping = JSON.parse(fs.readFileSync(a.mapping, 'utf8')) as Mapping;
  } catch (e) {
    console.error(`cannot read: ${(e as Error).message}`);
    return 1;
  }
  const config = loadConfig();
  const database = await startDatabase(config, () => {});
  const db = createDb(database.url, 2);
  try {
    await migrateLatest(db);
    const started = Date.now();
    const given = { campus: a.campus, campusId: a.campusId, org: a.org, bytes, encoding: a.encoding, dryRun: a.dryRun };
    const progress = (unit: string) => (done: number, total: number) => {
      process.stderr.write(`\r${done}/${total} ${unit}`);
    };
    const r = attendance
      ? await importAttendanceFile(db, {
          ...given,
          format: a.format as AttendanceFormat | undefined,
          mapping: mapping as AttendanceMapping | undefined,
          onProgress: progress('arrivals'),
        }).then((x) => ({ ...x, line: attendanceSummaryLine(x) }))
      : await importFile(db, { ...given, format: a.format, mapping, onProgress: progress('households') }).then((x) => ({ ...x, line: summaryLine(x) }));
    process.stderr.write('\n');
    // attendance problems also name the column
    for (const p of r.problems as { row: number; field?: string; message: string }[])
      console.log(`row ${p.row}${p.field ? ` (${p.field})` : ''}: ${p.message}`);
    console.log(r.line);
    console.error(
      `(${r.format}, read as ${r.encoding.name} (${r.encoding.how}), into "${r.campus.name}" of "${r.campus.organization}", ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    return 0;
  } catch (e) {
    if (e instanceof CampusChoiceError) console.error(`no campus chosen, nothing imported: ${e.message}`);
    else console.error(e instanceof UnreadableFile ? `nothing could be read: ${e.message}` : (e as Error).message);
    return 1;
  } finally {
    await db.destroy();
    await database.stop();
  }
}
main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
