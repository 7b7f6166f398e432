import type { Service, TodayService } from '../../../contracts';
import { iso } from '../../../contracts/rules';
import type { ServiceRow, TodayServiceRow } from './services.repo';
const day = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));
export const presentService = (s: ServiceRow): Service => ({
  id: s.id,
  siteId: s.site_id,
  name: s.name,
  startsAt: iso(s.starts_at),
  checkinOpensAt: iso(s.checkin_opens_at),
  checkinClosesAt: iso(s.checkin_closes_at),
});
export const presentTodayService = (s: TodayServiceRow): TodayService => ({
  ...presentService(s),
  serviceDate: day(s.service_date),
  checkinOpen: !!s.checkin_open,
  childrenIn: Number(s.children_in ?? 0),
});
