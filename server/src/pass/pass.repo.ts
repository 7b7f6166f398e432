import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** A pass by its token hash, valid or not (the page explains an expired one). */
export function findPass(db: Db, tokenHash: string) {
  return db('pickup_passes as p')
    .join('checkin_batches as b', 'b.id', 'p.batch_id')
    .join('services as s', 's.id', 'b.service_id')
    .join('sites as st', 'st.id', 'b.site_id')
    .join('households as h', 'h.id', 'b.household_id')
    .select(
      'h.language',
      'b.household_id',
      'h.organization_id',
      'p.id',
      'p.batch_id',
      'p.expires_at',
      'p.revoked_at',
      'b.security_code',
      's.name as service_name',
      's.starts_at',
      'st.name as site_name',
      'st.timezone',
      db.raw('(p.revoked_at IS NULL AND p.expires_at > now()) AS valid'),
    )
    .where('p.token_hash', tokenHash)
    .first();
}

export function passChildren(db: Db, batchId: string) {
  return db('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .join('rooms as r', 'r.id', 'c.room_id')
    .select('ch.first_name', 'r.name as room_name', 'c.status', 'c.checked_out_at', 'c.picked_up_by')
    .where('c.batch_id', batchId)
    .orderBy(['ch.first_name', 'c.id']);
}

/** The family of a pickup pass that still works (its page offers pre-check-in for next time). */
export function findPassHousehold(db: Db, tokenHash: string): Promise<{ household_id: string; site_id: string; organization_id: string } | undefined> {
  return db('pickup_passes as p')
    .join('checkin_batches as b', 'b.id', 'p.batch_id')
    .join('households as h', 'h.id', 'b.household_id')
    .select('b.household_id', 'b.site_id', 'h.organization_id')
    .where('p.token_hash', tokenHash)
    .whereRaw('p.expires_at > now()')
    .first();
}
