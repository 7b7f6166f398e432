import type { Knex } from 'knex';
import type { PhotoKind } from '../../../contracts';

type Db = Knex | Knex.Transaction;

/** The column of `photos` naming each kind of person, and the person's table. */
export const PERSON: Record<PhotoKind, { column: string; table: string }> = {
  child: { column: 'child_id', table: 'children' },
  guardian: { column: 'guardian_id', table: 'guardians' },
  pickup: { column: 'authorized_pickup_id', table: 'authorized_pickups' },
  restricted: { column: 'custody_alert_id', table: 'custody_alerts' },
};

/** A check-in kiosk shows back its own photo for this long (the registration screen), and takes photos of a family it registered for this long. */
export const KIOSK_FRESH_MINUTES = 15;

export interface PersonRow {
  id: string;
  organization_id: string;
  household_id: string;
  site_id: string;
}

/** The person a photo is of, with their family's campus and organisation; locked (the photo replaces under it). */
export function lockPerson(trx: Knex.Transaction, kind: PhotoKind, id: string): Promise<PersonRow | undefined> {
  const { table } = PERSON[kind];
  return trx(`${table} as x`)
    .join('households as h', 'h.id', 'x.household_id')
    .select('x.id', 'x.organization_id', 'x.household_id', 'h.site_id')
    .where('x.id', id)
    .forUpdate('x')
    .first();
}

export const guardianOf = (db: Db, householdId: string, guardianId: string) =>
  db('guardians')
    .select('id', 'first_name', 'last_name')
    .where({ id: guardianId, household_id: householdId })
    .first<{ id: string; first_name: string; last_name: string } | undefined>();

export interface PhotoInsert {
  organization_id: string;
  image: Buffer;
  width: number;
  height: number;
  bytes: number;
  consent_guardian_id: string | null;
  consent_guardian_name: string | null;
  consented: boolean;
  uploaded_by_user_id: string | null;
  uploaded_by_kiosk_id: string | null;
}

/** Replaces the person's photo (a new id, so a screen holding the old url never shows the new face under it). */
export async function replacePhoto(trx: Knex.Transaction, kind: PhotoKind, personId: string, p: PhotoInsert) {
  const { column } = PERSON[kind];
  await trx('photos')
    .where({ [column]: personId, organization_id: p.organization_id })
    .delete();
  const { consented, ...row } = p;
  const [r] = await trx('photos')
    .insert({ ...row, [column]: personId, consented_at: consented ? trx.fn.now() : null })
    .returning(['id', 'width', 'height', 'bytes']);
  return r as { id: string; width: number; height: number; bytes: number };
}

export const deletePhoto = (trx: Knex.Transaction, kind: PhotoKind, personId: string, organizationId: string) =>
  trx('photos')
    .where({ [PERSON[kind].column]: personId, organization_id: organizationId })
    .delete()
    .returning<{ id: string }[]>('id');

export interface PhotoMeta {
  id: string;
  organization_id: string;
  household_id: string;
  site_id: string;
  child_id: string | null;
  uploaded_by_kiosk_id: string | null;
  fresh: boolean;
}

/** A photo's owner (family, campus, organisation) without its bytes. */
export function photoMeta(db: Db, photoId: string): Promise<PhotoMeta | undefined> {
  return db('photos as p')
    .leftJoin('children as ch', 'ch.id', 'p.child_id')
    .leftJoin('guardians as g', 'g.id', 'p.guardian_id')
    .leftJoin('authorized_pickups as ap', 'ap.id', 'p.authorized_pickup_id')
    .leftJoin('custody_alerts as ca', 'ca.id', 'p.custody_alert_id')
    .join('households as h', 'h.id', db.raw('coalesce(ch.household_id, g.household_id, ap.household_id, ca.household_id)'))
    .select(
      'p.id',
      'p.organization_id',
      'h.id as household_id',
      'h.site_id',
      'p.child_id',
      'p.uploaded_by_kiosk_id',
      db.raw('(p.created_at > now() - make_interval(mins => ?)) AS fresh', [KIOSK_FRESH_MINUTES]),
    )
    .where('p.id', photoId)
    .first();
}

export const photoBytes = async (db: Db, photoId: string) =>
  ((await db('photos').select('image').where({ id: photoId }).first()) as { image: Buffer } | undefined)?.image;

