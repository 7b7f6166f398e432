import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** Every room of the campus, archived ones too: their past arrivals are history all the same. */
export const roomsOf = (db: Db, siteId: string): Promise<{ id: string; name: string }[]> =>
  db('rooms')
    .select('id', 'name')
    .where({ site_id: siteId })
    .orderBy([{ column: 'archived' }, { column: 'sort_order' }, { column: 'name' }]);

/** Source person id → child id, for children of this organisation a family import of `source` recorded. */
export async function childrenByExternalIds(db: Db, organizationId: string, source: string, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const { rows } = await db.raw(
    `SELECT e.external_id, min(c.id::text) AS child_id, count(DISTINCT c.id) AS n FROM external_ids e
    JOIN children c ON c.id = e.entity_id AND c.organization_id = :organizationId
    WHERE e.organization_id = :organizationId AND e.source = :source AND e.entity = 'child' AND e.external_id = ANY(:ids::text[])
    GROUP BY e.external_id`,
    { organizationId, source, ids },
  );
  for (const r of rows) if (Number(r.n) === 1) out.set(r.external_id, r.child_id);
  return out;
}

/** The organisation's children born on one of these dates (names are compared folded, in the service). */
export async function childrenByBirthdates(
  db: Db,
  organizationId: string,
  dates: string[],
): Promise<{ id: string; first_name: string; last_name: string; birthdate: string }[]> {
  if (!dates.length) return [];
  const { rows } = await db.raw(
    `SELECT c.id, c.first_name, c.last_name, to_char(c.birthdate, 'YYYY-MM-DD') AS birthdate FROM children c
    WHERE c.organization_id = :organizationId AND c.birthdate = ANY(:dates::date[])`,
    { organizationId, dates },
  );
  return rows;
}

export async function existingRowKeys(db: Db, siteId: string, source: string, keys: string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows: { row_key: string }[] = await db('attendance_history').select('row_key').where({ site_id: siteId, source }).whereIn('row_key', keys);
  return new Set(rows.map((r) => r.row_key));
}

/** Inserts the rows not imported before (same campus, source and row_key); the number inserted. */
export async function insertHistory(db: Db, rows: Record<string, unknown>[]): Promise<number> {
  if (!rows.length) return 0;
  const inserted = await db('attendance_history').insert(rows).onConflict(['site_id', 'source', 'row_key', 'organization_id']).ignore().returning('id');
  return inserted.length;
}

/** The organisation a campus belongs to (the rows carry it; children are matched within it). */
export async function organizationOfSite(db: Db, siteId: string): Promise<string | null> {
  const r = await db('sites').select('organization_id').where({ id: siteId }).first();
  return (r?.organization_id as string | undefined) ?? null;
}
