/** The check-in work a run sends: each household once, and the request that checks one in at a kiosk of its site. */
import crypto from 'node:crypto';
import type { Seeded } from './db';
import type { Req } from './load';
import { PLAN, PUSH_RATE } from './options';
import { shuffle } from './stats';

export interface Pair {
  householdId: string;
  siteId: string;
  serviceId: string;
  childIds: string[];
}

/**
 * Every household once, for one of its site's services (a child still in a room is refused a
 * second service, so household × service would measure refusals), shuffled; some of the first
 * site's set aside for the push run, and some of the last site's first service for the rooms-full
 * phase (reused in turn: a refused family checks nobody in).
 */
export function workQueues(s: Seeded): { main: Pair[]; push: Pair[]; full: Pair[]; fullServiceId: string } {
  const pairs: Pair[] = [];
  const fullSite = s.siteIds[s.siteIds.length - 1]!;
  const fullServiceId = s.services.get(fullSite)![0]!;
  const full: Pair[] = [];
  for (const h of s.households) {
    const services = s.services.get(h.siteId)!;
    const p = { householdId: h.id, siteId: h.siteId, serviceId: services[Math.floor(Math.random() * services.length)]!, childIds: h.childIds };
    if (h.siteId === fullSite && full.length < 2000) full.push({ ...p, serviceId: fullServiceId });
    else pairs.push(p);
  }
  shuffle(pairs);
  const needPush = PUSH_RATE * PLAN.pushSeconds + 50;
  const push: Pair[] = [];
  const main: Pair[] = [];
  for (const p of pairs) (p.siteId === s.siteIds[0] && push.length < needPush ? push : main).push(p);
  return { main, push, full, fullServiceId };
}

/** A request maker over a queue of work: POST /api/checkins by a random kiosk of the family's site; null when the queue is empty. */
export const checkinRequests = (seeded: Seeded) => (q: Pair[]) => (): Req | null => {
  const p = q.pop();
  if (!p) return null;
  const tokens = seeded.kioskTokens.get(p.siteId)!;
  return {
    method: 'POST',
    path: '/api/checkins',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[Math.floor(Math.random() * tokens.length)]}` },
    body: JSON.stringify({ serviceId: p.serviceId, householdId: p.householdId, childIds: p.childIds, idempotencyKey: crypto.randomUUID() }),
  };
};
