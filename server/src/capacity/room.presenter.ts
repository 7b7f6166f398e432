import type { ServiceRoom } from '../../../contracts';
import { roomLimit, roomStatus, type RatioRules, type RoomState } from './rules';
import { isOverRatio } from '../../../contracts/rules';

export interface SiteRules {
  ratios: RatioRules;
  softThresholdPct: number;
}

/** The room's status, and "over ratio" where staff are warned though kiosks still admit (`warn`, DESIGN §15). */
function statusOf(r: RoomState, limit: number, rules: SiteRules): ServiceRoom['status'] {
  const status = roomStatus(r, limit, rules.softThresholdPct);
  return (status === 'open' || status === 'nearly_full') && isOverRatio(r, rules.ratios) ? 'over_ratio' : status;
}

export function presentServiceRoom(serviceId: string, r: RoomState, rules: SiteRules): ServiceRoom {
  const limit = roomLimit(r, rules.ratios);
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
    status: statusOf(r, limit, rules),
    sortOrder: r.sortOrder,
    version: r.version ?? 0,
    minAgeMonths: r.minAgeMonths,
    maxAgeMonths: r.maxAgeMonths,
    minGrade: r.minGrade,
    maxGrade: r.maxGrade,
  };
}
