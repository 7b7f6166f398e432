import type { CheckoutCreate, CheckoutResult, Override, PickupVerification, PickupVerify } from '../../../contracts';
import { decideRelease, photoUrl, type PhotoKind } from '../../../contracts/rules';
import { can } from '../policies';
import { familyPhotoIds } from '../photos/photos.repo';
import type { Tx } from '../db/transaction';
import { inSequence } from '../db/transaction';
import { actorName, isStaff, type Actor } from '../auth/actor';
import { AppError, conflict, notFound } from '../errors';
import { verifyPassword } from '../auth/crypto';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext } from '../sites/sites.repo';
import { afterRoomsChanged } from '../capacity/capacity.service';
import { lockRooms } from '../capacity/capacity.repo';
import { enqueueCheckoutConfirmation } from '../notifications/outbox.service';
import { tokenFromScan } from '../checkin/pickup-token';
import { openPass } from '../pass/pass-life';
import { flaggedEvent } from '../webhooks/webhook-outbox';
import * as repo from './pickup.repo';
import { presentVerification } from './pickup.presenter';

/** A wrong code or token (404): rate-limited by the route, audited through tx.auditRefusal. */
export class VerificationFailed extends AppError {
  constructor() {
    super(404, 'pickup_not_found', 'No check-in matches that code or pass');
  }
}
/** A wrong override PIN (403): rate-limited by the route, audited as pickup.override_denied. */
export const OVERRIDE_DENIED = 'override_denied';

/** Finds the batch a code or pass belongs to; every failure is audited even though the request fails. */
async function findBatch(
  tx: Tx,
  actor: Actor,
  by: { token?: string; securityCode?: string; serviceId?: string },
  purpose: 'verify' | 'checkout',
  extra: Record<string, unknown> = {},
) {
  const fail = (details: Record<string, unknown>) => {
    tx.auditRefusal(actor, { action: 'pickup.verify_failed', entity: 'pickup', details: { ...details, purpose, ...extra } });
    return new VerificationFailed();
  };
  if (by.token) {
    // a used-up pass still tells who picked up (verify), but never checks anyone out again
    const open = await openPass(tx.trx, tokenFromScan(by.token), purpose);
    if (open.ok && open.pass.site_id === actor.siteId) {
      const p = open.pass;
      // a pass is made with its family's coded check-in (checkin.repo NEW_FAMILY_SQL); '' as on the pass page
      return {
        id: p.batch_id,
        site_id: p.site_id,
        service_id: p.service_id,
        household_id: p.household_id,
        security_code: p.security_code ?? '',
        pass_id: p.pass_id,
      };
    }
    throw fail({ by: 'token', ...(open.pass?.life === 'used' ? { usedPass: true } : {}) });
  }
  const batch = await repo.findBatchByCode(tx.trx, actor.siteId, by.serviceId!, by.securityCode!);
  if (batch) return batch;
  throw fail({ by: 'securityCode', serviceId: by.serviceId });
}

/** What the volunteer at the door sees before handing children back (or who already took them). */
export async function verify(tx: Tx, actor: Actor, input: PickupVerify): Promise<PickupVerification> {
  const batch = await findBatch(tx, actor, input, 'verify');
  const service = await findServiceContext(tx.trx, batch.service_id);
  const [children, pickups, guardians, custody, householdName, photos] = await inSequence(
    () => repo.batchChildren(tx.trx, batch.id),
    () => repo.authorizedPickups(tx.trx, batch.household_id),
    () => repo.guardians(tx.trx, batch.household_id),
    () => repo.custodyAlerts(tx.trx, batch.household_id),
    () => repo.householdName(tx.trx, batch.household_id),
    () => familyPhotoIds(tx.trx, batch.household_id),
  );
  // whoever presents the family's code or pass was handed it (DESIGN §4, §16)
  const subject = { siteId: batch.site_id, organizationId: actor.organizationId, handedFamilyCode: true };
  const seesMedical = can(actor, 'medical.read', subject);
  const seesPhotos = can(actor, 'photo.read', subject);
  const photoOf = (kind: PhotoKind, id: string) => {
    const photoId = seesPhotos ? photos.get(`${kind}:${id}`) : undefined;
    return photoId ? photoUrl(photoId) : null;
  };
  await insertAudit(tx.trx, actor, {
    action: 'pickup.verify',
    entity: 'checkin_batch',
    entityId: batch.id,
    details: { by: 'token' in input ? 'token' : 'securityCode' },
  });
  return presentVerification({ batch, serviceDate: service?.serviceDate ?? null, children, pickups, guardians, custody, householdName, seesMedical, photoOf });
}

