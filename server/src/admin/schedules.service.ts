/**
 * Recurring schedules (DESIGN §10): a campus's weekly service times generate its services 8 weeks
 * ahead, in the campus's timezone (09:00 stays 09:00 on the wall across a DST change). Generating
 * is idempotent — `services (schedule_id, service_date)` is unique — so the hourly top-up, a second
 * instance or a retried request make nothing twice. A skipped date is kept and never generated;
 * changing a schedule re-makes its future services that have not opened and have no check-ins.
 */
import type { Schedule, ScheduleCreate, SchedulePatch } from '../../../contracts';
import { addDays, dateInTimezone, instantAt, iso, weekdayOf } from '../../../contracts/rules';
import type { Tx } from '../db/transaction';
import type { AppContext } from '../context';
import type { Actor } from '../auth/actor';
import { AppError, badRequest, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findSite } from '../sites/sites.repo';
import { addServiceRooms, roomsOfSite, tellKiosks } from './schedule.service';
import * as repo from './schedules.repo';
import { promoteGrades } from '../families/grades';
import type { ScheduleRow } from './schedules.repo';
import { startPeriodic } from '../periodic';
import { assertSameSite } from '../policies/ownership';

export const WEEKS_AHEAD = 8;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

async function campus(tx: Tx, siteId: string) {
  const site = await findSite(tx.trx, siteId);
  if (!site) throw notFound('Campus');
  return site;
}

function present(row: ScheduleRow, skips: string[], upcoming: Awaited<ReturnType<typeof repo.generatedFrom>>): Schedule {
  return {
    id: row.id,
    name: row.name,
    weekday: row.weekday,
    time: row.local_time,
    opensBeforeMinutes: row.opens_before_minutes,
    closesAfterMinutes: row.closes_after_minutes,
    roomIds: row.room_ids,
    overflowOpen: row.overflow_open,
    active: row.active,
    skips,
    upcoming: upcoming.filter((u) => u.schedule_id === row.id).map((u) => ({ id: u.id, serviceDate: u.service_date, startsAt: iso(u.starts_at) })),
  };
}

async function presentMany(tx: Tx, rows: ScheduleRow[], today: string): Promise<Schedule[]> {
  const ids = rows.map((r) => r.id);
  const [skips, upcoming] = await Promise.all([repo.skipsOf(tx.trx, ids), repo.generatedFrom(tx.trx, ids, today)]);
  return rows.map((r) => present(r, skips.get(r.id) ?? [], upcoming));
}

/**
 * Makes the missing services of a campus's schedules from today to 8 weeks ahead; returns how many
 * it made. Dates in the campus's timezone; a service whose window has already closed is not made.
 */
export async function generateForSite(tx: Tx, siteId: string, now = new Date(), only?: string): Promise<number> {
  const site = await campus(tx, siteId);
  const schedules = (await repo.listSchedules(tx.trx, siteId)).filter((s) => !only || s.id === only);
  if (!schedules.length) return 0;
  const skips = await repo.skipsOf(
    tx.trx,
    schedules.map((s) => s.id),
  );
  const today = dateInTimezone(now, site.timezone);
  let made = 0;
  for (const s of schedules) {
    const skipped = new Set(skips.get(s.id) ?? []);
    for (let i = 0; i < WEEKS_AHEAD * 7; i++) {
      const date = addDays(today, i);
      if (weekdayOf(date) !== s.weekday || skipped.has(date)) continue;
      const startsAt = instantAt(date, s.local_time, site.timezone);
      const closes = new Date(startsAt.getTime() + s.closes_after_minutes * 60_000);
      if (closes <= now) continue;
      const id = await repo.insertGeneratedService(tx.trx, {
        site_id: siteId,
        schedule_id: s.id,
        name: s.name,
        starts_at: startsAt,
        checkin_opens_at: new Date(startsAt.getTime() - s.opens_before_minutes * 60_000),
        checkin_closes_at: closes,
        service_date: date,
      });
      if (!id) continue;
      await addServiceRooms(tx, siteId, id, { roomIds: s.room_ids, overflowOpen: s.overflow_open });
      made++;
    }
  }
  if (made) await tellKiosks(tx, siteId, 'The service schedule changed');
  return made;
}

