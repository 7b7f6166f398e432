import type { HouseholdSummary } from '../../../contracts';
import { roleAtLeast, type Actor } from '../auth/actor';
import { maskPhone } from './phone';
import type { loadHouseholds } from './households.repo';

type Loaded = Awaited<ReturnType<typeof loadHouseholds>>;

/**
 * Kiosks see first names, masked phones and allergy flags only; staff also see full phone numbers
 * and medical notes. This is the only place household rows become JSON.
 */
export function presentHouseholds(actor: Actor, d: Loaded): HouseholdSummary[] {
  const staff = actor.kind === 'user' && roleAtLeast(actor.role, 'staff');
  return d.households.map((h) => ({
    id: h.id, name: h.name,
    guardians: d.guardians.filter((g) => g.household_id === h.id).map((g) => ({
      id: g.id, firstName: g.first_name, lastName: g.last_name, phoneMasked: maskPhone(g.phone),
      smsOptIn: g.sms_opt_in && !g.sms_opted_out_at, ...(staff ? { phone: g.phone } : {}),
    })),
    children: d.children.filter((c) => c.household_id === h.id).map((c) => ({
      id: c.id, firstName: c.first_name, lastName: c.last_name, birthdate: c.birthdate, grade: c.grade,
      checkedIn: d.checkedIn.has(c.id), allergies: c.allergies, ...(staff ? { medicalNotes: c.medical_notes } : {}),
    })),
  }));
}