type Person = { id: string; kind: 'guardian' | 'authorized_pickup'; name: string };

/**
 * The staff member whose override this is: the PIN's owner (any staff or admin of the site), or
 * without a PIN the caller's own staff sign-in. A wrong PIN is audited and refused (403).
 */
async function resolveOverride(tx: Tx, actor: Actor, override: Override, audit: Record<string, unknown>): Promise<{ id: string; name: string }> {
  if (override.pin) {
    for (const u of await repo.overridePinHolders(tx.trx, actor.siteId)) {
      if (await verifyPassword(override.pin, u.override_pin_hash)) return { id: u.id, name: u.name || u.email };
    }
    tx.auditRefusal(actor, {
      action: 'pickup.override_denied',
      entity: 'checkin_batch',
      entityId: audit.batchId as string,
      details: { ...audit, reason: override.reason },
    });
    throw new AppError(403, OVERRIDE_DENIED, 'That override PIN is not right');
  }
  if (isStaff(actor)) return { id: actor.id, name: actorName(actor) };
  tx.auditRefusal(actor, {
    action: 'pickup.override_denied',
    entity: 'checkin_batch',
    entityId: audit.batchId as string,
    details: { ...audit, reason: override.reason, noPin: true },
  });
  throw new AppError(403, OVERRIDE_DENIED, 'An override needs a staff member’s PIN (or a staff sign-in on this device)');
}

/**
 * Checks children out under the release rules (DESIGN §4): to someone on the family's list, or
 * a typed name with a staff override; a custody alert's full match stops it whatever the
 * override, a partial match needs one. Every refusal is on record (tx.auditRefusal).
 */
