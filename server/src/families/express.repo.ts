import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** Revokes the family's active code, if any (issuing again, or staff revoking). */
export async function revokeActive(trx: Knex.Transaction, householdId: string): Promise<number> {
  return trx('household_express_codes').where({ household_id: householdId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
}
export async function insertCode(
  trx: Knex.Transaction,
  row: { id: string; organization_id: string; household_id: string; code_hash: string; created_by: string | null },
): Promise<{ created_at: Date }> {
  const [r] = await trx('household_express_codes').insert(row).returning(['created_at']);
  return r;
}
export const activeCode = (db: Db, householdId: string): Promise<{ created_at: Date } | undefined> =>
  db('household_express_codes').select('created_at').where({ household_id: householdId }).whereNull('revoked_at').first();
/** The household of an active code of this organisation (the unique code_hash index). */
export async function householdOfCode(db: Db, organizationId: string, codeHash: string): Promise<string | undefined> {
  const r = await db('household_express_codes')
    .select('household_id')
    .where({ code_hash: codeHash, organization_id: organizationId })
    .whereNull('revoked_at')
    .first();
  return r?.household_id;
}
/** The active row (its id derives the code; the hash checks the derivation). */
export const activeCodeRow = (db: Db, householdId: string): Promise<{ id: string; code_hash: string } | undefined> =>
  db('household_express_codes').select('id', 'code_hash').where({ household_id: householdId }).whereNull('revoked_at').first();
/** A first code for a family without one; nothing when another request just made one (the one-active index). */
export async function insertCodeIfNone(
  db: Db,
  row: { id: string; organization_id: string; household_id: string; code_hash: string; created_by: string | null },
): Promise<boolean> {
  const r = await db.raw(
    `INSERT INTO household_express_codes (id, organization_id, household_id, code_hash, created_by)
     VALUES (:id, :organization_id, :household_id, :code_hash, :created_by)
     ON CONFLICT (household_id, organization_id) WHERE revoked_at IS NULL DO NOTHING RETURNING id`,
    row,
  );
  return r.rows.length > 0;
}
