import type { LocatedAdminRoom, ServiceSummary, SiteInfo } from '../../../contracts';
import { presentService } from '../services/services.presenter';
import type { ServiceRow } from '../services/services.repo';
import type { RoomRow } from './admin.repo';

export const presentRoom = (r: RoomRow): LocatedAdminRoom => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  ageGroup: r.age_group,
  kind: r.kind,
  minAgeMonths: r.min_age_months,
  maxAgeMonths: r.max_age_months,
  minGrade: r.min_grade,
  maxGrade: r.max_grade,
  defaultCapacity: r.default_capacity,
  ratio: r.ratio,
  sortOrder: r.sort_order,
  careNeeds: r.care_needs ?? [],
  location: r.location,
});

export const presentServiceSummary = (s: ServiceRow & { rooms?: number | string; checkins?: number | string }): ServiceSummary => ({
  ...presentService(s),
  serviceDate: String(s.service_date),
  rooms: Number(s.rooms ?? 0),
  checkins: Number(s.checkins ?? 0),
});

export const presentSite = (s: { id: string; name: string; timezone: string }): SiteInfo => ({ id: s.id, name: s.name, timezone: s.timezone });
