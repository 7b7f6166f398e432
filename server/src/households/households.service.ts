import type { HouseholdCreate } from '../../../contracts';
import type { Knex } from 'knex';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { badRequest, conflict } from '../errors';
import { sha256 } from '../auth/crypto';
import { insertAudit } from '../audit/audit.repo';
import { normalizePhone } from './phone';
import * as repo from './households.repo';
import { presentHouseholds } from './households.presenter';

/** Lookup by the last 4 digits or the full number, within the caller's site: one statement, no transaction. */
export async function lookup(db: Knex, actor: Actor, phone: string, serviceId?: string) {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 4 && !phone.trim().startsWith('+')) return presentHouseholds(actor, await repo.findHouseholdsByPhone(db, actor.organizationId, { last4: digits }, serviceId));
  const e164 = normalizePhone(phone);
  if (!e164) throw badRequest('phone: must be the last 4 digits or a full phone number', 'phone');
  return presentHouseholds(actor, await repo.findHouseholdsByPhone(db, actor.organizationId, { phone: e164 }, serviceId));
}

/** Registers a family (at a kiosk or by staff) with its guardians and children. */
export async function register(tx: Tx, actor: Actor, input: HouseholdCreate) {
  const phones = input.guardians.map((g, i) => {
    const e164 = normalizePhone(g.phone);
    if (!e164) throw badRequest(`guardians.${i}.phone: must be a mobile number with area code`, `guardians.${i}.phone`);
    return e164;
  });
  const pickupPhones = input.authorizedPickups.map((p, i) => {
    if (!p.phone) return null;
    const e164 = normalizePhone(p.phone);
    if (!e164) throw badRequest(`authorizedPickups.${i}.phone: must be a phone number with area code`, `authorizedPickups.${i}.phone`);
    return e164;
  });
  const name = input.name ?? `${input.guardians[0]!.lastName} family`;
  // the key stands for this body: the same key with another family is refused, not answered with the first
  const { idempotencyKey, ...body } = input;
  const bodyHash = idempotencyKey ? sha256(JSON.stringify(body)) : null;
  const householdId = await repo.insertHousehold(tx.trx, actor.siteId, name, idempotencyKey, bodyHash);
  if (!householdId) {
    // a retry of a registration that already happened: the same family, nothing new
    const existing = await repo.householdIdByKey(tx.trx, actor.siteId, idempotencyKey!);
    if (existing!.idempotency_hash && existing!.idempotency_hash !== bodyHash) {
      throw conflict('idempotency_key_reused', 'This idempotencyKey was already used to register a different family');
    }
    const [household] = presentHouseholds(actor, await repo.loadHouseholds(tx.trx, [existing!.id]));
    return household!;
  }
  await repo.insertGuardians(tx.trx, input.guardians.map((g, i) => ({ household_id: householdId, first_name: g.firstName, last_name: g.lastName, phone: phones[i], sms_opt_in: g.smsOptIn })));
  await repo.insertChildren(tx.trx, input.children.map((c) => ({
    household_id: householdId, first_name: c.firstName, last_name: c.lastName, birthdate: c.birthdate ?? null,
    grade: c.grade ?? null, allergies: c.allergies, medical_notes: c.medicalNotes,
  })));
  await repo.insertAuthorizedPickups(tx.trx, input.authorizedPickups.map((p, i) => ({ household_id: householdId, name: p.name, relationship: p.relationship, phone: pickupPhones[i] })));
  await repo.insertCustodyAlerts(tx.trx, input.custodyAlerts.map((c) => ({ household_id: householdId, name: c.name, note: c.note })));
  await insertAudit(tx.trx, actor, { action: 'household.create', entity: 'household', entityId: householdId, details: { children: input.children.length, guardians: input.guardians.length } });
  const [household] = presentHouseholds(actor, await repo.loadHouseholds(tx.trx, [householdId]));
  return household!;
}
