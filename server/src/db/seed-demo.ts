/**
 * The demo site (DESIGN §8): rooms for every age group plus an overflow room, a service whose
 * check-in is open now, 50 households, one user per role and a kiosk. Only into an empty database.
 */
import type { Knex } from 'knex';
import { hashPassword } from '../auth/crypto';
import { dateInTimezone } from '../capacity/rules';

export const DEMO_PASSWORD = 'kidsclub';
export const DEMO_USERS = [
  { email: 'admin@demo.church', role: 'admin', name: 'Avery Admin' },
  { email: 'staff@demo.church', role: 'staff', name: 'Sam Staff' },
  { email: 'volunteer@demo.church', role: 'volunteer', name: 'Vic Volunteer' },
] as const;
/** Checked in to the demo's open rooms, two to a room (DESIGN §15: a room's ratio follows who is there). */
export const DEMO_VOLUNTEERS = [
  'Rosa Reyes',
  'Ben Carter',
  'Amara Obi',
  'Tom Fischer',
  'Lena Park',
  'Omar Haddad',
  'Ivy Chen',
  'Joel Brooks',
  'Nia Adams',
  'Sean Walsh',
];
export const DEMO_ROOMS = [
  { name: 'Nursery', age_group: 'Nursery', min_age_months: 0, max_age_months: 17, default_capacity: 12, ratio: 3, sort_order: 1 },
  { name: 'Toddlers', age_group: 'Toddlers', min_age_months: 18, max_age_months: 35, default_capacity: 15, ratio: 5, sort_order: 2 },
  { name: 'Preschool', age_group: 'Preschool', min_age_months: 36, max_age_months: 71, default_capacity: 20, ratio: 8, sort_order: 3 },
  { name: 'K–2nd', age_group: 'K–2nd', min_grade: 0, max_grade: 2, default_capacity: 30, ratio: 10, sort_order: 4 },
  { name: '3rd–5th', age_group: '3rd–5th', min_grade: 3, max_grade: 5, default_capacity: 30, ratio: 12, sort_order: 5 },
  {
    name: 'Overflow (Fellowship Hall)',
    age_group: 'Overflow',
    kind: 'overflow',
    min_age_months: 18,
    max_age_months: 71,
    default_capacity: 25,
    ratio: 8,
    sort_order: 9,
  },
];
const FIRST = [
  'Liam',
  'Olivia',
  'Noah',
  'Emma',
  'Mateo',
  'Ava',
  'Elijah',
  'Sofia',
  'Lucas',
  'Mia',
  'Levi',
  'Isla',
  'Ezra',
  'Zoe',
  'Leo',
  'Nora',
  'Kai',
  'Luna',
  'Eli',
  'Ruby',
];
const LAST = [
  'Garcia',
  'Smith',
  'Nguyen',
  'Johnson',
  'Okafor',
  'Brown',
  'Martinez',
  'Kim',
  'Davis',
  'Lopez',
  'Wilson',
  'Patel',
  'Anderson',
  'Thomas',
  'Moore',
  'Jackson',
  'Lee',
  'Harris',
  'Clark',
  'Lewis',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
];
const PARENTS = ['Maria', 'James', 'Grace', 'David', 'Hannah', 'Daniel', 'Sarah', 'Michael', 'Rachel', 'Chris'];

export async function isEmpty(db: Knex): Promise<boolean> {
  const r = await db('sites').count<{ n: number }[]>('* as n');
  return Number(r[0]?.n) === 0;
}