/** The generated services of a schedule that nobody has used yet: not open for check-in, nobody checked in. */
async function dropUnusedFuture(tx: Tx, scheduleId: string, today: string, now: Date) {
  const future = await repo.generatedFrom(tx.trx, [scheduleId], today);
  const unused = future.filter((f) => !f.has_checkins && new Date(f.checkin_opens_at) > now).map((f) => f.id);
  await repo.deleteServices(tx.trx, unused);
  return unused.length;
}

async function ownSchedule(tx: Tx, actor: Actor, id: string) {
  const s = await repo.lockSchedule(tx.trx, id);
  assertSameSite(actor, s, 'Schedule');
  if (!s.active) throw notFound('Schedule');
  return s;
}

export async function list(tx: Tx, actor: Actor): Promise<Schedule[]> {
  const site = await campus(tx, actor.siteId);
  return presentMany(tx, await repo.listSchedules(tx.trx, actor.siteId), dateInTimezone(new Date(), site.timezone));
}

export async function create(tx: Tx, actor: Actor, input: ScheduleCreate): Promise<{ schedule: Schedule; generated: number }> {
  const site = await campus(tx, actor.siteId);
  if (input.roomIds) await roomsOfSite(tx, actor.siteId, input.roomIds);
  const row = await repo.insertSchedule(tx.trx, {
    organization_id: actor.organizationId,
    site_id: actor.siteId,
    name: input.name,
    weekday: input.weekday,
    local_time: input.time,
    opens_before_minutes: input.opensBeforeMinutes ?? site.settings.checkinWindowMinutes,
    closes_after_minutes: input.closesAfterMinutes,
    room_ids: input.roomIds ?? null,
    overflow_open: input.overflowOpen,
  });
  const generated = await generateForSite(tx, actor.siteId, new Date(), row.id);
  await insertAudit(tx.trx, actor, { action: 'schedule.create', entity: 'schedule', entityId: row.id, details: { ...input, generated } });
  const [schedule] = await presentMany(tx, [row], dateInTimezone(new Date(), site.timezone));
  return { schedule: schedule!, generated };
}

export async function update(tx: Tx, actor: Actor, id: string, patch: SchedulePatch): Promise<{ schedule: Schedule; generated: number; removed: number }> {
  const before = await ownSchedule(tx, actor, id);
  const site = await campus(tx, actor.siteId);
  if (patch.roomIds) await roomsOfSite(tx, actor.siteId, patch.roomIds);
  const row = await repo.updateSchedule(tx.trx, id, {
    ...(patch.name != null ? { name: patch.name } : {}),
    ...(patch.weekday != null ? { weekday: patch.weekday } : {}),
    ...(patch.time != null ? { local_time: patch.time } : {}),
    ...(patch.opensBeforeMinutes != null ? { opens_before_minutes: patch.opensBeforeMinutes } : {}),
    ...(patch.closesAfterMinutes != null ? { closes_after_minutes: patch.closesAfterMinutes } : {}),
    ...(patch.roomIds !== undefined ? { room_ids: patch.roomIds } : {}),
    ...(patch.overflowOpen != null ? { overflow_open: patch.overflowOpen } : {}),
  });
  const now = new Date();
  const today = dateInTimezone(now, site.timezone);
  // services already open or with children in keep what they were; the rest are made anew
  const removed = await dropUnusedFuture(tx, id, today, now);
  const generated = await generateForSite(tx, actor.siteId, now, id);
  await insertAudit(tx.trx, actor, {
    action: 'schedule.update',
    entity: 'schedule',
    entityId: id,
    details: { patch, before: { name: before.name, weekday: before.weekday, time: before.local_time }, removed, generated },
  });
  const [schedule] = await presentMany(tx, [row], today);
  return { schedule: schedule!, generated, removed };
}

