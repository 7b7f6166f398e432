import type { AlertEvent } from '../../../contracts';
import { iso } from '../../../contracts/rules';
import type { AlertRow } from './alerts.repo';

/** A wall display's copy: the room numbers, never who was turned away (a TV is read by everyone). */
export const forDisplay = (a: AlertEvent): AlertEvent => ({
  ...a,
  message: a.message
    .replace(/^A child of the .+? was turned away/, 'A child was turned away')
    // a headcount alarm's names stay off the TV: the count and the room are what the lobby needs
    .replace(/ — not marked present: .*$/s, ' — children not marked present'),
});

export function presentAlert(row: AlertRow): AlertEvent {
  return {
    id: row.id,
    serviceId: row.service_id,
    kind: row.kind,
    ageGroup: row.age_group,
    roomIds: row.room_ids ?? [],
    message: row.message,
    projectedMinutes: row.projected_minutes,
    raisedAt: iso(row.raised_at),
    clearedAt: iso(row.cleared_at),
    acknowledgedAt: iso(row.acknowledged_at),
  };
}
