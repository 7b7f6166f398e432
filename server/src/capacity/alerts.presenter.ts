import type { AlertEvent } from '../../../contracts';
import { iso } from '../../../contracts/rules';

export function presentAlert(row: Record<string, any>): AlertEvent {
  return {
    id: row.id, serviceId: row.service_id, kind: row.kind, ageGroup: row.age_group, roomIds: row.room_ids ?? [],
    message: row.message, projectedMinutes: row.projected_minutes, raisedAt: iso(row.raised_at),
    clearedAt: iso(row.cleared_at), acknowledgedAt: iso(row.acknowledged_at),
  };
}