/**
 * Whether this user or kiosk presented the family's code or pass at this campus and the pass is
 * still good (the `pickup.verify` audit row of POST /api/pickups/verify is the record of it).
 */
export async function wasHandedFamilyCode(db: Db, actor: { kind: string; id: string; siteId: string }, householdId: string): Promise<boolean> {
  const r = await db.raw(
    `SELECT EXISTS (
       SELECT 1 FROM checkin_batches b
         JOIN pickup_passes p ON p.batch_id = b.id AND p.expires_at > now()
         JOIN audit_log a ON a.entity = 'checkin_batch' AND a.entity_id = b.id
        WHERE b.household_id = :householdId AND b.site_id = :siteId
          AND a.action = 'pickup.verify' AND a.actor_kind = :kind AND a.actor_id = :actorId) AS handed`,
    { householdId, siteId: actor.siteId, kind: actor.kind, actorId: actor.id },
  );
  return !!r.rows[0]?.handed;
}

/** The rooms the child is checked in to now, among the rooms this person is checked in to (same day): empty when none. */
export async function sharedRooms(db: Db, userId: string, childId: string): Promise<string[]> {
  const r = await db.raw(
    `SELECT DISTINCT c.room_id FROM checkins c
       JOIN volunteer_shifts v ON v.room_id = c.room_id AND v.user_id = :userId AND v.checked_out_at IS NULL
       JOIN services s ON s.id = v.service_id AND s.service_date = c.service_date
      WHERE c.child_id = :childId AND c.status = 'checked_in'`,
    { userId, childId },
  );
  return r.rows.map((x: { room_id: string }) => x.room_id);
}

/** This check-in kiosk registered the family a few minutes ago (its `household.create` audit row). */
export async function kioskRegisteredJustNow(db: Db, kioskId: string, householdId: string): Promise<boolean> {
  const r = await db.raw(
    `SELECT EXISTS (SELECT 1 FROM audit_log WHERE entity = 'household' AND entity_id = :householdId
        AND action = 'household.create' AND actor_kind = 'kiosk' AND actor_id = :kioskId
        AND at > now() - make_interval(mins => :minutes)) AS yes`,
    { householdId, kioskId, minutes: KIOSK_FRESH_MINUTES },
  );
  return !!r.rows[0]?.yes;
}

/** The photo ids of a family's people, keyed `kind:personId` (each arm: the family's people by household_id, their photo by its unique key). */
export async function familyPhotoIds(db: Db, householdId: string): Promise<Map<string, string>> {
  const arms = Object.entries(PERSON).map(
    ([kind, { column, table }]) =>
      `SELECT p.id, '${kind}' AS kind, x.id AS person_id FROM ${table} x JOIN photos p ON p.${column} = x.id AND p.organization_id = x.organization_id WHERE x.household_id = :householdId`,
  );
  const r = await db.raw(arms.join(' UNION ALL '), { householdId });
  return new Map((r.rows as { id: string; kind: string; person_id: string }[]).map((p) => [`${p.kind}:${p.person_id}`, p.id]));
}

export interface FamilyPhotoPerson {
  kind: 'child' | 'guardian';
  id: string;
  first_name: string;
  last_name: string;
  has_photo: boolean;
}
/** A family's children and guardians with whether each has a photo (the family's own photo form): one statement. */
export function familyPhotoPeople(db: Db, householdId: string): Promise<FamilyPhotoPerson[]> {
  return db
    .select('*')
    .from(
      db
        .select(
          db.raw("'child' AS kind"),
          'c.id',
          'c.first_name',
          'c.last_name',
          db.raw('EXISTS (SELECT 1 FROM photos p WHERE p.child_id = c.id) AS has_photo'),
        )
        .from('children as c')
        .where('c.household_id', householdId)
        .unionAll(
          db
            .select(
              db.raw("'guardian' AS kind"),
              'g.id',
              'g.first_name',
              'g.last_name',
              db.raw('EXISTS (SELECT 1 FROM photos p WHERE p.guardian_id = g.id) AS has_photo'),
            )
            .from('guardians as g')
            .where('g.household_id', householdId),
        )
        .as('x'),
    )
    .orderBy(['kind', 'first_name', 'id']);
}