export async function checkout(tx: Tx, actor: Actor, input: CheckoutCreate): Promise<CheckoutResult> {
  const rows = await repo.lockCheckins(tx.trx, actor.siteId, input.checkinIds);
  if (rows.length !== input.checkinIds.length) throw notFound('Check-in');
  const batchIds = new Set(rows.map((r) => r.batch_id));
  if (batchIds.size !== 1) throw new AppError(400, 'validation_failed', 'checkinIds: must all come from one check-in', 'checkinIds');
  const batchId = rows[0]!.batch_id;
  const batch = await findBatch(
    tx,
    actor,
    input.token ? { token: input.token } : { securityCode: input.securityCode, serviceId: rows[0]!.service_id },
    'checkout',
    { batchId },
  );
  if (batch.id !== batchId) {
    tx.auditRefusal(actor, {
      action: 'pickup.verify_failed',
      entity: 'checkin_batch',
      entityId: batchId,
      details: { by: input.token ? 'token' : 'securityCode', mismatch: true, purpose: 'checkout' },
    });
    throw new VerificationFailed();
  }
  const done = rows.filter((r) => r.status !== 'checked_in');
  if (done.length) throw conflict('already_checked_out', `${done.map((r) => r.first_name).join(', ')} already checked out`);

  const [guardians, pickups, custody] = await inSequence(
    () => repo.guardians(tx.trx, batch.household_id),
    () => repo.authorizedPickups(tx.trx, batch.household_id),
    () => repo.custodyAlerts(tx.trx, batch.household_id),
  );
  const people: Person[] = [
    ...guardians.map((g): Person => ({ id: g.id, kind: 'guardian', name: `${g.first_name} ${g.last_name}` })),
    ...pickups.map((p): Person => ({ id: p.id, kind: 'authorized_pickup', name: p.name })),
  ];
  const audit = { batchId, checkinIds: input.checkinIds, pickupPersonId: input.pickupPersonId ?? null, pickedUpBy: input.pickedUpBy ?? null };
  const refuse = (action: string, code: string, message: string, details: Record<string, unknown> = {}) => {
    tx.auditRefusal(actor, { action, entity: 'checkin_batch', entityId: batchId, details: { ...audit, ...details } });
    return conflict(code, message);
  };

  // the one release rule (contracts/rules), shared with both pickup screens
  const decision = decideRelease({ people, personId: input.pickupPersonId, typed: input.pickedUpBy, custodyAlerts: custody });
  if (decision.unknownPerson) throw refuse('checkout.not_authorized', 'not_authorized_pickup', 'That person is not on this family’s pickup list');
  const { person, name } = decision;
  // the security desk hears of a custody refusal at once (webhook checkin.flagged), though the request fails
  const flag = (match: 'full' | 'partial') =>
    tx.webhook(
      flaggedEvent(batch.site_id, {
        reason: 'checkout_refused',
        serviceId: batch.service_id,
        batchId,
        checkinIds: input.checkinIds,
        at: new Date().toISOString(),
        attemptedBy: name,
        match,
      }),
      { evenIfRolledBack: true },
    );
  if (decision.verdict === 'stop') flag('full');
  else if (decision.verdict === 'override' && decision.custody.match === 'partial' && !input.override) flag('partial');
  if (decision.verdict === 'stop')
    throw refuse('checkout.custody_blocked', 'custody_alert', `${name} is named in a custody alert and may not pick up`, {
      alert: decision.custody.alert!.name,
    });
  const partial = decision.custody.match === 'partial' ? decision.custody : undefined;

  let override: { id: string; name: string } | null = null;
  const needsOverride = decision.verdict === 'override';
  if (needsOverride) {
    if (!input.override) {
      throw partial
        ? refuse(
            'checkout.possible_custody_match',
            'possible_custody_match',
            `${name} resembles a name in a custody alert (${partial.alert!.name}); a staff member must check and override`,
            { alert: partial.alert!.name },
          )
        : refuse('checkout.not_authorized', 'not_authorized_pickup', `${name} is not on this family’s pickup list; a staff member must check ID and override`);
    }
    override = await resolveOverride(tx, actor, input.override, { ...audit, possibleCustodyMatch: partial ? partial.alert!.name : null, notOnList: !person });
  }

  const userId = actor.kind === 'user' ? actor.id : null;
  // the rooms' locks (after the check-ins' own, like every path): the headcounts change under them
  await lockRooms(
    tx.trx,
    rows.map((r) => r.room_id),
  );
  const updated = await repo.markCheckedOut(tx.trx, input.checkinIds, {
    pickedUpBy: name,
    kind: person?.kind ?? 'typed',
    personId: person?.id ?? null,
    userId,
    kioskId: actor.kind === 'kiosk' ? actor.id : null,
    overrideBy: override?.id ?? null,
    overrideReason: override ? input.override!.reason : null,
  });
  if (updated !== input.checkinIds.length) throw conflict('already_checked_out', 'Someone checked these children out a moment ago');
  if ((await repo.remainingInBatch(tx.trx, batchId)) === 0) await repo.revokePass(tx.trx, batchId);
  const service = await findServiceContext(tx.trx, rows[0]!.service_id);
  if (!service) throw notFound('Service');
  // the parent's text names who took the child, and says so when it was a staff override
  const smsName = override && !person ? `${name} (approved by ${override.name})` : name;
  await enqueueCheckoutConfirmation(tx, { service, householdId: batch.household_id, batchId, children: rows.map((r) => r.first_name), pickedUpBy: smsName });
  await insertAudit(tx.trx, actor, {
    action: 'checkout.create',
    entity: 'checkin_batch',
    entityId: batchId,
    details: {
      checkinIds: input.checkinIds,
      pickedUpBy: name,
      pickupPersonId: person?.id ?? null,
      pickupPersonKind: person?.kind ?? 'typed',
      verifiedBy: actor.id,
      verifiedByKind: actor.kind,
      ...(override
        ? {
            override: {
              by: override.id,
              byName: override.name,
              reason: input.override!.reason,
              possibleCustodyMatch: partial?.alert?.name ?? null,
              notOnList: !person,
            },
          }
        : {}),
    },
  });
  if (override) {
    await insertAudit(tx.trx, actor, {
      action: 'pickup.override',
      entity: 'checkin_batch',
      entityId: batchId,
      details: {
        by: override.id,
        byName: override.name,
        reason: input.override!.reason,
        releasedTo: name,
        possibleCustodyMatch: partial?.alert?.name ?? null,
        notOnList: !person,
      },
    });
  }
  const roomIds = [...new Set(rows.map((r) => r.room_id))];
  await afterRoomsChanged(tx, service, roomIds);
  tx.events.push({
    name: 'checkin.checkedOut',
    siteId: actor.siteId,
    audience: 'staff',
    payload: { serviceId: service.id, checkinIds: input.checkinIds, roomIds, at: new Date().toISOString() },
  });
  return {
    checkedOut: input.checkinIds,
    pickedUpBy: name,
    pickupPerson: person ? { id: person.id, kind: person.kind } : null,
    override: override ? { by: override.name, reason: input.override!.reason } : null,
  };
}
