/**
 * Every test builds its own site with `buildSite()`, so tests never share rows or depend on order.
 * Tokens are minted straight into the database (no scrypt, no HTTP) to keep tests fast; the
 * login and pairing paths have tests of their own.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { newToken, sha256 } from '../../server/src/auth/crypto';
import { dateInTimezone } from '../../server/src/capacity/rules';
import type { Role } from '../../contracts';

export interface RoomSpec {
  name: string;
  ageGroup?: string;
  kind?: 'regular' | 'overflow';
  minAgeMonths?: number | null;
  maxAgeMonths?: number | null;
  minGrade?: number | null;
  maxGrade?: number | null;
  capacity?: number;
  ratio?: number | null;
  volunteers?: number;
  open?: boolean;
  sortOrder?: number;
}
export interface BuiltSite {
  siteId: string;
  organizationId: string;
  serviceId: string;
  timezone: string;
  rooms: Record<string, string>;
  tokens: Record<Role, string> & { kiosk: string };
  userIds: Record<Role, string>;
  kioskId: string;
}

export const DEFAULT_ROOMS: RoomSpec[] = [
  { name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 10, ratio: 3, volunteers: 4, sortOrder: 1 },
  { name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 2, sortOrder: 2 },
  { name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 10, ratio: 8, volunteers: 2, sortOrder: 3 },
  { name: 'K-2', minGrade: 0, maxGrade: 2, capacity: 10, ratio: 10, volunteers: 1, sortOrder: 4 },
  { name: 'Overflow', kind: 'overflow', minAgeMonths: 18, maxAgeMonths: 71, capacity: 5, ratio: null, volunteers: 1, sortOrder: 9 },
];

let seq = 0;
const unique = (p: string) => `${p}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

export async function buildSite(
  db: Knex,
  opts: {
    rooms?: RoomSpec[];
    settings?: Record<string, unknown>;
    timezone?: string;
    /** minutes from now: defaults to a window open from 30 min ago to 2 h from now */
    opensInMinutes?: number;
    closesInMinutes?: number;
    name?: string;
    /** another campus of this organisation; without it the site is an organisation of its own */
    organizationId?: string;
  } = {},
): Promise<BuiltSite> {
  const timezone = opts.timezone ?? 'America/Chicago';
  const [site] = await db('sites')
    .insert({
      name: opts.name ?? unique('Site'),
      timezone,
      settings: JSON.stringify(opts.settings ?? {}),
      ...(opts.organizationId ? { organization_id: opts.organizationId } : {}),
    })
    .returning(['id', 'organization_id']);
  // the service starts in half an hour — but near the campus's midnight that would be tomorrow while
  // every test's "today" is the campus's today: then it starts at the last minute of today
  const today = dateInTimezone(new Date(), timezone);
  let startsAt = new Date(Date.now() + 30 * 60_000);
  while (dateInTimezone(startsAt, timezone) !== today) startsAt = new Date(startsAt.getTime() - 60_000);
  const [service] = await db('services')
    .insert({
      site_id: site.id,
      name: 'Test Service',
      starts_at: startsAt,
      checkin_opens_at: new Date(Date.now() + (opts.opensInMinutes ?? -30) * 60_000),
      checkin_closes_at: new Date(Date.now() + (opts.closesInMinutes ?? 120) * 60_000),
      service_date: dateInTimezone(startsAt, timezone),
    })
    .returning('id');
  const rooms: Record<string, string> = {};
  for (const [i, r] of (opts.rooms ?? DEFAULT_ROOMS).entries()) {
    const [row] = await db('rooms')
      .insert({
        site_id: site.id,
        name: r.name,
        age_group: r.ageGroup ?? r.name,
        kind: r.kind ?? 'regular',
        min_age_months: r.minAgeMonths ?? null,
        max_age_months: r.maxAgeMonths ?? null,
        min_grade: r.minGrade ?? null,
        max_grade: r.maxGrade ?? null,
        default_capacity: r.capacity ?? 10,
        ratio: r.ratio === undefined ? null : r.ratio,
        sort_order: r.sortOrder ?? i,
      })
      .returning('id');
    rooms[r.name] = row.id;
    await db('service_rooms').insert({
      service_id: service.id,
      room_id: row.id,
      open: r.open ?? true,
      capacity: r.capacity ?? 10,
      volunteers: r.volunteers ?? 0,
    });
  }
  const tokens = {} as BuiltSite['tokens'];
  const userIds = {} as BuiltSite['userIds'];
  for (const role of ['admin', 'staff', 'volunteer'] as const) {
    const [u] = await db('users')
      .insert({ site_id: site.id, email: `${unique(role)}@test.church`.toLowerCase(), name: `Test ${role}`, role, password_hash: 'x' })
      .returning('id');
    userIds[role] = u.id;
    tokens[role] = await sessionFor(db, u.id);
  }
  const kioskToken = newToken('k');
  const [kiosk] = await db('kiosks')
    .insert({ site_id: site.id, name: unique('Kiosk'), mode: 'checkin', token_hash: sha256(kioskToken) })
    .returning('id');
  tokens.kiosk = kioskToken;
  return { siteId: site.id, organizationId: site.organization_id, serviceId: service.id, timezone, rooms, tokens, userIds, kioskId: kiosk.id };
}

