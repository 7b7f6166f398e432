import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** Revokes the family's active code, if any (issuing again, or staff revoking). */
export async function revokeActive(trx: Knex.Transaction, householdId: string): Promise<number> {
  return trx('household_express_codes').where({ household_id: householdId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
}
export async function insertCode(
  trx: Knex.Transaction,
  row: { organization_id: string; household_id: string; code_hash: string; created_by: string | null },
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
