import type { PickupVerification } from '../../../contracts';
import { ageInMonths, allergySeverity, iso } from '../../../contracts/rules';

type Rows<T extends (...a: never[]) => unknown> = Awaited<ReturnType<T>>;
type Repo = typeof import('./pickup.repo');

/** What the volunteer at the door sees: the family's children today, who may take them, custody alerts. */
export function presentVerification(v: {
  batch: { id: string; security_code: string; service_id: string };
  serviceDate: string | null;
  children: Rows<Repo['batchChildren']>;
  pickups: Rows<Repo['authorizedPickups']>;
  guardians: Rows<Repo['guardians']>;
  custody: Rows<Repo['custodyAlerts']>;
  householdName: string;
  /** volunteers at the door see that there is a note; staff see what it says */
  seesMedical: boolean;
}): PickupVerification {
  const { batch, serviceDate, children, pickups, guardians, custody, householdName, seesMedical } = v;
  return {
    // the caller presented this code, or the pass that carries it (the door matches the sticker)
    securityCode: batch.security_code,
    batchId: batch.id,
    householdName,
    serviceId: batch.service_id,
    allPickedUp: children.length > 0 && children.every((c) => c.status !== 'checked_in'),
    checkins: children.map((c) => ({
      id: c.id,
      childId: c.child_id,
      firstName: c.first_name,
      lastName: c.last_name,
      roomName: c.room_name,
      roomId: c.room_id,
      status: c.status,
      allergies: c.allergies,
      allergySeverity: allergySeverity(c.allergy_severity),
      careNeeds: c.care_needs ?? [],
      grade: c.grade,
      hasMedicalNotes: !!c.medical_notes,
      ageMonths: c.birthdate && serviceDate ? ageInMonths(c.birthdate, serviceDate) : null,
      ...(seesMedical ? { medicalNotes: c.medical_notes } : {}),
      checkedOutAt: iso(c.checked_out_at),
      pickedUpBy: c.picked_up_by ?? null,
      verifiedBy: c.status === 'checked_out' ? (c.verified_by ?? null) : null,
    })),
    authorizedPickups: pickups.map((p) => ({ id: p.id, name: p.name, relationship: p.relationship })),
    guardians: guardians.map((g) => ({ id: g.id, firstName: g.first_name, lastName: g.last_name })),
    custodyAlerts: custody.map((c) => ({ name: c.name, note: c.note })),
  };
}
