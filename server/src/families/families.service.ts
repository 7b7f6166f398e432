/**
 * Staff edit families: the household, its guardians, children, authorised pickups and custody
 * alerts. Every change is audited and answers with the whole family record, so the screen shows
 * exactly what was stored.
 */
import type { z } from 'zod';
import type {
  AuthorizedPickupCreateSchema,
  AuthorizedPickupPatchSchema,
  ChildCreate,
  ChildPatch,
  CustodyAlertCreateSchema,
  CustodyAlertPatchSchema,
  FamilyDetail,
  GuardianCreateSchema,
  GuardianPatchSchema,
} from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { AppError, badRequest, conflict, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { auditMedicalNotesViewed } from '../audit/medical-notes';
import { cleanCareNeeds, familyLang, type FamilyLang } from '../../../contracts/rules';
import { birthdateOrThrow, contactPhoneOrThrow, mobileOrThrow, siteInputRules } from './input';
import { presentFamily, presentSearch } from './families.presenter';
import { dateInTimezone, gradeFromBirthdate } from '../capacity/rules';
import { findSite } from '../sites/sites.repo';
import * as repo from './families.repo';
import { can } from '../policies';
import { familyPhotoIds } from '../photos/photos.repo';
import { assertSameOrganization } from '../policies/ownership';

type GuardianCreate = z.infer<typeof GuardianCreateSchema>;
type GuardianPatch = z.infer<typeof GuardianPatchSchema>;
type PickupCreate = z.infer<typeof AuthorizedPickupCreateSchema>;
type PickupPatch = z.infer<typeof AuthorizedPickupPatchSchema>;
type CustodyCreate = z.infer<typeof CustodyAlertCreateSchema>;
type CustodyPatch = z.infer<typeof CustodyAlertPatchSchema>;

/** Guardians' numbers are texted: mobiles of the site's country (or with +CC). */
const mobile = async (tx: Tx, actor: Actor, input: string, field: string) => mobileOrThrow(await siteInputRules(tx.trx, actor.siteId), input, field);
const contactPhone = async (tx: Tx, actor: Actor, input: string, field: string) =>
  contactPhoneOrThrow(await siteInputRules(tx.trx, actor.siteId), input, field);
const birthdate = async (tx: Tx, actor: Actor, input: string | null | undefined, field: string) =>
  birthdateOrThrow(await siteInputRules(tx.trx, actor.siteId), input, field);

export async function search(tx: Tx, actor: Actor, q: string) {
  return presentSearch(await repo.loadSummaries(tx.trx, await repo.searchHouseholdIds(tx.trx, actor.organizationId, q)));
}

/** The household of the actor's site, locked for the edit; another site's id is a 404. */
async function household(tx: Tx, actor: Actor, id: string, lock = true) {
  const h = lock ? await repo.lockHousehold(tx.trx, id) : await repo.findHousehold(tx.trx, id);
  assertSameOrganization(actor, h, 'Household');
  return h;
}

async function detail(tx: Tx, actor: Actor, id: string): Promise<FamilyDetail> {
  // read again after the edit (or, for the page, without a lock: a merge may have removed it since)
  const h = await repo.findHousehold(tx.trx, id);
  if (!h) throw notFound('Household');
  const site = await findSite(tx.trx, actor.siteId);
  // a child without a grade: the grade the birthdate implies today, under the campus's school cut-off
  const gradeOf = (birthdate: string) =>
    site ? gradeFromBirthdate(birthdate, { serviceDate: dateInTimezone(new Date(), site.timezone), settings: site.settings }) : null;
  const photos = can(actor, 'photo.read', { siteId: h.site_id, organizationId: h.organization_id })
    ? await familyPhotoIds(tx.trx, id)
    : new Map<string, string>();
  return presentFamily(actor, h, await repo.loadFamily(tx.trx, id), gradeOf, photos);
}

async function audited(tx: Tx, actor: Actor, householdId: string, action: string, entity: string, entityId: string, details: Record<string, unknown> = {}) {
  await insertAudit(tx.trx, actor, { action, entity, entityId, details: { householdId, ...details } });
  return detail(tx, actor, householdId);
}

/** The family page: opening it shows the children's medical notes, so the look is audited. */
export async function get(tx: Tx, actor: Actor, id: string) {
  await household(tx, actor, id, false);
  const family = await detail(tx, actor, id);
  await auditMedicalNotesViewed(tx.trx, actor, family.children, 'family_page');
  return family;
}

/** Renames the family and/or sets its language. */
export async function rename(tx: Tx, actor: Actor, id: string, input: { name?: string; lang?: FamilyLang }) {
  const h = await household(tx, actor, id);
  await repo.updateHousehold(tx.trx, id, { ...(input.name != null && { name: input.name }), ...(input.lang && { language: input.lang }) });
  const before = { ...(input.name != null && { name: h.name }), ...(input.lang && { lang: familyLang(h.language) }) };
  return audited(tx, actor, id, 'household.update', 'household', id, { before, after: input });
}

// ---- guardians ----

export async function addGuardian(tx: Tx, actor: Actor, id: string, input: GuardianCreate) {
  await household(tx, actor, id);
  const phone = await mobile(tx, actor, input.phone, 'phone');
  const gid = await repo.insertGuardian(tx.trx, {
    household_id: id,
    first_name: input.firstName,
    last_name: input.lastName,
    phone,
    ...repo.smsConsentColumns(tx.trx, input.smsOptIn, 'desk'),
  });
  return audited(tx, actor, id, 'guardian.create', 'guardian', gid);
}

export async function editGuardian(tx: Tx, actor: Actor, id: string, guardianId: string, patch: GuardianPatch) {
  await household(tx, actor, id);
  const g = await repo.findGuardian(tx.trx, id, guardianId);
  if (!g) throw notFound('Guardian');
  const update: repo.GuardianPatch = {};
  if (patch.firstName != null) update.first_name = patch.firstName;
  if (patch.lastName != null) update.last_name = patch.lastName;
  if (patch.phone != null) {
    update.phone = await mobile(tx, actor, patch.phone, 'phone');
    // a STOP belongs to the number that sent it, not to the next number
    if (update.phone !== g.phone) update.sms_opted_out_at = null;
  }
  // consent is recorded when it is given (ticked now, or kept for a new number: the desk asked again)
  // and cleared when withdrawn; saving the form unchanged keeps the original record
  const optIn = patch.smsOptIn ?? g.sms_opt_in;
  const newNumber = update.phone != null && update.phone !== g.phone;
  if (optIn !== g.sms_opt_in || (optIn && newNumber)) Object.assign(update, repo.smsConsentColumns(tx.trx, optIn, 'desk'));
  await repo.updateGuardian(tx.trx, guardianId, update);
  return audited(tx, actor, id, 'guardian.update', 'guardian', guardianId, { fields: Object.keys(patch) });
}

export async function removeGuardian(tx: Tx, actor: Actor, id: string, guardianId: string) {
  await household(tx, actor, id);
  if (!(await repo.findGuardian(tx.trx, id, guardianId))) throw notFound('Guardian');
  if ((await repo.countGuardians(tx.trx, id)) <= 1)
    throw conflict('last_guardian', 'A family keeps at least one guardian; add another before removing this one');
  await repo.deleteGuardian(tx.trx, guardianId);
  return audited(tx, actor, id, 'guardian.delete', 'guardian', guardianId);
}

// ---- children ----

export async function addChild(tx: Tx, actor: Actor, id: string, input: ChildCreate) {
  await household(tx, actor, id);
  await birthdate(tx, actor, input.birthdate, 'birthdate');
  const cid = await repo.insertChild(tx.trx, {
    household_id: id,
    first_name: input.firstName,
    last_name: input.lastName,
    birthdate: input.birthdate ?? null,
    grade: input.grade ?? null,
    allergies: input.allergies,
    medical_notes: input.medicalNotes,
    allergy_severity: input.allergySeverity ?? null,
    care_needs: cleanCareNeeds(input.careNeeds ?? []),
  });
  return audited(tx, actor, id, 'child.create', 'child', cid);
}

export async function editChild(tx: Tx, actor: Actor, id: string, childId: string, patch: ChildPatch) {
  await household(tx, actor, id);
  const c = await repo.findChild(tx.trx, id, childId);
  if (!c) throw notFound('Child');
  if (patch.birthdate !== undefined) await birthdate(tx, actor, patch.birthdate, 'birthdate');
  const born = patch.birthdate !== undefined ? patch.birthdate : c.birthdate;
  const grade = patch.grade !== undefined ? patch.grade : c.grade;
  // room assignment needs one of the two
  if (born == null && grade == null) throw badRequest('birthdate: needs a birthdate or a grade', 'birthdate');
  const update: repo.ChildPatch = {};
  if (patch.firstName != null) update.first_name = patch.firstName;
  if (patch.lastName != null) update.last_name = patch.lastName;
  if (patch.birthdate !== undefined) update.birthdate = patch.birthdate;
  if (patch.grade !== undefined) update.grade = patch.grade;
  if (patch.allergies != null) update.allergies = patch.allergies;
  if (patch.medicalNotes != null) update.medical_notes = patch.medicalNotes;
  if (patch.allergySeverity !== undefined) update.allergy_severity = patch.allergySeverity;
  if (patch.careNeeds !== undefined) update.care_needs = cleanCareNeeds(patch.careNeeds);
  await repo.updateChild(tx.trx, childId, update);
  return audited(tx, actor, id, 'child.update', 'child', childId, { fields: Object.keys(patch) });
}

/** Only a child entered by mistake (never checked in) can be removed: attendance history stays. */
export async function removeChild(tx: Tx, actor: Actor, id: string, childId: string) {
  await household(tx, actor, id);
  if (!(await repo.findChild(tx.trx, id, childId))) throw notFound('Child');
  if (await repo.childHasCheckins(tx.trx, childId)) throw conflict('has_checkins', 'This child has check-ins on record and cannot be removed');
  await repo.deleteChild(tx.trx, childId);
  return audited(tx, actor, id, 'child.delete', 'child', childId);
}

// ---- authorised pickups ----

export async function addPickup(tx: Tx, actor: Actor, id: string, input: PickupCreate) {
  await household(tx, actor, id);
  const pid = await repo.insertPickup(tx.trx, {
    household_id: id,
    name: input.name,
    relationship: input.relationship,
    phone: input.phone ? await contactPhone(tx, actor, input.phone, 'phone') : null,
  });
  return audited(tx, actor, id, 'authorized_pickup.create', 'authorized_pickup', pid, { name: input.name });
}

export async function editPickup(tx: Tx, actor: Actor, id: string, pickupId: string, patch: PickupPatch) {
  await household(tx, actor, id);
  if (!(await repo.findPickup(tx.trx, id, pickupId))) throw notFound('Authorised pickup');
  const update: repo.PickupPatch = {};
  if (patch.name != null) update.name = patch.name;
  if (patch.relationship != null) update.relationship = patch.relationship;
  if (patch.phone !== undefined) update.phone = patch.phone ? await contactPhone(tx, actor, patch.phone, 'phone') : null;
  await repo.updatePickup(tx.trx, pickupId, update);
  return audited(tx, actor, id, 'authorized_pickup.update', 'authorized_pickup', pickupId, { fields: Object.keys(patch) });
}

export async function removePickup(tx: Tx, actor: Actor, id: string, pickupId: string) {
  await household(tx, actor, id);
  if (!(await repo.findPickup(tx.trx, id, pickupId))) throw notFound('Authorised pickup');
  await repo.deletePickup(tx.trx, pickupId);
  return audited(tx, actor, id, 'authorized_pickup.delete', 'authorized_pickup', pickupId);
}

// ---- custody alerts ----

async function childOfHousehold(tx: Tx, id: string, childId: string | null | undefined) {
  if (childId && !(await repo.findChild(tx.trx, id, childId)))
    throw new AppError(400, 'validation_failed', 'childId: is not a child of this family', 'childId');
}

export async function addCustodyAlert(tx: Tx, actor: Actor, id: string, input: CustodyCreate) {
  await household(tx, actor, id);
  await childOfHousehold(tx, id, input.childId);
  const aid = await repo.insertCustodyAlert(tx.trx, { household_id: id, name: input.name, note: input.note, child_id: input.childId ?? null });
  return audited(tx, actor, id, 'custody_alert.create', 'custody_alert', aid, { name: input.name });
}

export async function editCustodyAlert(tx: Tx, actor: Actor, id: string, alertId: string, patch: CustodyPatch) {
  await household(tx, actor, id);
  if (!(await repo.findCustodyAlert(tx.trx, id, alertId))) throw notFound('Custody alert');
  await childOfHousehold(tx, id, patch.childId);
  const update: repo.CustodyAlertPatch = {};
  if (patch.name != null) update.name = patch.name;
  if (patch.note != null) update.note = patch.note;
  if (patch.childId !== undefined) update.child_id = patch.childId;
  await repo.updateCustodyAlert(tx.trx, alertId, update);
  return audited(tx, actor, id, 'custody_alert.update', 'custody_alert', alertId, { fields: Object.keys(patch) });
}

export async function removeCustodyAlert(tx: Tx, actor: Actor, id: string, alertId: string) {
  await household(tx, actor, id);
  if (!(await repo.findCustodyAlert(tx.trx, id, alertId))) throw notFound('Custody alert');
  await repo.deleteCustodyAlert(tx.trx, alertId);
  return audited(tx, actor, id, 'custody_alert.delete', 'custody_alert', alertId);
}
