/**
 * Alerts true to the moment (DESIGN §15): a forecast ("Open a new Toddlers room — full in ~7 min
 * at the current rate") is about children still to arrive, so it clears once the service's
 * check-in has closed — whether or not anything else happens in the room. Every instance runs it;
 * the UPDATE clears each alert once, and only its clearer pushes `alert.cleared`.
 */
import type { AppContext } from '../context';
import type { Tx } from '../db/transaction';
import { startPeriodic } from '../periodic';
import { presentAlert } from './alerts.presenter';
import { clearClosedForecasts } from './alerts.repo';

export async function clearForecastsOfClosedServices(tx: Tx): Promise<number> {
  const cleared = await clearClosedForecasts(tx.trx);
  for (const row of cleared) tx.events.push({ name: 'alert.cleared', siteId: row.site_id, audience: 'staff', payload: presentAlert(row) });
  return cleared.length;
}

export function startForecastSweep(ctx: AppContext, everyMs: number): () => void {
  return startPeriodic(everyMs, async () => {
    try {
      const n = await ctx.tx((tx) => clearForecastsOfClosedServices(tx));
      if (n) ctx.logger.info({ cleared: n }, 'forecast alerts of closed check-ins cleared');
    } catch (err) {
      ctx.logger.warn({ err }, 'forecast sweep failed; it runs again later');
    }
  });
}
