/** The retention pass's queries (one per function; cut-offs are bindings, never SQL text). */
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export const listOrganizations = (db: Db): Promise<{ id: string; settings: unknown }[]> => db('organizations').select('id', 'settings').orderBy('id');
export const findOrganizationSettings = (db: Db, id: string): Promise<{ settings: unknown } | undefined> =>
  db('organizations').select('settings').where({ id }).first();
export const lockOrganizationSettings = (trx: Knex.Transaction, id: string): Promise<{ settings: unknown } | undefined> =>
  trx('organizations').select('settings').where({ id }).forUpdate().first();
export const updateOrganizationSettings = (trx: Knex.Transaction, id: string, settings: Record<string, unknown>) =>
  trx('organizations')
    .where({ id })
    .update({ settings: JSON.stringify(settings) });

/** This instance's turn at the organisation's retention, until its transaction ends (false: another instance holds it). */
export async function tryLockOrganization(trx: Knex.Transaction, organizationId: string): Promise<boolean> {
  const { rows } = await trx.raw('SELECT pg_try_advisory_xact_lock(hashtext(:k)) AS ok', { k: `retention:${organizationId}` });
  return Boolean(rows[0]?.ok);
}

/** Uploaded import files older than the cut-off are dropped (the job's report stays; a rerun then asks for the file again). */
export async function dropImportFiles(trx: Knex.Transaction, organizationId: string, before: Date): Promise<number> {
  const { rowCount } = await trx.raw(
    `UPDATE import_jobs SET source_text = NULL
      WHERE organization_id = :organizationId AND source_text IS NOT NULL AND created_at < :before AND status <> 'running'`,
    { organizationId, before },
  );
  return rowCount ?? 0;
}

/** Message bodies older than the cut-off are emptied (the message stays as a fact: kind, status, times); unsent ones are left. */
export async function dropMessageBodies(trx: Knex.Transaction, organizationId: string, before: Date): Promise<number> {
  const { rowCount } = await trx.raw(
    `UPDATE notifications SET body = '', updated_at = now()
      WHERE organization_id = :organizationId AND created_at < :before AND body <> '' AND status NOT IN ('pending', 'sending')`,
    { organizationId, before },
  );
  return rowCount ?? 0;
}

/** Families not erased, registered before the cut-off, with no check-in since it and no child in a room now. */
export async function inactiveFamilies(db: Db, organizationId: string, before: Date): Promise<string[]> {
  const { rows } = await db.raw(
    `SELECT h.id FROM households h
      WHERE h.organization_id = :organizationId AND h.erased_at IS NULL AND h.created_at < :before
        AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.household_id = h.id AND (c.checked_in_at >= :before OR c.status = 'checked_in'))
      ORDER BY h.id`,
    { organizationId, before },
  );
  return rows.map((r: { id: string }) => r.id);
}
