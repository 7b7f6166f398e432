import { readsMedicalNotes } from '../auth/policy';
import type { HouseholdSummary, KioskHouseholdSummary } from '../../../contracts';
import { roleAtLeast, type Actor } from '../auth/actor';
import { ageInMonths, dateInTimezone } from '../capacity/rules';
import { maskPhone } from './phone';
import type { loadHouseholds } from './registration.repo';

type Loaded = Awaited<ReturnType<typeof loadHouseholds>>;

/**
 * The only place household rows become JSON. A kiosk gets only what its screens show (first
 * names, age in months, an allergy flag, masked phones: `KioskHouseholdSummary`) — no birthdate,
 * no surname of a child, no allergy or medical text, no phone; staff also see full phone numbers
 * and medical notes; volunteers never reach these routes.
 */
export function presentHouseholds(actor: Actor, d: Loaded, today = dateInTimezone(new Date(), 'UTC')): HouseholdSummary[] | KioskHouseholdSummary[] {
  if (actor.kind === 'kiosk') return presentForKiosk(d, today);
  const staff = actor.kind === 'user' && roleAtLeast(actor.role, 'staff');
  return d.households.map((h) => ({
    id: h.id,
    name: h.name,
    guardians: d.guardians
      .filter((g) => g.household_id === h.id)
      .map((g) => ({
        id: g.id,
        firstName: g.first_name,
        lastName: g.last_name,
        phoneMasked: maskPhone(g.phone),
        smsOptIn: g.sms_opt_in && !g.sms_opted_out_at,
        ...(staff ? { phone: g.phone } : {}),
      })),
    children: d.children
      .filter((c) => c.household_id === h.id)
      .map((c) => ({
        id: c.id,
        firstName: c.first_name,
        lastName: c.last_name,
        birthdate: c.birthdate,
        grade: c.grade,
        checkedIn: d.checkedIn.has(c.id),
        allergies: c.allergies,
        ...(readsMedicalNotes(actor) ? { medicalNotes: c.medical_notes } : {}),
      })),
  }));
}

function presentForKiosk(d: Loaded, today: string): KioskHouseholdSummary[] {
  return d.households.map((h) => ({
    id: h.id,
    name: h.name,
    guardians: d.guardians
      .filter((g) => g.household_id === h.id)
      .map((g) => ({
        id: g.id,
        firstName: g.first_name,
        phoneMasked: maskPhone(g.phone),
        smsOptIn: g.sms_opt_in && !g.sms_opted_out_at,
      })),
    children: d.children
      .filter((c) => c.household_id === h.id)
      .map((c) => ({
        id: c.id,
        firstName: c.first_name,
        ageMonths: c.birthdate ? Math.max(0, ageInMonths(isoDay(c.birthdate), today)) : null,
        grade: c.grade,
        checkedIn: d.checkedIn.has(c.id),
        hasAllergies: String(c.allergies ?? '').trim() !== '',
      })),
  }));
}

/** A birthdate as YYYY-MM-DD whether it came as a string (JSON) or a Date (pg). */
const isoDay = (b: string | Date) => (typeof b === 'string' ? b.slice(0, 10) : dateInTimezone(b, 'UTC'));
