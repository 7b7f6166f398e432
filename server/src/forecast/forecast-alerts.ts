/**
 * Alerts ahead (DESIGN §17): `forecast_open_room` ("Toddlers will need a 2nd room at 9:52 — open
 * Toddlers B by 9:42") and `forecast_volunteers`, raised when the forecast's time is within the
 * campus's lead time — before anyone has arrived — and cleared when acted on (the room opened, the
 * adults checked in) or when check-in closes (capacity/forecast-sweep.ts).
 *
 * Computed OFF the check-in path: a periodic pass that every instance runs. Each condition is
 * raised once per service whichever instance gets there first (alerts_condition_once, ON CONFLICT
 * DO NOTHING), and only the instance whose INSERT/UPDATE returned a row pushes the event.
 */
import type { ForecastGroup } from '../../../contracts';
import { wallTimeIn } from '../../../contracts/rules';
import type { AppContext } from '../context';
import type { Tx } from '../db/transaction';
import { startPeriodic } from '../periodic';
import { findServiceContext, type ServiceContext } from '../sites/sites.repo';
import { presentAlert } from '../capacity/alerts.presenter';
import { actedOn } from '../capacity/alerts-ahead';
import { computeForecast, type GroupPlanState } from './forecast.service';
import * as repo from './forecast-alerts.repo';
import { servicesAhead } from './history.repo';

/** services starting within this many hours are looked at */
const AHEAD_HOURS = 12;

export interface AlertAhead {
  kind: 'forecast_open_room' | 'forecast_volunteers';
  ageGroup: string;
  conditionKey: string;
  roomIds: string[];
  message: string;
  projectedMinutes: number | null;
  need: number | null;
}

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

const adults = (n: number) => `${n} ${n === 1 ? 'adult' : 'adults'}`;

/**
 * What to raise now, pure: the first further room whose open-by time is within the lead time, and
 * the first step of adults needed beyond those checked in whose time is within it. Nothing once
 * check-in has closed.
 *
 * The product has no volunteer schedule (no rota of who is due to serve), so before check-in opens
 * "0 checked in" would say nothing: the volunteers alert then names the adults needed per room
 * ("Preschool needs 4 adults by 10:05 — 2 in Preschool A, 2 in Preschool B"); once check-in is
 * open it compares with the adults checked in to the group's open rooms ("Preschool needs 2 more
 * adults by 10:30 — 4 in all (…), 2 checked in").
 */
export function alertsAhead(
  groups: { forecast: ForecastGroup; state: GroupPlanState }[],
  opts: { now: Date; leadMinutes: number; checkinOpensAt: Date; checkinClosesAt: Date; timezone: string },
): AlertAhead[] {
  if (opts.now >= opts.checkinClosesAt) return [];
  const horizon = opts.now.getTime() + opts.leadMinutes * 60_000;
  // "9:42", as DESIGN §17 writes it
  const hhmm = (iso: string) => wallTimeIn(iso, opts.timezone).slice(11, 16).replace(/^0/, '');
  const out: AlertAhead[] = [];
  for (const { forecast: g, state } of groups) {
    const next = g.openBy.find((o) => !state.rooms.find((r) => r.roomId === o.roomId)?.open);
    if (next && Date.parse(next.at) <= horizon) {
      const nth = ordinal(state.rooms.filter((r) => r.open).length + 1);
      out.push({
        kind: 'forecast_open_room',
        ageGroup: g.key,
        conditionKey: `open:${next.roomId}`,
        roomIds: [next.roomId],
        message: next.expectedFullAt
          ? `${g.label} will need a ${nth} room at ${hhmm(next.expectedFullAt)} — open ${next.roomName} by ${hhmm(next.at)}`
          : `${g.label} may need a ${nth} room on a busy day — open ${next.roomName} by ${hhmm(next.at)}`,
        projectedMinutes: next.expectedFullAt ? Math.max(0, Math.round((Date.parse(next.expectedFullAt) - opts.now.getTime()) / 60_000)) : null,
        need: null,
      });
    }
    const short = g.volunteersNeeded.find((v) => v.count > state.volunteersPresent && Date.parse(v.at) <= horizon);
    if (short) {
      const where = short.rooms.map((r) => `${r.count} in ${r.roomName}`).join(', ');
      const present = state.volunteersPresent;
      out.push({
        kind: 'forecast_volunteers',
        ageGroup: g.key,
        conditionKey: `volunteers:${short.count}`,
        roomIds: g.roomIds,
        message:
          opts.now < opts.checkinOpensAt
            ? `${g.label} needs ${adults(short.count)} by ${hhmm(short.at)} — ${where}`
            : `${g.label} needs ${short.count - present} more ${short.count - present === 1 ? 'adult' : 'adults'} by ${hhmm(short.at)} — ${short.count} in all (${where}), ${present} checked in`,
        projectedMinutes: null,
        need: short.count,
      });
    }
  }
  return out;
}

/** One service's pass: clear what was acted on, raise what is due. Returns the number raised. */
export async function evaluateService(tx: Tx, service: ServiceContext, now = new Date()): Promise<number> {
  const { forecast, groups } = await computeForecast(tx.trx, service, now);
  const standing = await repo.standingAhead(tx.trx, service.id);
  const rooms = groups.flatMap((g) => g.rooms);
  for (const a of standing) {
    if (!actedOn(a, rooms)) continue;
    const row = await repo.clearAhead(tx.trx, a.id);
    if (row) tx.events.push({ name: 'alert.cleared', siteId: service.siteId, audience: 'staff', payload: presentAlert(row) });
  }
  const due = alertsAhead(
    forecast.groups.map((g) => ({ forecast: g, state: groups.find((s) => s.key === g.key)! })),
    {
      now,
      leadMinutes: service.settings.forecastLeadMinutes,
      checkinOpensAt: new Date(service.checkinOpensAt),
      checkinClosesAt: new Date(service.checkinClosesAt),
      timezone: service.timezone,
    },
  );
  let raised = 0;
  for (const a of due) {
    const row = await repo.raiseAhead(tx.trx, {
      site_id: service.siteId,
      service_id: service.id,
      kind: a.kind,
      age_group: a.ageGroup,
      room_ids: a.roomIds,
      message: a.message,
      projected_minutes: a.projectedMinutes,
      condition_key: a.conditionKey,
      forecast_need: a.need,
    });
    if (row) {
      raised++;
      tx.events.push({ name: 'alert.raised', siteId: service.siteId, audience: 'staff', payload: presentAlert(row) });
    }
  }
  return raised;
}

/** The pass over every service ahead (each in its own transaction: one failing service does not stop the rest). */
export async function evaluateForecastAlerts(ctx: AppContext, now = new Date()): Promise<number> {
  let raised = 0;
  for (const id of await servicesAhead(ctx.db, AHEAD_HOURS)) {
    try {
      raised += await ctx.tx(async (tx) => {
        const service = await findServiceContext(tx.trx, id);
        return service ? evaluateService(tx, service, now) : 0;
      });
    } catch (err) {
      ctx.logger.warn({ err, serviceId: id }, 'forecast alerts of a service failed; the next pass tries again');
    }
  }
  return raised;
}

export function startForecastAlerts(ctx: AppContext, everyMs: number): () => void {
  return startPeriodic(everyMs, async () => {
    try {
      const n = await evaluateForecastAlerts(ctx);
      if (n) ctx.logger.info({ raised: n }, 'forecast alerts raised');
    } catch (err) {
      ctx.logger.warn({ err }, 'forecast alerts pass failed; it runs again later');
    }
  });
}
