/** Builders for the check-in decision's unit tests (decide.ts): a service of 2026-12-06 open 14:30–16:00 UTC, and a Toddlers room. */
import type { ServiceRoomJson } from '../../server/src/checkin/checkin.repo';
import { parseSettings, type ServiceContext } from '../../server/src/sites/sites.repo';

export const service = (id = 's1', settings: Record<string, unknown> = { ratioEnforcement: 'off' }, o: Partial<ServiceContext> = {}): ServiceContext => ({
  id,
  siteId: 'site',
  name: id,
  startsAt: new Date('2026-12-06T15:00:00Z'),
  checkinOpensAt: new Date('2026-12-06T14:30:00Z'),
  checkinClosesAt: new Date('2026-12-06T16:00:00Z'),
  serviceDate: '2026-12-06',
  siteName: 'Main',
  timezone: 'America/Chicago',
  settings: parseSettings(settings),
  ...o,
});

export const room = (id: string, o: Partial<ServiceRoomJson> = {}): ServiceRoomJson => ({
  service_id: 's1',
  room_id: id,
  open: true,
  capacity: 2,
  volunteers: 2,
  ratio_override: false,
  name: id,
  kind: 'regular',
  sort_order: 1,
  age_group: 'Toddlers',
  ratio: null,
  min_age_months: 18,
  max_age_months: 35,
  min_grade: null,
  max_grade: null,
  care_needs: [],
  location: null,
  ...o,
});
