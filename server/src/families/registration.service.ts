import crypto from 'node:crypto';
import type { HouseholdCreate, KioskHouseholdSummary, PossibleDuplicate } from '../../../contracts';
import { foldName } from '../../../contracts/rules';
import type { Knex } from 'knex';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { AppError, badRequest, conflict, forbidden, notFound, tooMany } from '../errors';
import { sha256 } from '../auth/crypto';
import { insertAudit } from '../audit/audit.repo';
import { insertNotifications } from '../notifications/outbox.repo';
import { maskPhone, normalizePhone } from './phone';
import { birthdateOrThrow, contactPhoneOrThrow, mobileOrThrow, siteInputRules } from './input';
import * as repo from './registration.repo';
import { joinCodeHash } from './join-code';
import * as family from './families.repo';
import { presentHouseholds } from './registration.presenter';
import { withPending } from '../precheckin/kiosk';
import { withAttempt, type Attempt } from '../limits/attempts';
import { withProofNeeded } from '../checkin/proof-needed';
import { familyCreatedEvent } from '../webhooks/webhook-outbox';

export const JOIN_CODE_TTL_MS = 10 * 60_000;
/** Codes a family can be sent in the code's lifetime (each is an SMS to the family: no spamming). */
export const JOIN_CODES_PER_WINDOW = 3;
/** Wrong codes for one family in the window before joining it is refused outright. */
export const JOIN_FAILURES_PER_WINDOW = 5;

/** Lookup by the last 4 digits or the full number, within the caller's site: one statement, no transaction. */
export async function lookup(db: Knex, actor: Actor, phone: string, serviceId?: string) {
  const digits = phone.replace(/\D/g, '');
  // a kiosk also gets each family's pre-check-in for the services open now (chosen on the phone)
  const present = async (d: Awaited<ReturnType<typeof repo.findHouseholdsByPhone>>) => {
    const out = presentHouseholds(actor, d);
    return actor.kind === 'kiosk' ? withProofNeeded(db, actor, await withPending(db, actor, out as KioskHouseholdSummary[]), serviceId) : out;
  };
  if (digits.length === 4 && !phone.trim().startsWith('+'))
    return present(await repo.findHouseholdsByPhone(db, actor.organizationId, { last4: digits }, serviceId));
  const rules = await siteInputRules(db, actor.siteId);
  const e164 = normalizePhone(phone, rules.country);
  if (!e164) throw badRequest('phone: must be the last 4 digits or a full mobile number', 'phone');
  return present(await repo.findHouseholdsByPhone(db, actor.organizationId, { phone: e164 }, serviceId));
}

/**
 * Registers a family (at a kiosk or by staff) with its guardians and children — unless one of
 * its phones already belongs to a family of the site: then `409 possible_duplicate` with just
 * enough to ask "Is this you?" (the family's name and the masked phone). The parent answers
 * with `confirmNew` (not us: a new family) or `joinHouseholdId` (us: add the new children to it;
 * from a kiosk only with the code texted to that family's phone). Never a second family silently.
 */
