/**
 * CSV import of households (DESIGN §11). Reading is pure: every row is checked by the same rules
 * as the kiosk (contracts/rules: mobiles, names, birthdates) and its problems listed by row
 * number. Writing goes household by household, each in its own savepoint inside a chunk's
 * transaction: a household that fails leaves nothing behind, the rest of the chunk commits.
 * The source's ids (external_ids, unique per site) make a second import of the same file change
 * nothing; a family already here with the same mobile is completed, not duplicated.
 */
import type { Knex } from 'knex';
import { birthdateProblem, cleanName, foldName, nameProblem, normalizeAnyPhone, normalizeMobile } from '../../../contracts/rules';
import { allergySeverity, parseCareNeeds, type AllergySeverity } from '../../../contracts/rules/care';
import { MAX_GRADE, MIN_GRADE, MAX_NOTE_LENGTH } from '../../../contracts/limits';
import { CsvError, parseCsv, type CsvRecord } from './csv';
import { columnsFor, detectFormat, MAPPINGS, type Format, type Mapping } from './formats';
import * as repo from './import.repo';
import { insertAudit } from '../audit/audit.repo';
import { smsConsentColumns } from '../families/families.repo';
import { enqueueWebhooks, familyCreatedEvent, notifyWebhookOutbox, type CreatedFamily } from '../webhooks/webhook-outbox';

export interface Problem {
  row: number;
  message: string;
}
export interface ImportPerson {
  row: number;
  personId: string | null;
  kind: 'guardian' | 'child';
  firstName: string;
  lastName: string;
  mobile: string | null;
  birthdate: string | null;
  grade: number | null;
  allergies: string;
  medicalNotes: string;
  allergySeverity?: AllergySeverity | null;
  careNeeds?: string[];
}
export interface ImportHousehold {
  key: string;
  name: string;
  rows: number[];
  people: ImportPerson[];
  pickups: { name: string; relationship: string; phone: string | null }[];
}
export interface ImportPlan {
  format: Format;
  rows: number;
  households: ImportHousehold[];
  problems: Problem[];
  skippedRows: number;
}
export interface ImportSummary {
  households: number;
  people: number;
  skippedRows: number;
  unchangedHouseholds: number;
  problems: Problem[];
  dryRun: boolean;
  format: Format;
}

/** Nothing could be read: the only failure of a whole import. */
export class UnreadableFile extends Error {}

/** The file's records, the header first; a file that is not CSV, or holds nothing, is unreadable (either import's 400). */
export function readRecords(text: string): CsvRecord[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    throw new UnreadableFile(e instanceof CsvError ? `line ${e.line}: ${e.message}` : 'the file is not CSV');
  }
  if (records.length < 1) throw new UnreadableFile('the file is empty');
  return records;
}

