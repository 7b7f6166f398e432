import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/**
 * A pickup pass's life, decided in one place for every route that takes a pass token (the pass
 * page, its "pre-check in for next time", verify and checkout at the door): it expires at the end
 * of the service day and is used up at the family's last checkout (revoked), whichever comes first.
 */
export type PassLife = 'live' | 'used' | 'expired';
const PASS_LIFE_SQL = "CASE WHEN p.expires_at <= now() THEN 'expired' WHEN p.revoked_at IS NOT NULL THEN 'used' ELSE 'live' END";

export interface PassRow {
  pass_id: string;
  batch_id: string;
  site_id: string;
  service_id: string;
  household_id: string;
  organization_id: string;
  security_code: string | null;
  language: string | null;
  expires_at: Date;
  service_name: string;
  site_name: string;
  timezone: string;
  life: PassLife;
}

/** A pass by its token hash, whatever its life (each route decides what a used or expired pass may still do). */
export function findPass(db: Db, tokenHash: string): Promise<PassRow | undefined> {
  return db('pickup_passes as p')
    .join('checkin_batches as b', 'b.id', 'p.batch_id')
    .join('services as s', 's.id', 'b.service_id')
    .join('sites as st', 'st.id', 'b.site_id')
    .join('households as h', 'h.id', 'b.household_id')
    .select(
      'p.id as pass_id',
      'p.batch_id',
      'b.site_id',
      'b.service_id',
      'b.household_id',
      'h.organization_id',
      'b.security_code',
      'h.language',
      'p.expires_at',
      's.name as service_name',
      'st.name as site_name',
      'st.timezone',
      db.raw(`${PASS_LIFE_SQL} AS life`),
    )
    .where('p.token_hash', tokenHash)
    .first();
}

/** The family's children on the pass: first name, room and where each check-in stands. */
export function passChildren(
  db: Db,
  batchId: string,
): Promise<{ first_name: string; room_name: string; status: 'checked_in' | 'checked_out' | 'cancelled' }[]> {
  return db('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .join('rooms as r', 'r.id', 'c.room_id')
    .select('ch.first_name', 'r.name as room_name', 'c.status')
    .where('c.batch_id', batchId)
    .orderBy(['ch.first_name', 'c.id']);
}
