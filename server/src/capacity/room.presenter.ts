import type { ServiceRoom } from '../../../contracts';
import { roomLimit, roomStatus, type RoomState } from './rules';

export interface SiteRules {
  enforceRatios: boolean;
  softThresholdPct: number;
}

export function presentServiceRoom(serviceId: string, r: RoomState, rules: SiteRules): ServiceRoom {
  const limit = roomLimit(r, rules.enforceRatios);
  return {
    id: r.roomId,
    serviceId,
    name: r.name,
    kind: r.kind,
    ageGroup: r.ageGroup || r.name,
    open: r.open,
    capacity: r.capacity,
    volunteers: r.volunteers,
    ratio: r.ratio,
    ratioOverride: r.ratioOverride,
    headcount: r.headcount,
    limit,
    status: roomStatus(r, limit, rules.softThresholdPct),
    sortOrder: r.sortOrder,
    version: r.version ?? 0,
    minAgeMonths: r.minAgeMonths,
    maxAgeMonths: r.maxAgeMonths,
    minGrade: r.minGrade,
    maxGrade: r.maxGrade,
  };
}