export async function sessionFor(db: Knex, userId: string): Promise<string> {
  const token = newToken('u');
  await db('sessions').insert({ user_id: userId, token_hash: sha256(token), expires_at: new Date(Date.now() + 3600_000) });
  return token;
}

export async function kioskToken(db: Knex, siteId: string, mode: 'checkin' | 'pickup' = 'checkin'): Promise<string> {
  const token = newToken('k');
  await db('kiosks').insert({ site_id: siteId, name: unique('Kiosk'), mode, token_hash: sha256(token) });
  return token;
}

/**
 * A birthdate that makes a child `months` old on `today` (a calendar date, YYYY-MM-DD, in the
 * site's timezone — the date the server computes ages on), mid-month, away from boundaries.
 */
export function birthdateForMonths(months: number, today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const b = new Date(Date.UTC(y, m - 1 - months, 1));
  b.setUTCDate(Math.min(d, 28) - (d > 1 ? 1 : 0) || 1);
  return b.toISOString().slice(0, 10);
}

export interface ChildSpec {
  firstName?: string;
  months?: number;
  grade?: number;
  allergies?: string;
  medicalNotes?: string;
}
export interface BuiltHousehold {
  householdId: string;
  childIds: string[];
  phone: string;
  guardianId: string;
}

/** A household with one guardian (unique phone) and the given children. */
export async function buildHousehold(
  db: Knex,
  siteId: string,
  children: ChildSpec[] = [{ months: 24 }],
  opts: { phone?: string; smsOptIn?: boolean; lastName?: string } = {},
): Promise<BuiltHousehold> {
  const lastName = opts.lastName ?? `Fam${crypto.randomInt(1e6)}`;
  // never one ending 0000: the local Twilio-compatible server refuses those as invalid (its test "bad number")
  const phone = opts.phone ?? `+1312${String(crypto.randomInt(2e6, 9999999)).padStart(7, '0')}`.replace(/0000$/, '0001');
  const site = await db('sites').select('timezone').where({ id: siteId }).first();
  const today = dateInTimezone(new Date(), site?.timezone ?? 'UTC');
  const [h] = await db('households')
    .insert({ site_id: siteId, name: `${lastName} family` })
    .returning('id');
  const [g] = await db('guardians')
    .insert({ household_id: h.id, first_name: 'Pat', last_name: lastName, phone, sms_opt_in: opts.smsOptIn ?? true })
    .returning('id');
  const childIds: string[] = [];
  for (const [i, c] of children.entries()) {
    const [row] = await db('children')
      .insert({
        household_id: h.id,
        first_name: c.firstName ?? `Kid${i + 1}`,
        last_name: lastName,
        birthdate: c.months != null ? birthdateForMonths(c.months, today) : null,
        grade: c.grade ?? null,
        allergies: c.allergies ?? '',
        medical_notes: c.medicalNotes ?? '',
      })
      .returning('id');
    childIds.push(row.id);
  }
  return { householdId: h.id, childIds, phone, guardianId: g.id };
}

export const key = () => crypto.randomUUID();

/**
 * Another service of the site on the same day, using the same physical rooms (with its own
 * capacities and volunteers): by default overlapping the first one's check-in window.
 */
export async function addService(
  db: Knex,
  site: BuiltSite,
  opts: {
    name?: string;
    startsInMinutes?: number;
    opensInMinutes?: number;
    closesInMinutes?: number;
    rooms?: Record<string, { capacity?: number; volunteers?: number; open?: boolean }>;
  } = {},
): Promise<string> {
  const first = await db('services').where({ id: site.serviceId }).first();
  const [service] = await db('services')
    .insert({
      site_id: site.siteId,
      name: opts.name ?? 'Second Service',
      starts_at: new Date(Date.now() + (opts.startsInMinutes ?? 90) * 60_000),
      checkin_opens_at: new Date(Date.now() + (opts.opensInMinutes ?? -10) * 60_000),
      checkin_closes_at: new Date(Date.now() + (opts.closesInMinutes ?? 150) * 60_000),
      service_date: first.service_date,
    })
    .returning('id');
  const rooms = await db('service_rooms').where({ service_id: site.serviceId });
  for (const r of rooms) {
    const name = Object.entries(site.rooms).find(([, id]) => id === r.room_id)?.[0] ?? '';
    const o = opts.rooms?.[name] ?? {};
    await db('service_rooms').insert({
      service_id: service.id,
      room_id: r.room_id,
      open: o.open ?? r.open,
      capacity: o.capacity ?? r.capacity,
      volunteers: o.volunteers ?? r.volunteers,
    });
  }
  return service.id;
}

/**
 * Gives a kiosk a network label printer at `address` (DESIGN §18: printers are records a kiosk
 * names), or none with null. Returns the printer's id.
 */
export async function givePrinter(db: Knex, kioskId: string, address: string | null, name?: string): Promise<string | null> {
  if (address === null) {
    await db('kiosks').where({ id: kioskId }).update({ printer_id: null });
    return null;
  }
  const kiosk = await db('kiosks').select('site_id', 'organization_id', 'name').where({ id: kioskId }).first();
  const [p] = await db('printers')
    .insert({ organization_id: kiosk.organization_id, site_id: kiosk.site_id, name: name ?? `${kiosk.name} printer`, address, type: 'zebra' })
    .returning('id');
  await db('kiosks').where({ id: kioskId }).update({ printer_id: p.id });
  return p.id as string;
}
