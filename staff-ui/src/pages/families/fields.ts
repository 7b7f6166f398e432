/** The family forms' fields and the request bodies built from them (new family, and each edit on the family page). */
import type { FamilyDetail } from '../../../../contracts';
import { MAX_GRADE, MIN_GRADE } from '../../../../contracts/limits';
import { numOrNull, orNull, str, type FieldSpec, type Values } from '../../forms';

const gradeOptions = [
  { value: '', label: '— none —' },
  ...Array.from({ length: MAX_GRADE - MIN_GRADE + 1 }, (_, i) => i + MIN_GRADE).map((g) => ({
    value: String(g),
    label: g === -1 ? 'Pre-K' : g === 0 ? 'Kindergarten' : `Grade ${g}`,
  })),
];
export const guardianFields: FieldSpec[] = [
  { name: 'firstName', label: 'First name', required: true },
  { name: 'lastName', label: 'Last name', required: true },
  { name: 'phone', label: 'Mobile', type: 'tel', required: true, placeholder: '(312) 555-0142' },
  // consent in plain words (DESIGN §19): tick only when the parent said yes
  { name: 'smsOptIn', label: 'The parent agreed to texts about check-in (pickup pass, pickup, pages); they can reply STOP', type: 'checkbox' },
];
export const childFields: FieldSpec[] = [
  { name: 'firstName', label: 'First name', required: true },
  { name: 'lastName', label: 'Last name', required: true },
  { name: 'birthdate', label: 'Birthdate', type: 'date', hint: 'A birthdate or a grade places the child' },
  { name: 'grade', label: 'School grade', type: 'select', options: gradeOptions },
  { name: 'allergies', label: 'Allergies', placeholder: 'e.g. peanuts, tree nuts', wide: true },
  { name: 'medicalNotes', label: 'Medical notes (staff only)', type: 'textarea', maxLength: 1000 },
];
export const pickupFields: FieldSpec[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'relationship', label: 'Relationship', placeholder: 'e.g. grandmother' },
  { name: 'phone', label: 'Phone', type: 'tel' },
];
export const guardianBody = (v: Values) => ({ firstName: str(v.firstName), lastName: str(v.lastName), phone: str(v.phone), smsOptIn: !!v.smsOptIn });
export const childBody = (v: Values) => ({
  firstName: str(v.firstName),
  lastName: str(v.lastName),
  birthdate: orNull(v.birthdate),
  grade: numOrNull(v.grade),
  allergies: str(v.allergies),
  medicalNotes: str(v.medicalNotes),
});

export const custodyFields = (h: FamilyDetail): FieldSpec[] => [
  { name: 'name', label: 'Person who may NOT pick up', required: true },
  {
    name: 'childId',
    label: 'Applies to',
    type: 'select',
    options: [{ value: '', label: 'All children' }, ...h.children.map((c) => ({ value: c.id, label: c.firstName }))],
  },
  { name: 'note', label: 'Note (court order, who to call)', type: 'textarea', maxLength: 1000 },
];
