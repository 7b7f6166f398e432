import type { Service } from '../../../contracts';
const iso = (d: Date | string) => new Date(d).toISOString();
export const presentService = (s: Record<string, any>): Service => ({
  id: s.id, siteId: s.site_id, name: s.name, startsAt: iso(s.starts_at),
  checkinOpensAt: iso(s.checkin_opens_at), checkinClosesAt: iso(s.checkin_closes_at),
});
