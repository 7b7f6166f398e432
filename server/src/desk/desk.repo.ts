import type { Knex } from 'knex';

/** A check-in to cancel at the desk, locked; `today`: its service day is the site's today. */
export function lockCheckinForCancel(trx: Knex.Transaction, checkinId: string) {
  return trx('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .join('sites as st', 'st.id', 'c.site_id')
    .select(
      'c.id',
      'c.site_id',
      'c.service_id',
      'c.room_id',
      'c.batch_id',
      'c.child_id',
      'c.status',
      'c.checked_in_at',
      'ch.first_name',
      trx.raw('(c.service_date = (now() AT TIME ZONE st.timezone)::date) AS today'),
    )
    .where('c.id', checkinId)
    .forUpdate('c')
    .first() as Promise<
    | {
        id: string;
        site_id: string;
        service_id: string;
        room_id: string;
        batch_id: string;
        child_id: string;
        status: string;
        checked_in_at: Date;
        first_name: string;
        today: boolean;
      }
    | undefined
  >;
}

export const markCancelled = (trx: Knex.Transaction, id: string) => trx('checkins').where({ id, status: 'checked_in' }).update({ status: 'cancelled' });

// an undone check-in leaves its batch like a checkout does: the same statements
export { remainingInBatch, revokePass } from '../pickup/pickup.repo';
