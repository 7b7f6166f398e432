import type { AttendanceReport, RollupReport, ServiceReport, Timeline } from '../../../contracts';
import type { Tx } from '../db/transaction';
import { inSequence } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { insertAudit } from '../audit/audit.repo';
import { csvLine, presentAttendance, presentTimeline } from './reports.presenter';
import * as repo from './reports.repo';
import { findSiteRaw } from '../admin/admin.repo';
import { localDateTime } from '../../../contracts/rules/dates';
import { assertSameSite } from '../policies/ownership';

async function countsFor(tx: Tx, siteId: string, services: { id: string; name: string; starts_at: Date; service_date: string }[]) {
  const ids = services.map((s) => s.id);
  if (!ids.length) return [];
  const [rooms, rows] = await inSequence(
    () => repo.serviceRooms(tx.trx, ids),
    () => repo.attendanceRows(tx.trx, ids),
  );
  const first = await repo.firstServiceOfHouseholds(tx.trx, siteId, [...new Set(rows.map((r) => r.household_id))]);
  return services.map((service) => {
    const mine = rows.filter((r) => r.service_id === service.id);
    const firstTime = new Set(mine.map((r) => r.household_id).filter((h) => first.get(h) === service.id));
    return presentAttendance({ service, rooms: rooms.filter((r) => r.service_id === service.id), rows: mine, firstTime });
  });
}

/** Attendance per service and room over a date range, with first-time families. */
export async function attendance(tx: Tx, actor: Actor, from: string, to: string): Promise<AttendanceReport> {
  const services = await repo.servicesInRange(tx.trx, actor.siteId, from, to);
  return { from, to, services: await countsFor(tx, actor.siteId, services) };
}

async function serviceOf(tx: Tx, actor: Actor, id: string) {
  const s = await repo.findService(tx.trx, id);
  assertSameSite(actor, s, 'Service');
  return s;
}

export async function serviceReport(tx: Tx, actor: Actor, id: string): Promise<ServiceReport> {
  const s = await serviceOf(tx, actor, id);
  const [service] = await countsFor(tx, actor.siteId, [s]);
  const rows = await repo.attendanceRows(tx.trx, [id]);
  const first = await repo.firstServiceOfHouseholds(tx.trx, actor.siteId, [...new Set(rows.map((r) => r.household_id))]);
  const firstIds = [...first].filter(([, sid]) => sid === id).map(([h]) => h);
  const kids = await repo.householdsWithChildren(tx.trx, id, firstIds);
  const families = new Map<string, { householdId: string; name: string; children: string[] }>();
  for (const k of kids) {
    const f = families.get(k.household_id) ?? { householdId: k.household_id, name: k.name, children: [] as string[] };
    f.children.push(k.first_name);
    families.set(k.household_id, f);
  }
  return { service: service!, firstTimeFamilies: [...families.values()] };
}

export async function timeline(tx: Tx, actor: Actor, id: string, bucketMinutes: number): Promise<Timeline> {
  const s = await serviceOf(tx, actor, id);
  return presentTimeline(id, bucketMinutes, await repo.timelineCounts(tx.trx, id, bucketMinutes), {
    opensAt: s.checkin_opens_at,
    closesAt: s.checkin_closes_at,
  });
}

/**
 * The attendance CSV: one line per service and room, or (detail=children) one per child checked
 * in. Exporting names is recorded in the audit log.
 */
export async function attendanceCsv(tx: Tx, actor: Actor, q: { from: string; to: string; detail: 'rooms' | 'children' }): Promise<string> {
  const services = await repo.servicesInRange(tx.trx, actor.siteId, q.from, q.to);
  await insertAudit(tx.trx, actor, { action: 'report.export', entity: 'report', details: q });
  // times are the campus's wall clock (a spreadsheet has no timezone), as the staff UI shows them
  const site = await findSiteRaw(tx.trx, actor.siteId);
  const local = (d: Date | string | null) => (d ? localDateTime(d, site?.timezone ?? 'UTC') : '');
  const lines: string[] = [];
  if (q.detail === 'rooms') {
    lines.push(
      csvLine([
        'service_date',
        'service',
        'starts_at',
        'room',
        'children',
        'first_time_children',
        'checked_out',
        'service_children',
        'service_households',
        'service_first_time_households',
      ]),
    );
    for (const s of await countsFor(tx, actor.siteId, services)) {
      for (const r of s.rooms)
        lines.push(
          csvLine([
            s.serviceDate,
            s.name,
            local(s.startsAt),
            r.name,
            r.children,
            r.firstTimeChildren,
            r.checkedOut,
            s.children,
            s.households,
            s.firstTimeHouseholds,
          ]),
        );
    }
  } else {
    lines.push(
      csvLine([
        'service_date',
        'service',
        'starts_at',
        'room',
        'child_first_name',
        'child_last_name',
        'household',
        'first_time_family',
        'checked_in_at',
        'checked_out_at',
        'picked_up_by',
      ]),
    );
    const ids = services.map((s) => s.id);
    const rows = ids.length ? await repo.childRows(tx.trx, ids) : [];
    const first = await repo.firstServiceOfHouseholds(tx.trx, actor.siteId, [...new Set(rows.map((r) => r.household_id))]);
    for (const r of rows) {
      lines.push(
        csvLine([
          r.service_date,
          r.service_name,
          local(r.starts_at),
          r.room_name,
          r.first_name,
          r.last_name,
          r.household_name,
          first.get(r.household_id) === r.service_id ? 'yes' : 'no',
          local(r.checked_in_at),
          local(r.checked_out_at),
          r.picked_up_by ?? '',
        ]),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Organisation admins: every campus's attendance by weekend and age group, with totals. */
export async function rollup(tx: Tx, actor: Actor, from: string, to: string): Promise<RollupReport> {
  const [campuses, rows] = await inSequence(
    () => repo.campusesOf(tx.trx, actor.organizationId),
    () => repo.rollupRows(tx.trx, actor.organizationId, from, to),
  );
  const byWeekend: Record<string, number> = {};
  const byCampus: Record<string, number> = Object.fromEntries(campuses.map((c) => [c.id, 0]));
  for (const r of rows) {
    byWeekend[r.weekend] = (byWeekend[r.weekend] ?? 0) + r.children;
    byCampus[r.site_id] = (byCampus[r.site_id] ?? 0) + r.children;
  }
  return {
    from,
    to,
    campuses: campuses.map((c) => ({ siteId: c.id, name: c.name })),
    ageGroups: [...new Set(rows.map((r) => r.age_group))].sort(),
    weekends: Object.keys(byWeekend).sort(),
    rows: rows.map((r) => ({ weekend: r.weekend, siteId: r.site_id, ageGroup: r.age_group, children: r.children })),
    totals: { byWeekend, byCampus, children: rows.reduce((n, r) => n + r.children, 0) },
  };
}

export async function rollupCsv(tx: Tx, actor: Actor, from: string, to: string): Promise<string> {
  const report = await rollup(tx, actor, from, to);
  const name = new Map(report.campuses.map((c) => [c.siteId, c.name]));
  const lines = [csvLine(['Weekend (Sunday)', 'Campus', 'Age group', 'Children'])];
  for (const r of report.rows) lines.push(csvLine([r.weekend, name.get(r.siteId) ?? '', r.ageGroup, r.children]));
  await insertAudit(tx.trx, actor, {
    action: 'report.export',
    entity: 'organization',
    entityId: actor.organizationId,
    details: { kind: 'rollup', from, to, rows: report.rows.length },
  });
  return lines.join('\r\n') + '\r\n';
}
