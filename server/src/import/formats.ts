/**
 * The People exports this reads, each mapped to one person per row grouped by household:
 *
 * - `pco` — Planning Center People's CSV export: `Person ID`, `First Name`, `Last Name`,
 *   `Birthdate`, `Grade`, `Medical Notes`, `Child` (true/false), `Household ID`, `Household Name`,
 *   `Mobile Phone Number` (the default field names from Planning Center's help pages on its CSV
 *   fields); allergies and authorised pickups are custom fields there: `Allergies`, `Authorized Pickups`.
 * - `rock` — Rock RMS's person.csv as in its Slingshot format (SparkDevNetwork/Rock,
 *   Documentation/slingshot-file-format.md): `Id`, `FamilyId`, `FamilyName`, `FamilyRole`
 *   (Adult/Child), `FirstName`, `NickName`, `LastName`, `Birthdate`, `Grade`, with the person's
 *   mobile (person-phone.csv) and check-in attributes flattened in: `MobilePhone`, `Allergy`,
 *   `MedicalNotes`, `AuthorizedPickups`.
 * - `breeze` — Breeze ChMS's people export by its well-known column names: `Breeze ID`,
 *   `First Name`, `Last Name`, `Family ID`, `Family Role` (Head of Household, Spouse, Adult, Child),
 *   `Mobile`, `Birthdate`, `Grade`, `Allergies`, `Medical Notes`, `Authorized Pickups`.
 * - `generic` — any CSV with a mapping (field → column header); without one, our own names
 *   (`household_id`, `household_name`, `person_id`, `role`, `first_name`, `last_name`, `mobile`,
 *   `birthdate`, `grade`, `allergies`, `medical_notes`, `authorized_pickups`, and optionally
 *   `allergy_severity` and `care_needs`).
 *
 * Authorised pickups are one cell: `Name (relationship) phone; Name …`.
 */
export type Format = 'pco' | 'rock' | 'breeze' | 'generic';
export const FORMATS: Format[] = ['pco', 'rock', 'breeze', 'generic'];

export const FIELDS = [
  'householdId',
  'householdName',
  'personId',
  'role',
  'firstName',
  'nickName',
  'lastName',
  'mobile',
  'birthdate',
  'grade',
  'allergies',
  'medicalNotes',
  'authorizedPickups',
  // DESIGN §16: mild | severe | life-threatening (anything else: not recorded), and care needs split on ; or |
  'allergySeverity',
  'careNeeds',
] as const;
export type Field = (typeof FIELDS)[number];
export type Mapping = Partial<Record<Field, string>> & { childValues?: string[] };

export const MAPPINGS: Record<Exclude<Format, 'generic'>, Mapping> & { generic: Mapping } = {
  pco: {
    householdId: 'Household ID',
    householdName: 'Household Name',
    personId: 'Person ID',
    role: 'Child',
    firstName: 'First Name',
    nickName: 'Nickname',
    lastName: 'Last Name',
    mobile: 'Mobile Phone Number',
    birthdate: 'Birthdate',
    grade: 'Grade',
    allergies: 'Allergies',
    medicalNotes: 'Medical Notes',
    authorizedPickups: 'Authorized Pickups',
    childValues: ['true', 'yes', '1', 'child'],
  },
  rock: {
    householdId: 'FamilyId',
    householdName: 'FamilyName',
    personId: 'Id',
    role: 'FamilyRole',
    firstName: 'FirstName',
    nickName: 'NickName',
    lastName: 'LastName',
    mobile: 'MobilePhone',
    birthdate: 'Birthdate',
    grade: 'Grade',
    allergies: 'Allergy',
    medicalNotes: 'MedicalNotes',
    authorizedPickups: 'AuthorizedPickups',
    childValues: ['child'],
  },
  breeze: {
    householdId: 'Family ID',
    householdName: 'Family',
    personId: 'Breeze ID',
    role: 'Family Role',
    firstName: 'First Name',
    nickName: 'Nickname',
    lastName: 'Last Name',
    mobile: 'Mobile',
    birthdate: 'Birthdate',
    grade: 'Grade',
    allergies: 'Allergies',
    medicalNotes: 'Medical Notes',
    authorizedPickups: 'Authorized Pickups',
    childValues: ['child'],
  },
  generic: {
    householdId: 'household_id',
    householdName: 'household_name',
    personId: 'person_id',
    role: 'role',
    firstName: 'first_name',
    nickName: 'nickname',
    lastName: 'last_name',
    mobile: 'mobile',
    birthdate: 'birthdate',
    grade: 'grade',
    allergies: 'allergies',
    medicalNotes: 'medical_notes',
    authorizedPickups: 'authorized_pickups',
    allergySeverity: 'allergy_severity',
    careNeeds: 'care_needs',
    childValues: ['child'],
  },
};

const norm = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');

/** The format from the header row: the one whose identifying columns are all there. */
export function detectFormat(header: string[]): Format {
  // exact headers (case aside): our generic household_id must not pass for Planning Center's "Household ID"
  const has = (...cols: string[]) => cols.every((c) => header.some((h) => h.trim().toLowerCase() === c.toLowerCase()));
  if (has('Breeze ID', 'Family Role')) return 'breeze';
  if (has('Person ID', 'Household ID')) return 'pco';
  if (has('Id', 'FamilyId', 'FamilyRole')) return 'rock';
  return 'generic';
}

/** Column index of each field (by header, case- and spacing-insensitive); -1 when absent. */
export function columnsFor(header: string[], mapping: Mapping): Record<Field, number> {
  const out = {} as Record<Field, number>;
  for (const f of FIELDS) {
    const col = mapping[f];
    out[f] = col ? header.findIndex((h) => norm(h) === norm(col)) : -1;
  }
  return out;
}