export function parseDate(input: string): string | null | 'invalid' {
  const s = input.trim();
  if (!s) return null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s.*)?$/.exec(s); // US M/D/YYYY, also Rock's "9/26/1990 12:00:00 AM"
  if (m) return `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
  return 'invalid';
}

export function parseGrade(input: string): number | null | 'invalid' {
  const s = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!s) return null;
  if (/^(pre-?k|pk|preschool|pre-kindergarten)$/.test(s)) return -1;
  if (/^(k|kg|kindergarten)$/.test(s)) return 0;
  const m = /^(?:grade )?(-?\d{1,2})(?:st|nd|rd|th)?(?: grade)?$/.exec(s);
  if (!m) return 'invalid';
  const n = Number(m[1]);
  return n >= MIN_GRADE && n <= MAX_GRADE ? n : 'invalid';
}

/** "Grandma Joy (grandmother) 312-555-0150; Uncle Bo" → pickups. */
function parsePickups(cell: string, country: string) {
  return cell
    .split(/[;\n]/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const rel = /\(([^)]*)\)/.exec(p)?.[1]?.trim() ?? '';
      const phoneText = /(\+?[0-9][0-9 ().-]{6,})$/.exec(p.replace(/\([^)]*\)/, ' ').trim())?.[1] ?? '';
      const name = cleanName(p.replace(/\([^)]*\)/, ' ').replace(phoneText, ''));
      return { name: name.slice(0, 120), relationship: rel.slice(0, 40), phone: phoneText ? normalizeAnyPhone(phoneText, country) : null };
    })
    .filter((p) => p.name && !nameProblem(p.name));
}

export function readImport(text: string, opts: { format?: Format; mapping?: Mapping; country: string; today: string }): ImportPlan {
  const records = readRecords(text);
  const header = records[0]!.fields;
  const format = opts.format ?? detectFormat(header);
  const mapping: Mapping = { ...MAPPINGS[format], ...(opts.mapping ?? {}) };
  const col = columnsFor(header, mapping);
  if (col.firstName < 0 || col.lastName < 0)
    throw new UnreadableFile(`no ${mapping.firstName ?? 'first name'} / ${mapping.lastName ?? 'last name'} columns in the header (format ${format})`);
  const childValues = (mapping.childValues ?? ['child']).map((v) => v.toLowerCase());
  const problems: Problem[] = [];
  const byKey = new Map<string, ImportHousehold>();
  let skipped = 0;
  const cell = (f: string[], i: number) => (i >= 0 ? (f[i] ?? '').trim() : '');
  for (const r of records.slice(1)) {
    const row = r.line;
    const f = r.fields;
    const bad = (msg: string) => {
      problems.push({ row, message: msg });
      skipped++;
    };
    const roleCell = cell(f, col.role).toLowerCase();
    const kind: 'guardian' | 'child' = childValues.includes(roleCell) ? 'child' : 'guardian';
    const first = cleanName(cell(f, col.nickName) || cell(f, col.firstName));
    const last = cleanName(cell(f, col.lastName));
    const np = nameProblem(first) ?? (first.length > 80 ? 'is too long' : null);
    if (np) {
      bad(`first name ${np}`);
      continue;
    }
    const lp = nameProblem(last) ?? (last.length > 80 ? 'is too long' : null);
    if (lp) {
      bad(`last name ${lp}`);
      continue;
    }
    const person: ImportPerson = {
      row,
      personId: cell(f, col.personId) || null,
      kind,
      firstName: first,
      lastName: last,
      mobile: null,
      birthdate: null,
      grade: null,
      allergies: '',
      medicalNotes: '',
    };
    if (kind === 'guardian') {
      const raw = cell(f, col.mobile);
      const mobile = raw ? normalizeMobile(raw, opts.country) : null;
      if (!mobile) {
        bad(raw ? `mobile "${raw}" is not a mobile number` : 'a guardian needs a mobile number');
        continue;
      }
      person.mobile = mobile;
    } else {
      const d = parseDate(cell(f, col.birthdate));
      if (d === 'invalid') {
        bad(`birthdate "${cell(f, col.birthdate)}" is not a date`);
        continue;
      }
      if (d) {
        const p = birthdateProblem(d, opts.today);
        if (p) {
          bad(`birthdate ${d} ${p}`);
          continue;
        }
      }
      const g = parseGrade(cell(f, col.grade));
      if (g === 'invalid') {
        bad(`grade "${cell(f, col.grade)}" is not a grade (-1 pre-K, 0 K, 1–12)`);
        continue;
      }
      if (d == null && g == null) {
        bad('a child needs a birthdate or a grade');
        continue;
      }
      person.birthdate = d;
      person.grade = g;
      person.allergies = cell(f, col.allergies).slice(0, MAX_NOTE_LENGTH);
      person.medicalNotes = cell(f, col.medicalNotes).slice(0, MAX_NOTE_LENGTH);
      person.allergySeverity = allergySeverity(cell(f, col.allergySeverity));
      person.careNeeds = parseCareNeeds(cell(f, col.careNeeds));
    }
    // no household id: the first adult's mobile stands for the family
    const key = cell(f, col.householdId) || (person.mobile ? `mobile:${person.mobile}` : '');
    if (!key) {
      bad('no household id (and no mobile to group by)');
      continue;
    }
    let h = byKey.get(key);
    if (!h) {
      h = { key, name: '', rows: [], people: [], pickups: [] };
      byKey.set(key, h);
    }
    h.rows.push(row);
    h.people.push(person);
    const hn = cleanName(cell(f, col.householdName));
    if (!h.name && hn && !nameProblem(hn)) h.name = hn.slice(0, 120);
    const pk = cell(f, col.authorizedPickups);
    if (pk) for (const p of parsePickups(pk, opts.country)) if (!h.pickups.some((x) => foldName(x.name) === foldName(p.name))) h.pickups.push(p);
  }
  const households: ImportHousehold[] = [];
  for (const h of byKey.values()) {
    if (!h.people.some((p) => p.kind === 'guardian')) {
      for (const row of h.rows) {
        problems.push({ row, message: `household ${h.key} has no guardian with a mobile number: not imported` });
        skipped++;
      }
      continue;
    }
    if (!h.name) h.name = `${h.people.find((p) => p.kind === 'guardian')!.lastName} family`;
    households.push(h);
  }
  problems.sort((a, b) => a.row - b.row);
  return { format, rows: records.length - 1, households, problems, skippedRows: skipped };
}

export const CHUNK = 250;

/**
 * Writes the plan for a site, chunk by chunk (one transaction each, a savepoint per household).
 * `onProgress(done, total)` after every chunk. A dry run writes nothing and says what would happen.
 */
export async function writeImport(
  db: Knex,
  siteId: string,
  plan: ImportPlan,
  opts: { dryRun: boolean; onProgress?: (done: number, total: number) => Promise<void> | void; actor?: { kind: 'user'; id: string } | null },
): Promise<ImportSummary> {
  const source = plan.format;
  const summary: ImportSummary = {
    households: 0,
    people: 0,
    skippedRows: plan.skippedRows,
    unchangedHouseholds: 0,
    problems: [...plan.problems],
    dryRun: opts.dryRun,
    format: plan.format,
  };
  const total = plan.households.length;
  // a dry run writes nothing, so what its earlier chunks would have made is carried here instead
  const dryMade = { known: new Map() as Known, phones: new Map<string, string>() };
  let enqueued = false;
  for (let i = 0; i < total; i += CHUNK) {
    const chunk = plan.households.slice(i, i + CHUNK);
    // the chunk's new families: one family.created webhook event for them all, in its transaction
    const families: CreatedFamily[] = [];
    const work = async (trx: Knex.Transaction | Knex) => {
      const known = await repo.knownExternalIds(
        trx,
        siteId,
        source,
        chunk.flatMap((h) => [{ entity: 'household', id: h.key }, ...h.people.filter((p) => p.personId).map((p) => ({ entity: p.kind, id: p.personId! }))]),
      );
      const byPhone = await repo.householdsByMobiles(
        trx,
        siteId,
        chunk.flatMap((h) => h.people.map((p) => p.mobile).filter((m): m is string => !!m)),
      );
      for (const [key, v] of dryMade.known) known.set(key, v);
      for (const [m, v] of dryMade.phones) if (!byPhone.has(m)) byPhone.set(m, v);
      for (const h of chunk) {
        const one = async (t: Knex.Transaction | Knex) => writeHousehold(t, siteId, source, h, known, byPhone, opts.dryRun);
        try {
          const r = opts.dryRun ? await one(trx) : await (trx as Knex.Transaction).transaction(one); // savepoint
          // what this household made is known to the rest of the chunk (as it will be to the next chunk)
          for (const [key, v] of r.known) known.set(key, v);
          for (const m of h.people.map((p) => p.mobile)) if (m && !byPhone.has(m)) byPhone.set(m, r.householdId);
          if (opts.dryRun) {
            for (const [key, v] of r.known) dryMade.known.set(key, v);
            for (const m of h.people.map((p) => p.mobile)) if (m && !dryMade.phones.has(m)) dryMade.phones.set(m, r.householdId);
          }
          if (r.family) families.push(r.family);
          if (r.people === 0 && !r.created) summary.unchangedHouseholds++;
          else {
            summary.households++;
            summary.people += r.people;
          }
        } catch (e) {
          summary.skippedRows += h.rows.length;
          const why = e instanceof HouseholdRefused ? e.message : `could not be saved (${(e as Error).message.slice(0, 120)})`;
          for (const row of h.rows) summary.problems.push({ row, message: `household ${h.key} ${why}: nothing of it was imported` });
        }
      }
      if (families.length && !opts.dryRun && (await enqueueWebhooks(trx as Knex.Transaction, [], [familyCreatedEvent(siteId, 'import', families)])))
        enqueued = true;
    };
    if (opts.dryRun) await work(db);
    else await db.transaction(work);
    if (enqueued) notifyWebhookOutbox();
    enqueued = false;
    await opts.onProgress?.(Math.min(total, i + CHUNK), total);
  }
  if (!opts.dryRun && opts.actor)
    await insertAudit(db, opts.actor, {
      siteId,
      action: 'household.import',
      entity: 'household',
      details: { format: plan.format, households: summary.households, people: summary.people, skippedRows: summary.skippedRows },
    });
  summary.problems.sort((a, b) => a.row - b.row);
  return summary;
}

/** A household refused before anything of it is written (the reason names the rows concerned). */
class HouseholdRefused extends Error {}

type Known = Map<string, { entityId: string; householdId: string | null }>;

/**
 * One household, whole or not at all (the caller's savepoint undoes a failure half-way). A source
 * person already imported stays in the family they are in: the household is refused when the
 * file places them in another one (the first run's earlier household, a re-run, a later file),
 * so a family is never made of children whose guardian was skipped as already known.
 */
async function writeHousehold(
  t: Knex.Transaction | Knex,
  siteId: string,
  source: string,
  h: ImportHousehold,
  known: Known,
  byPhone: Map<string, string>,
  dryRun: boolean,
) {
  const k = (entity: string, id: string) => `${entity}:${id}`;
  const knownHousehold = known.get(k('household', h.key));
  if (knownHousehold && !knownHousehold.householdId) throw new HouseholdRefused('was imported before and that family is no longer here (merged or removed)');
  let householdId = knownHousehold?.householdId ?? null;
  let created = false;
  // a family already here with one of these mobiles (registered at a kiosk, or earlier in this file): complete it
  if (!householdId) householdId = h.people.map((p) => (p.mobile ? byPhone.get(p.mobile) : undefined)).find(Boolean) ?? null;
  if (!householdId) created = true;
  // a dry run's new family has no id: a stand-in keeps this household's people apart from every other family
  const target = householdId ?? `new:${h.key}`;
  const elsewhere = h.people.filter((p) => p.personId && known.has(k(p.kind, p.personId)) && known.get(k(p.kind, p.personId))!.householdId !== target);
  if (elsewhere.length)
    throw new HouseholdRefused(
      elsewhere
        .map(
          (p) =>
            `lists ${p.kind} ${p.personId} (row ${p.row}), already imported in another family${known.get(k(p.kind, p.personId!))!.householdId ? '' : ' since removed'}`,
        )
        .join('; '),
    );
  const existing =
    householdId && !householdId.startsWith('new:')
      ? await repo.householdPeople(t, householdId)
      : { phones: new Set<string>(), children: new Map<string, string>(), guardiansByPhone: new Map<string, string>(), pickups: new Set<string>() };
  const childKey = (p: { firstName: string; birthdate: string | null }) => `${foldName(p.firstName)}|${p.birthdate ?? ''}`;
  const ext: { site_id: string; source: string; entity: string; external_id: string; entity_id: string }[] = [];
  const guardians: ImportPerson[] = [];
  const children: ImportPerson[] = [];
  const seen = new Set<string>();
  for (const p of h.people) {
    if (p.personId) {
      // already in this family, or listed twice in this household
      if (known.has(k(p.kind, p.personId)) || seen.has(k(p.kind, p.personId))) continue;
      seen.add(k(p.kind, p.personId));
    }
    if (p.kind === 'guardian') {
      const same = existing.guardiansByPhone.get(p.mobile!);
      if (same) {
        if (p.personId) ext.push({ site_id: siteId, source, entity: 'guardian', external_id: p.personId, entity_id: same });
        continue;
      }
      if (guardians.some((g) => g.mobile === p.mobile)) continue;
      guardians.push(p);
    } else {
      const same = existing.children.get(childKey(p));
      if (same) {
        if (p.personId) ext.push({ site_id: siteId, source, entity: 'child', external_id: p.personId, entity_id: same });
        continue;
      }
      children.push(p);
    }
  }
  // the rule itself, whatever the path: no family ends up with children and no guardian
  const hasGuardian =
    existing.guardiansByPhone.size > 0 ||
    guardians.length > 0 ||
    h.people.some((p) => p.kind === 'guardian' && p.personId && known.get(k('guardian', p.personId))?.householdId === target);
  if ((created || children.length > 0) && !hasGuardian)
    throw new HouseholdRefused(`would have no guardian (rows ${h.rows.join(', ')}: the guardians are skipped or already imported)`);
  const people = guardians.length + children.length;
  const made: Known = new Map();
  const remember = (rows: typeof ext) => {
    for (const e of rows) made.set(k(e.entity, e.external_id), { entityId: e.entity_id, householdId: target });
  };
  if (dryRun) {
    remember([
      ...(knownHousehold ? [] : [{ site_id: siteId, source, entity: 'household', external_id: h.key, entity_id: target }]),
      ...ext,
      ...[...guardians, ...children]
        .filter((p) => p.personId)
        .map((p) => ({ site_id: siteId, source, entity: p.kind, external_id: p.personId!, entity_id: target })),
    ]);
    return { created, people, householdId: target, known: made, family: null };
  }
  if (created) householdId = await repo.insertHousehold(t, siteId, h.name);
  const id = householdId!;
  if (!knownHousehold) ext.push({ site_id: siteId, source, entity: 'household', external_id: h.key, entity_id: id });
  if (guardians.length) {
    const ids = await repo.insertGuardians(
      t,
      guardians.map((g) => ({
        household_id: id,
        first_name: g.firstName,
        last_name: g.lastName,
        phone: g.mobile!,
        // the church's own system held these parents as texted; the consent is the import's (DESIGN §19)
        ...smsConsentColumns(t, true, 'import'),
      })),
    );
    guardians.forEach((g, i) => {
      if (g.personId) ext.push({ site_id: siteId, source, entity: 'guardian', external_id: g.personId, entity_id: ids[i]! });
    });
  }
  const newChildren: CreatedFamily['children'] = [];
  if (children.length) {
    const ids = await repo.insertChildren(
      t,
      children.map((c) => ({
        household_id: id,
        first_name: c.firstName,
        last_name: c.lastName,
        birthdate: c.birthdate,
        grade: c.grade,
        allergies: c.allergies,
        medical_notes: c.medicalNotes,
        allergy_severity: c.allergySeverity ?? null,
        care_needs: c.careNeeds ?? [],
      })),
    );
    children.forEach((c, i) => {
      if (c.personId) ext.push({ site_id: siteId, source, entity: 'child', external_id: c.personId, entity_id: ids[i]! });
      newChildren.push({ childId: ids[i]!, firstName: c.firstName, lastName: c.lastName });
    });
  }
  const pickups = h.pickups.filter((p) => !existing.pickups.has(foldName(p.name)));
  if (pickups.length && (created || people > 0))
    await repo.insertPickups(
      t,
      pickups.map((p) => ({ household_id: id, name: p.name, relationship: p.relationship, phone: p.phone })),
    );
  if (ext.length) await repo.insertExternalIds(t, ext);
  for (const e of ext) made.set(k(e.entity, e.external_id), { entityId: e.entity_id, householdId: e.entity === 'household' ? e.entity_id : id });
  const family: CreatedFamily | null = created ? { householdId: id, name: h.name, children: newChildren } : null;
  return { created, people, householdId: id, known: made, family };
}