export async function seedDemo(db: Knex): Promise<{ siteId: string; kioskId: string }> {
  return db.transaction(async (trx) => {
    const timezone = 'America/Chicago';
    const [site] = await trx('sites')
      .insert({
        name: 'Demo Church — Main Campus',
        timezone,
        // ratios `warn` (DESIGN §15): a newcomer's first check-in works; the README says how to turn `enforce` on
        settings: JSON.stringify({ strategy: 'fill_in_order', softThresholdPct: 80, ratioEnforcement: 'warn', labelFooter: 'Kids’ Club' }),
      })
      .returning('id');
    const siteId = site.id as string;
    const rooms = await trx('rooms')
      .insert(DEMO_ROOMS.map((r) => ({ kind: 'regular', ...r, site_id: siteId })))
      .returning(['id', 'default_capacity', 'ratio', 'kind']);
    // a service that starts within the hour; check-in open from an hour before to two hours after
    const startsAt = new Date(Date.now() + 30 * 60_000);
    // on the half hour by UTC's clock, which is Chicago's (whole-hour offsets), whatever the process's TZ
    startsAt.setUTCMinutes(startsAt.getUTCMinutes() < 30 ? 30 : 60, 0, 0);
    const [service] = await trx('services')
      .insert({
        site_id: siteId,
        name: 'Weekend Service',
        starts_at: startsAt,
        checkin_opens_at: new Date(startsAt.getTime() - 90 * 60_000),
        checkin_closes_at: new Date(startsAt.getTime() + 120 * 60_000),
        service_date: dateInTimezone(startsAt, timezone),
      })
      .returning('id');
    await trx('service_rooms').insert(
      rooms.map((r) => ({
        service_id: service.id,
        room_id: r.id,
        open: r.kind === 'regular',
        capacity: r.default_capacity,
        volunteers: 0,
      })),
    );
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await trx('users').insert(DEMO_USERS.map((u) => ({ ...u, site_id: siteId, password_hash: passwordHash })));
    // cleared volunteers checked in to the open rooms (two adults each), so every card shows its ratio live
    // (not on a schema from before volunteers: the migration test seeds an old database with this seed)
    // where consent to texts is kept (not on a schema from before it)
    const consentKept = await trx.schema.hasColumn('guardians', 'sms_consent_at');
    if (await trx.schema.hasTable('volunteer_shifts')) await seedServingVolunteers(trx, { siteId, serviceId: service.id, rooms, passwordHash });
    const [kiosk] = await trx('kiosks').insert({ site_id: siteId, name: 'Lobby kiosk 1', mode: 'checkin' }).returning('id');

    const today = new Date();
    const birthdate = (months: number) => {
      const d = new Date(today);
      d.setUTCMonth(d.getUTCMonth() - months);
      return d.toISOString().slice(0, 10);
    };
    for (let i = 0; i < 50; i++) {
      const last = LAST[i % LAST.length]!;
      const [h] = await trx('households')
        .insert({ site_id: siteId, name: `${last} family${i >= LAST.length ? ` (${Math.floor(i / LAST.length) + 1})` : ''}` })
        .returning('id');
      // 555-01xx numbers are reserved for fiction; the last 4 digits are 01NN
      await trx('guardians').insert({
        household_id: h.id,
        first_name: PARENTS[i % PARENTS.length],
        last_name: last,
        phone: `+1512555${String(100 + i).padStart(4, '0')}`,
        sms_opt_in: true,
        ...(consentKept && { sms_consent_at: trx.fn.now(), sms_consent_source: 'desk' }),
      });
      const kids = 1 + (i % 3);
      for (let k = 0; k < kids; k++) {
        const months = [8, 24, 48, 80, 110][(i + k * 2) % 5]!;
        const grade = months >= 72 ? Math.min(5, Math.floor((months - 66) / 12)) : null;
        await trx('children').insert({
          household_id: h.id,
          first_name: FIRST[(i * 3 + k) % FIRST.length],
          last_name: last,
          birthdate: birthdate(months),
          grade,
          allergies: i % 7 === 0 && k === 0 ? 'Peanuts' : '',
          medical_notes: i % 11 === 0 && k === 0 ? 'Inhaler in bag' : '',
        });
      }
      if (i % 5 === 0) await trx('authorized_pickups').insert({ household_id: h.id, name: `Grandma ${last}`, relationship: 'grandmother' });
      if (i === 7)
        await trx('custody_alerts').insert({
          household_id: h.id,
          name: `Jordan ${last}`,
          note: 'Court order on file — do not release; call the campus pastor',
        });
    }
    return { siteId, kioskId: kiosk.id as string };
  });
}

/** Cleared volunteers checked in to the demo's open rooms, two adults each (DESIGN §15: ratios count who is there). */
async function seedServingVolunteers(
  trx: Knex.Transaction,
  { siteId, serviceId, rooms, passwordHash }: { siteId: string; serviceId: string; rooms: { id: string; kind: string }[]; passwordHash: string },
) {
  const serving = await trx('users')
    .insert(
      DEMO_VOLUNTEERS.map((name, i) => ({
        site_id: siteId,
        email: `serve${i + 1}@demo.church`,
        name,
        role: 'volunteer',
        password_hash: passwordHash,
        background_check_status: 'cleared',
        background_check_expires_on: new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
      })),
    )
    .returning(['id', 'organization_id']);
  const openRooms = rooms.filter((r) => r.kind === 'regular');
  const shifts = serving.map((u, i) => ({
    organization_id: u.organization_id,
    site_id: siteId,
    service_id: serviceId,
    room_id: openRooms[Math.floor(i / 2)]!.id,
    user_id: u.id,
  }));
  await trx('volunteer_shifts').insert(shifts);
  for (const r of openRooms)
    await trx('service_rooms')
      .where({ service_id: serviceId, room_id: r.id })
      .update({ volunteers: shifts.filter((x) => x.room_id === r.id).length });
}
