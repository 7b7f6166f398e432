/** The check-in's answer: rows → the contracts' LocatedCheckinRow, for a new check-in and for a replay. */
import type { LocatedCheckinResult, LocatedCheckinRow, RefusalReason } from '../../../contracts';
import { allergySeverity } from '../../../contracts/rules';
import type { ServiceContext } from '../sites/sites.repo';
import type { ChildJson, ReplayedCheckinRow, ServiceRoomJson } from './checkin.repo';
import { pickupToken, pickupUrl } from './pickup-token';

export type Refusal = { childId: string; reason: RefusalReason; firstName?: string; serviceId?: string };

/** The check-ins a request admitted, by service start, then first name. */
export function presentAdmitted(
  admitted: { id: string; child_id: string; room_id: string; service_id: string }[],
  children: Map<string, ChildJson>,
  services: ServiceContext[],
  rooms: ServiceRoomJson[],
): LocatedCheckinRow[] {
  const serviceOf = new Map(services.map((s) => [s.id, s]));
  const roomOf = new Map(rooms.map((r) => [r.room_id, r]));
  return admitted
    .map((a) => {
      const s = serviceOf.get(a.service_id)!;
      const c = children.get(a.child_id)!;
      return {
        id: a.id,
        childId: a.child_id,
        roomId: a.room_id,
        roomName: roomOf.get(a.room_id)?.name ?? '',
        roomLocation: roomOf.get(a.room_id)?.location ?? null,
        firstName: c.first_name,
        lastName: c.last_name,
        allergies: c.allergies ?? '',
        allergySeverity: allergySeverity(c.allergy_severity),
        serviceId: s.id,
        serviceName: s.name,
        startsAt: s.startsAt.toISOString(),
      };
    })
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.firstName.localeCompare(b.firstName) || a.id.localeCompare(b.id));
}

/** An earlier request's check-ins, as read again for its replay. */
export function presentReplayed(rows: ReplayedCheckinRow[]): LocatedCheckinRow[] {
  return rows.map((r) => ({
    id: r.id,
    childId: r.child_id,
    roomId: r.room_id,
    roomName: r.room_name,
    roomLocation: r.room_location,
    firstName: r.first_name,
    lastName: r.last_name,
    allergies: r.allergies ?? '',
    allergySeverity: allergySeverity(r.allergy_severity),
    serviceId: r.service_id,
    serviceName: r.service_name,
    startsAt: new Date(r.starts_at).toISOString(),
  }));
}

/** The answer to a check-in (new or replayed): the family's code and pass only when a child is in. */
export function presentResult(
  r: {
    batchId: string;
    requestId: string;
    joined: boolean;
    securityCode: string | null;
    passId: string | null;
    checkins: LocatedCheckinRow[];
    refused: Refusal[];
  },
  deps: { secret: Buffer; baseUrl: string },
): LocatedCheckinResult {
  const admitted = r.checkins.length > 0;
  return {
    batchId: r.batchId,
    requestId: r.requestId,
    joined: r.joined,
    securityCode: admitted ? r.securityCode : null,
    pickupUrl: admitted && r.passId ? pickupUrl(deps.baseUrl, pickupToken(deps.secret, r.passId)) : null,
    checkins: r.checkins,
    refused: r.refused,
  };
}

/** The refusals as answered and recorded: with the child's first name, for the screen and the audit row. */
export const namedRefusals = (refused: { childId: string; reason: RefusalReason; serviceId: string }[], children: Map<string, ChildJson>): Refusal[] =>
  refused.map((r) => ({ ...r, firstName: children.get(r.childId)?.first_name }));
