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

export async function remainingInBatch(trx: Knex.Transaction, batchId: string): Promise<number> {
  const r = await trx('checkins').count<{ n: number }[]>('* as n').where({ batch_id: batchId, status: 'checked_in' });
  return Number(r[0]?.n ?? 0);
}

export const revokePass = (trx: Knex.Transaction, batchId: string) =>
  trx('pickup_passes').where({ batch_id: batchId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
