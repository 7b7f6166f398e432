import type { FamilyDetail, FamilySearchResult, PhotoKind } from '../../../contracts';
import type { Actor } from '../auth/actor';
import { can } from '../policies';
import { maskPhone } from './phone';
import type { loadFamily, loadSummaries } from './families.repo';
import { allergySeverity, familyLang, iso, photoUrl } from '../../../contracts/rules';

export function presentSearch(d: Awaited<ReturnType<typeof loadSummaries>>): FamilySearchResult[] {
  return d.households.map((h) => ({
    id: h.id,
    name: h.name,
    guardians: d.guardians.filter((g) => g.household_id === h.id).map((g) => ({ id: g.id, firstName: g.first_name, lastName: g.last_name, phone: g.phone })),
    children: d.children.filter((c) => c.household_id === h.id).map((c) => ({ id: c.id, firstName: c.first_name, lastName: c.last_name })),
  }));
}

/**
 * The family record as staff edit it. The routes are staff-only; medical notes are still gated
 * here so that a future volunteer route cannot leak them by reusing this presenter.
 */
export function presentFamily(
  actor: Actor,
  h: { id: string; organization_id: string; name: string; language?: string | null; created_at: Date | string },
  d: Awaited<ReturnType<typeof loadFamily>>,
  gradeFromBirthdate: (birthdate: string) => number | null = () => null,
  /** the photos the caller may see, `kind:personId` → photo id (photos.repo familyPhotoIds) */
  photos: ReadonlyMap<string, string> = new Map(),
): FamilyDetail {
  // families belong to the organisation (DESIGN §10): staff of any of its campuses edit them
  const seesMedical = can(actor, 'medical.read', { siteId: actor.siteId, organizationId: h.organization_id });
  return {
    id: h.id,
    name: h.name,
    lang: familyLang(h.language),
    createdAt: iso(h.created_at),
    guardians: d.guardians.map((g) => ({
      id: g.id,
      firstName: g.first_name,
      lastName: g.last_name,
      phone: g.phone,
      phoneMasked: maskPhone(g.phone),
      smsOptIn: g.sms_opt_in,
      smsOptedOut: !!g.sms_opted_out_at,
      smsConsent: g.sms_consent_at ? { at: iso(g.sms_consent_at), source: g.sms_consent_source } : null,
    })),
    children: d.children.map((c) => ({
      id: c.id,
      firstName: c.first_name,
      lastName: c.last_name,
      birthdate: c.birthdate,
      grade: c.grade,
      inferredGrade: c.grade == null && c.birthdate ? gradeFromBirthdate(String(c.birthdate)) : null,
      allergies: c.allergies,
      allergySeverity: allergySeverity(c.allergy_severity),
      careNeeds: c.care_needs ?? [],
      medicalNotes: seesMedical ? c.medical_notes : '',
      checkedIn: d.checkedIn.has(c.id),
    })),
    authorizedPickups: d.pickups.map((p) => ({ id: p.id, name: p.name, relationship: p.relationship, phone: p.phone ?? null })),
    custodyAlerts: d.custody.map((c) => ({ id: c.id, name: c.name, note: c.note, childId: c.child_id ?? null })),
    recentCheckins: d.recent.map((r) => ({
      id: r.id,
      childId: r.child_id,
      serviceName: r.service_name,
      roomName: r.room_name,
      checkedInAt: iso(r.checked_in_at),
      status: r.status,
    })),
    photos: [...photos].map(([key, id]) => {
      const [kind, personId] = key.split(':') as [PhotoKind, string];
      return { kind, personId, url: photoUrl(id) };
    }),
  };
}