/** Ends a schedule: its future services nobody has used go; past ones and any with check-ins stay. */
export async function remove(tx: Tx, actor: Actor, id: string): Promise<{ removed: number }> {
  const s = await ownSchedule(tx, actor, id);
  const site = await campus(tx, actor.siteId);
  const now = new Date();
  await repo.updateSchedule(tx.trx, id, { active: false });
  const removed = await dropUnusedFuture(tx, id, dateInTimezone(now, site.timezone), now);
  await insertAudit(tx.trx, actor, { action: 'schedule.delete', entity: 'schedule', entityId: id, details: { name: s.name, removed } });
  if (removed) await tellKiosks(tx, actor.siteId, `Service schedule ended: ${s.name}`);
  return { removed };
}

/** Skips one date (Christmas falls on a Sunday): its service goes unless children were checked in to it. */
export async function skip(tx: Tx, actor: Actor, id: string, date: string): Promise<Schedule> {
  const s = await ownSchedule(tx, actor, id);
  const site = await campus(tx, actor.siteId);
  if (weekdayOf(date) !== s.weekday) throw badRequest(`date: ${date} is a ${DAY_NAMES[weekdayOf(date)]}; ${s.name} is on ${DAY_NAMES[s.weekday]}s`, 'date');
  const [service] = (await repo.generatedFrom(tx.trx, [id], date)).filter((g) => g.service_date === date);
  if (service?.has_checkins) throw new AppError(409, 'has_checkins', `date: children were checked in to ${s.name} on ${date}; it cannot be skipped`, 'date');
  await repo.insertSkip(tx.trx, id, date);
  if (service) await repo.deleteServices(tx.trx, [service.id]);
  await insertAudit(tx.trx, actor, { action: 'schedule.skip', entity: 'schedule', entityId: id, details: { date, removedService: service?.id ?? null } });
  if (service) await tellKiosks(tx, actor.siteId, `${s.name} on ${date} is cancelled`);
  const [out] = await presentMany(tx, [s], dateInTimezone(new Date(), site.timezone));
  return out!;
}

/** Takes a skip back: the date's service is made again (when it is within the 8 weeks). */
export async function unskip(tx: Tx, actor: Actor, id: string, date: string): Promise<Schedule> {
  const s = await ownSchedule(tx, actor, id);
  const site = await campus(tx, actor.siteId);
  await repo.deleteSkip(tx.trx, id, date);
  const generated = await generateForSite(tx, actor.siteId, new Date(), id);
  await insertAudit(tx.trx, actor, { action: 'schedule.unskip', entity: 'schedule', entityId: id, details: { date, generated } });
  const [out] = await presentMany(tx, [s], dateInTimezone(new Date(), site.timezone));
  return out!;
}

/** "Make the next 8 weeks now" (admin), the same top-up the server runs every hour. */
export async function generate(tx: Tx, actor: Actor): Promise<{ generated: number }> {
  const generated = await generateForSite(tx, actor.siteId);
  if (generated) await insertAudit(tx.trx, actor, { action: 'schedule.generate', entity: 'site', entityId: actor.siteId, details: { generated } });
  return { generated };
}

/**
 * The hourly top-up: every campus with a schedule keeps 8 weeks of services ahead as the weeks go
 * by, and graded children move up on their campus's promotion date (families/grades.ts). Each
 * campus in its own transaction; safe on several instances at once (the unique keys).
 */
export function startTopUp(ctx: AppContext, everyMs: number): () => void {
  const run = async () => {
    try {
      // the same hourly pass moves graded children up on their campus's promotion date
      const promoted = await promoteGrades(ctx.db);
      if (promoted) ctx.logger.info({ promoted }, 'children moved up a grade');
      for (const siteId of await repo.sitesWithSchedules(ctx.db)) {
        // one campus whose schedules cannot be made (a bad row, a lock timeout) must not leave
        // every campus after it without its services: it is logged and retried on the next pass
        try {
          const made = await ctx.tx((tx) => generateForSite(tx, siteId));
          if (made) ctx.logger.info({ siteId, made }, 'scheduled services made');
        } catch (err) {
          ctx.logger.warn({ err, siteId }, 'schedule top-up failed for this campus; it runs again later');
        }
      }
    } catch (err) {
      ctx.logger.warn({ err }, 'schedule top-up failed; it runs again later');
    }
  };
  return startPeriodic(everyMs, run);
}
