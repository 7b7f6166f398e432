import type { Knex } from 'knex';
import { foldName } from '../../../contracts/rules';
import type { ImportJob } from '../../../contracts/staff/import';

type Db = Knex | Knex.Transaction;

/**
 * `entity:external_id` → our id and the family it is in now (null when the row is gone), for the
 * ids of one chunk: a source person already imported is only ever completed in that family.
 */
export async function knownExternalIds(
  db: Db,
  siteId: string,
  source: string,
  ids: { entity: string; id: string }[],
): Promise<Map<string, { entityId: string; householdId: string | null }>> {
  const out = new Map<string, { entityId: string; householdId: string | null }>();
  if (!ids.length) return out;
  const { rows } = await db.raw(
    `
    SELECT e.entity, e.external_id, e.entity_id, coalesce(h.id, g.household_id, c.household_id) AS household_id FROM external_ids e
    JOIN unnest(:entities::text[], :ids::text[]) AS q(entity, external_id) ON q.entity = e.entity AND q.external_id = e.external_id
    LEFT JOIN households h ON e.entity = 'household' AND h.id = e.entity_id
    LEFT JOIN guardians g ON e.entity = 'guardian' AND g.id = e.entity_id
    LEFT JOIN children c ON e.entity = 'child' AND c.id = e.entity_id
    WHERE e.site_id = :siteId AND e.source = :source`,
    { siteId, source, entities: ids.map((i) => i.entity), ids: ids.map((i) => i.id) },
  );
  for (const r of rows) out.set(`${r.entity}:${r.external_id}`, { entityId: r.entity_id, householdId: r.household_id ?? null });
  return out;
}
/** Mobile → household of the site that already has a guardian with it. */
export async function householdsByMobiles(db: Db, siteId: string, phones: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!phones.length) return out;
  const { rows } = await db.raw(
    `SELECT g.phone, min(h.id::text) AS household_id FROM guardians g JOIN households h ON h.id = g.household_id
    WHERE g.phone = ANY(:phones) AND h.site_id = :siteId GROUP BY g.phone`,
    { phones: [...new Set(phones)], siteId },
  );
  for (const r of rows) out.set(r.phone, r.household_id);
  return out;
}
export async function householdPeople(db: Db, householdId: string) {
  const [guardians, children, pickups] = [
    await db('guardians').select('id', 'phone').where({ household_id: householdId }),
    await db('children').select('id', 'first_name', 'birthdate').where({ household_id: householdId }),
    await db('authorized_pickups').select('name').where({ household_id: householdId }),
  ];
  const iso = (d: unknown) =>
    d instanceof Date
      ? `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
      : d
        ? String(d).slice(0, 10)
        : '';
  return {
    phones: new Set(guardians.map((g) => g.phone as string)),
    guardiansByPhone: new Map(guardians.map((g) => [g.phone as string, g.id as string])),
    children: new Map(children.map((c) => [`${foldName(c.first_name)}|${iso(c.birthdate)}`, c.id as string])),
    pickups: new Set(pickups.map((p) => foldName(p.name))),
  };
}
export async function insertHousehold(db: Db, siteId: string, name: string): Promise<string> {
  const [r] = await db('households').insert({ site_id: siteId, name }).returning('id');
  return r.id;
}
export async function insertGuardians(db: Db, rows: Record<string, unknown>[]): Promise<string[]> {
  return (await db('guardians').insert(rows).returning('id')).map((r: { id: string }) => r.id);
}
export async function insertChildren(db: Db, rows: Record<string, unknown>[]): Promise<string[]> {
  return (await db('children').insert(rows).returning('id')).map((r: { id: string }) => r.id);
}
export const insertPickups = (db: Db, rows: Record<string, unknown>[]) => db('authorized_pickups').insert(rows);
export const insertExternalIds = (db: Db, rows: Record<string, unknown>[]) => db('external_ids').insert(rows);
/** Every campus with its organisation (the CLI chooses one by name; a database holds a handful). */
export const campusesWithOrganizations = (db: Db): Promise<{ id: string; name: string; org_id: string; org_name: string }[]> =>
  db('sites as st')
    .join('organizations as o', 'o.id', 'st.organization_id')
    .select('st.id', 'st.name', 'o.id as org_id', 'o.name as org_name')
    .orderBy([{ column: 'o.name' }, { column: 'st.name' }, { column: 'st.id' }]);
// ---- jobs (the staff screen's progress bar) ----
export async function insertJob(
  db: Db,
  row: {
    site_id: string;
    user_id: string;
    kind?: 'households' | 'attendance';
    format: string;
    dry_run: boolean;
    total: number;
    source_text: string;
    options: string;
    rerun_of: string | null;
  },
): Promise<string> {
  const [r] = await db('import_jobs')
    .insert({ ...row, status: 'running', heartbeat_at: db.fn.now() })
    .returning('id');
  return r.id;
}
export const updateJob = (db: Db, id: string, patch: Record<string, unknown>) => db('import_jobs').where({ id }).update(patch);
export const beatJob = (db: Db, id: string) => db('import_jobs').where({ id, status: 'running' }).update({ heartbeat_at: db.fn.now() });
/** An `import_jobs` row as the progress screen reads it (without the kept file, only whether it is kept). */
export interface ImportJobRow {
  id: string;
  kind: ImportJob['kind'];
  status: ImportJob['status'];
  format: string;
  dry_run: boolean;
  total: number;
  processed: number;
  summary: ImportJob['summary'];
  problems: ImportJob['problems'];
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
  rerun_of: string | null;
  has_source: boolean;
}
export const findJob = (db: Db, siteId: string, id: string): Promise<ImportJobRow | undefined> =>
  db('import_jobs')
    .select('id', 'kind', 'status', 'format', 'dry_run', 'total', 'processed', 'summary', 'problems', 'error', 'created_at', 'finished_at', 'rerun_of')
    .select(db.raw('(source_text IS NOT NULL) AS has_source'))
    .where({ id, site_id: siteId })
    .first();
/** The kept file of a job and the options it ran with (JSON: format, mapping, encoding); source_text is null once purged. */
export const jobSource = (db: Db, siteId: string, id: string): Promise<{ source_text: string | null; options: Record<string, unknown> } | undefined> =>
  db('import_jobs').select('source_text', 'options').where({ id, site_id: siteId }).first();
/** Running jobs whose heartbeat (or, for jobs from before heartbeats, start) is older than `before`. */
export async function markStaleJobs(db: Db, before: Date, error: string, id?: string): Promise<number> {
  const q = db('import_jobs').where({ status: 'running' }).whereRaw('coalesce(heartbeat_at, created_at) < ?', [before]);
  if (id) q.andWhere({ id });
  return q.update({ status: 'interrupted', error, finished_at: db.fn.now() });
}