export async function register(
  tx: Tx,
  actor: Actor,
  input: HouseholdCreate,
  attempt: Attempt | null = null,
): Promise<{ household: ReturnType<typeof presentHouseholds>[number]; joined: boolean; childIds: string[] }> {
  const rules = await siteInputRules(tx.trx, actor.siteId);
  const phones = input.guardians.map((g, i) => mobileOrThrow(rules, g.phone, `guardians.${i}.phone`));
  const pickupPhones = input.authorizedPickups.map((p, i) => (p.phone ? contactPhoneOrThrow(rules, p.phone, `authorizedPickups.${i}.phone`) : null));
  input.children.forEach((c, i) => birthdateOrThrow(rules, c.birthdate, `children.${i}.birthdate`));

  if (input.joinHouseholdId) return { ...(await join(tx, actor, input, phones, attempt)), joined: true };

  // the key stands for this body: the same key with another family is refused, not answered with the first
  const { idempotencyKey, confirmNew: _confirm, ...body } = input;
  const bodyHash = idempotencyKey ? sha256(JSON.stringify(body)) : null;
  if (idempotencyKey) {
    const retried = await answerRetry(tx, actor, idempotencyKey, bodyHash);
    if (retried) return { household: retried, joined: false, childIds: retried.children.map((c) => c.id) };
  }
  // two kiosks registering the same phone at once: one waits for the other, then sees its family
  await repo.lockPhones(tx.trx, actor.organizationId, phones);
  // …and a concurrent retry of this very registration, having waited, answers its family
  if (idempotencyKey) {
    const retried = await answerRetry(tx, actor, idempotencyKey, bodyHash);
    if (retried) return { household: retried, joined: false, childIds: retried.children.map((c) => c.id) };
  }
  if (!input.confirmNew) {
    const matches = await repo.householdsWithPhones(tx.trx, actor.organizationId, phones);
    if (matches.length) {
      const list: PossibleDuplicate[] = matches.map((m) => ({ householdId: m.household_id, name: m.name, phoneMasked: maskPhone(m.phone) }));
      throw new AppError(409, 'possible_duplicate', 'A family with this phone number is already registered: is this you?', 'guardians.0.phone', {
        matches: list,
      });
    }
  }

  const name = input.name ?? `${input.guardians[0]!.lastName} family`;
  const householdId = await family.insertHousehold(tx.trx, actor.siteId, name, idempotencyKey, bodyHash, input.lang);
  if (!householdId) {
    const retried = await answerRetry(tx, actor, idempotencyKey!, bodyHash);
    return { household: retried!, joined: false, childIds: retried!.children.map((c) => c.id) };
  }
  await family.insertGuardians(
    tx.trx,
    input.guardians.map((g, i) => ({
      household_id: householdId,
      first_name: g.firstName,
      last_name: g.lastName,
      phone: phones[i]!,
      ...family.smsConsentColumns(tx.trx, g.smsOptIn, consentSource(actor)),
    })),
  );
  const childIds = await family.insertChildren(
    tx.trx,
    input.children.map((c) => childRow(householdId, c)),
  );
  await family.insertAuthorizedPickups(
    tx.trx,
    input.authorizedPickups.map((p, i) => ({ household_id: householdId, name: p.name, relationship: p.relationship, phone: pickupPhones[i] ?? null })),
  );
  await family.insertCustodyAlerts(
    tx.trx,
    input.custodyAlerts.map((c) => ({ household_id: householdId, name: c.name, note: c.note, child_id: null })),
  );
  await insertAudit(tx.trx, actor, {
    action: 'household.create',
    entity: 'household',
    entityId: householdId,
    details: { children: input.children.length, guardians: input.guardians.length, ...(input.confirmNew ? { confirmedNew: true } : {}) },
  });
  tx.webhook(
    familyCreatedEvent(actor.siteId, consentSource(actor), [
      { householdId, name, children: input.children.map((c, i) => ({ childId: childIds[i]!, firstName: c.firstName, lastName: c.lastName })) },
    ]),
  );
  const [household] = presentHouseholds(actor, await repo.loadHouseholds(tx.trx, [householdId]));
  return { household: household!, joined: false, childIds };
}

/** Where a registering guardian agreed to texts: the kiosk's screen, or staff at the desk (DESIGN §19). */
const consentSource = (actor: Actor): 'kiosk' | 'desk' => (actor.kind === 'kiosk' ? 'kiosk' : 'desk');

const childRow = (householdId: string, c: HouseholdCreate['children'][number]) => ({
  household_id: householdId,
  first_name: c.firstName,
  last_name: c.lastName,
  birthdate: c.birthdate ?? null,
  grade: c.grade ?? null,
  allergies: c.allergies,
  medical_notes: c.medicalNotes,
});

/** A retry of a registration that already happened: the same family, nothing new. */
async function answerRetry(tx: Tx, actor: Actor, idempotencyKey: string, bodyHash: string | null) {
  const existing = await repo.householdIdByKey(tx.trx, actor.siteId, idempotencyKey);
  if (!existing) return undefined;
  if (existing.idempotency_hash && existing.idempotency_hash !== bodyHash) {
    throw conflict('idempotency_key_reused', 'This idempotencyKey was already used to register a different family');
  }
  const [household] = presentHouseholds(actor, await repo.loadHouseholds(tx.trx, [existing.id]));
  return household!;
}

/**
 * "Yes, that's us": the new children (and any guardian whose phone the family does not have yet)
 * join the family. A kiosk proves it with the code texted to the family's phone; staff at the
 * desk see the parent. A child already in the family (same folded first name and birthdate) is
 * not added twice, so a retried join adds nothing. `childIds`: the children this request named
 * (added now, or already in the family) — the ones to check in, never the rest of the family.
 */
async function join(tx: Tx, actor: Actor, input: HouseholdCreate, phones: string[], attempt: Attempt | null) {
  const householdId = input.joinHouseholdId!;
  const h = await repo.lockHouseholdOfOrganization(tx.trx, actor.organizationId, householdId);
  if (!h) throw notFound('Household');
  if (actor.kind === 'kiosk') await checkJoinCode(tx, actor, householdId, input.joinCode, attempt);
  const current = await repo.loadHouseholds(tx.trx, [householdId]);
  const knownPhones = new Set(current.guardians.map((g) => g.phone as string));
  const childKey = (first: string, birthdate: string | null | undefined, grade: number | null | undefined) =>
    `${foldName(first)}|${birthdate ? String(birthdate).slice(0, 10) : ''}|${birthdate ? '' : (grade ?? '')}`;
  const knownChildren = new Set(
    current.children.map((c) => childKey(c.first_name, c.birthdate instanceof Date ? c.birthdate.toISOString().slice(0, 10) : c.birthdate, c.grade)),
  );
  const newGuardians = input.guardians.map((g, i) => ({ g, phone: phones[i]! })).filter((x) => !knownPhones.has(x.phone));
  const newChildren = input.children.filter((c) => !knownChildren.has(childKey(c.firstName, c.birthdate, c.grade)));
  if (newGuardians.length)
    await family.insertGuardians(
      tx.trx,
      newGuardians.map(({ g, phone }) => ({
        household_id: householdId,
        first_name: g.firstName,
        last_name: g.lastName,
        phone,
        ...family.smsConsentColumns(tx.trx, g.smsOptIn, consentSource(actor)),
      })),
    );
  if (newChildren.length)
    await family.insertChildren(
      tx.trx,
      newChildren.map((c) => childRow(householdId, c)),
    );
  await insertAudit(tx.trx, actor, {
    action: 'household.join',
    entity: 'household',
    entityId: householdId,
    details: { childrenAdded: newChildren.length, guardiansAdded: newGuardians.length, proof: actor.kind === 'kiosk' ? 'sms_code' : 'staff' },
  });
  const after = await repo.loadHouseholds(tx.trx, [householdId]);
  const named = new Set(input.children.map((c) => childKey(c.firstName, c.birthdate, c.grade)));
  const childIds = after.children
    .filter((c) => named.has(childKey(c.first_name, c.birthdate instanceof Date ? c.birthdate.toISOString().slice(0, 10) : c.birthdate, c.grade)))
    .map((c) => c.id as string);
  const [household] = presentHouseholds(actor, after);
  return { household: household!, childIds };
}

