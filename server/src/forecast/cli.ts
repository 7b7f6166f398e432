/**
 * `npm run forecast -- --backtest (--campus NAME | --campus-id UUID) [--org NAME] [--weeks N]`
 * (DESIGN §17): for each weekly slot of the campus (its latest past service), each past occurrence
 * is left out in turn and forecast from the 8 before it; prints per age group the mean absolute
 * error of the expected total (%), of the fill times (minutes), and the share of late advice.
 */
import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { createDb } from '../db/knex';
import { startDatabase } from '../db/embedded';
import { migrateLatest } from '../db/migrate';
import { CampusChoiceError, resolveCampus } from '../import/import.jobs';
import { findServiceContext } from '../sites/sites.repo';
import { listServiceRooms } from '../capacity/capacity.repo';
import { ageGroupsOf, loadHistory } from './history';
import { backtest, type BacktestResult } from './backtest';
import { findServiceSchedule } from './history.repo';
import { CURVE_END_MINUTE } from './forecast.service';
import type { PlanRoom } from './method';

export interface GroupBacktest extends BacktestResult {
  slot: string;
  group: string;
}

/** The campus's slots: its latest past service (with rooms) per schedule (or weekday and local start). */
async function latestPerSlot(db: Knex, siteId: string, timezone: string): Promise<string[]> {
  const r = await db.raw(
    `SELECT DISTINCT ON (slot) id FROM (
       SELECT id, starts_at, coalesce(CAST(schedule_id AS text), to_char(starts_at AT TIME ZONE :tz, 'D HH24:MI')) AS slot
         FROM services WHERE site_id = :siteId AND checkin_closes_at < now()
          AND EXISTS (SELECT 1 FROM service_rooms sr WHERE sr.service_id = services.id)) s
      ORDER BY slot, starts_at DESC`,
    { siteId, tz: timezone },
  );
  return (r.rows as { id: string }[]).map((x) => x.id);
}

/** The backtest of every slot and age group of a campus over the last `weeks` weeks. */
export async function backtestCampus(db: Knex, siteId: string, weeks = 52): Promise<GroupBacktest[]> {
  const out: GroupBacktest[] = [];
  for (const id of await latestPerSlot(db, siteId, (await db('sites').where({ id: siteId }).first('timezone')).timezone)) {
    const s = (await findServiceContext(db, id))!;
    const startsAt = new Date(s.startsAt);
    const week = 7 * 86_400_000;
    // a virtual next occurrence a week after the latest: every held one is then in its history
    const target = {
      serviceId: s.id,
      siteId: s.siteId,
      timezone: s.timezone,
      serviceDate: new Date(Date.parse(`${String(s.serviceDate).slice(0, 10)}T00:00:00Z`) + week).toISOString().slice(0, 10),
      startsAt: new Date(startsAt.getTime() + week),
      checkinOpensAt: new Date(new Date(s.checkinOpensAt).getTime() + week),
      checkinClosesAt: new Date(new Date(s.checkinClosesAt).getTime() + week),
      scheduleId: await findServiceSchedule(db, s.id),
    };
    const rooms = await listServiceRooms(db, s.id);
    const groups = ageGroupsOf(rooms);
    const history = await loadHistory(db, target, groups, weeks, weeks + 1);
    const fromMinute = Math.round((target.checkinOpensAt.getTime() - target.startsAt.getTime()) / 60_000);
    const label = `${s.name} (${startsAt.toISOString().slice(11, 16)} UTC)`;
    for (const g of groups) {
      // the rooms as a Sunday starts: the first regular room of the group open, the others to be opened
      const first = g.rooms.filter((r) => r.kind === 'regular').sort((a, b) => a.sortOrder - b.sortOrder)[0];
      const planRooms: PlanRoom[] = g.rooms.map((r) => ({
        roomId: r.roomId,
        name: r.name,
        kind: r.kind,
        sortOrder: r.sortOrder,
        open: r === first,
        capacity: r.capacity,
        ratio: r.ratio,
        volunteers: 0,
      }));
      out.push({ slot: label, group: g.key, ...backtest(history.byGroup.get(g.key) ?? [], planRooms, { fromMinute, toMinute: CURVE_END_MINUTE }) });
    }
  }
  return out;
}

const fmt = (x: number | null, digits = 1, unit = '') => (x == null ? '—' : `${x.toFixed(digits)}${unit}`);
export function formatBacktest(rows: GroupBacktest[]): string {
  const lines = ['slot | age group | services | total MAE (% of mean) | typical Sundays | total MAPE | fill MAE | rooms needed | late advice | ms/forecast'];
  for (const r of rows)
    lines.push(
      `${r.slot} | ${r.group} | ${r.services} | ${fmt(r.totalMaePct, 1, ' %')} | ${fmt(r.typicalTotalMaePct, 1, ' %')} | ${fmt(r.totalMapePct, 1, ' %')} | ${fmt(r.fillMaeMinutes, 1, ' min')} | ${r.roomsNeeded} | ${fmt(r.lateShare == null ? null : r.lateShare * 100, 0, ' %')} | ${r.msPerForecast.toFixed(2)}`,
    );
  return lines.join('\n');
}

const USAGE = 'usage: npm run forecast -- --backtest (--campus NAME | --campus-id UUID) [--org NAME] [--weeks N]';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const val = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const campus = val('campus');
  const campusId = val('campus-id');
  const weeks = Number(val('weeks') ?? 52);
  if (!argv.includes('--backtest') || !(campus || campusId) || !Number.isInteger(weeks) || weeks < 2) {
    console.error(USAGE);
    return 1;
  }
  const config = loadConfig();
  const database = await startDatabase(config, () => {});
  const db = createDb(database.url, 2);
  try {
    await migrateLatest(db);
    const site = await resolveCampus(db, { campus, campusId, org: val('org') });
    const rows = await backtestCampus(db, site.id, weeks);
    console.log(rows.length ? formatBacktest(rows) : `no past services at "${site.name}" to backtest`);
    return 0;
  } catch (e) {
    console.error(e instanceof CampusChoiceError ? `no campus chosen: ${e.message}` : (e as Error).message);
    return 1;
  } finally {
    await db.destroy();
    await database.stop();
  }
}

if (require.main === module)
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