/**
 * A kiosk's join of a family is one of that family's few attempts (JOIN_FAILURES_PER_WINDOW per
 * code lifetime), reserved before the request's transaction opens so that guesses sent at once
 * are counted before any is judged; a wrong or missing code keeps its attempt, anything else gives
 * it back. Staff at the desk (they see the parent) and new families take none.
 */
export function withJoinAttempt<T>(db: Knex, actor: Actor, input: HouseholdCreate, run: (attempt: Attempt | null) => Promise<T>): Promise<T> {
  const householdId = input.joinHouseholdId;
  if (actor.kind !== 'kiosk' || !householdId) return run(null);
  const refused = async (): Promise<never> => {
    await insertAudit(db, actor, { action: 'household.join_refused', entity: 'household', entityId: householdId, details: { reason: 'rate_limited' } });
    throw tooMany('Too many wrong codes for this family; ask a staff member at the desk');
  };
  return withAttempt(db, { key: `join_code:${householdId}`, limit: JOIN_FAILURES_PER_WINDOW, windowMs: JOIN_CODE_TTL_MS }, refused, run);
}

async function checkJoinCode(tx: Tx, actor: Actor, householdId: string, code: string | undefined, attempt: Attempt | null) {
  // the attempt was reserved before the transaction (withJoinAttempt): without one there is no judging
  if (!attempt) throw new Error('a kiosk join is judged only within withJoinAttempt');
  const refuse = (reason: string) => {
    attempt.wrong();
    tx.auditRefusal(actor, { action: 'household.join_refused', entity: 'household', entityId: householdId, details: { reason } });
  };
  if (!code) {
    refuse('no_code');
    throw forbidden("joinCode: the code texted to the family's phone is required");
  }
  const row = await repo.takeJoinCode(tx.trx, householdId, joinCodeHash(householdId, code));
  if (!row) {
    refuse('wrong_code');
    throw new AppError(403, 'join_code_invalid', 'joinCode: that code is wrong or has expired', 'joinCode');
  }
}

/**
 * Texts a 6-digit code to a guardian of the family whose phone the parent typed. Answers only
 * with the masked phone; refuses numbers that are not the family's, opted-out numbers, and more
 * than a few codes per family per ten minutes.
 */
export async function sendJoinCode(tx: Tx, actor: Actor, householdId: string, phone: string) {
  const h = await repo.lockHouseholdOfOrganization(tx.trx, actor.organizationId, householdId);
  if (!h) throw notFound('Household');
  const rules = await siteInputRules(tx.trx, actor.siteId);
  const e164 = mobileOrThrow(rules, phone, 'phone');
  const guardian = await repo.textableGuardianWithPhone(tx.trx, householdId, e164);
  if (!guardian) throw notFound('A guardian with this phone in that family');
  if ((await repo.countJoinCodes(tx.trx, householdId, new Date(Date.now() - JOIN_CODE_TTL_MS))) >= JOIN_CODES_PER_WINDOW) {
    throw tooMany('A code was sent a moment ago; use that one or wait a few minutes');
  }
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
  await repo.insertJoinCode(tx.trx, {
    site_id: actor.siteId,
    household_id: householdId,
    guardian_id: guardian.id,
    code_hash: joinCodeHash(householdId, code),
    expires_at: new Date(Date.now() + JOIN_CODE_TTL_MS),
  });
  const site = await repo.siteName(tx.trx, actor.siteId);
  await insertNotifications(tx.trx, [
    {
      site_id: actor.siteId,
      guardian_id: guardian.id,
      to: e164,
      kind: 'join_code',
      body: `${site}: your code to add children to your family is ${code}. It expires in 10 minutes. If this wasn't you, ignore this message.`,
    },
  ]);
  await insertAudit(tx.trx, actor, { action: 'household.join_code_sent', entity: 'household', entityId: householdId, details: { guardianId: guardian.id } });
  return { sent: true as const, phoneMasked: maskPhone(e164) };
}
