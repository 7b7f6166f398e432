/**
 * Photos of children, guardians, authorised pickups and the people named in custody alerts
 * (DESIGN §16): taken with consent, re-encoded (image.ts), shown only to whoever the policy allows
 * (server/src/policies). Every change is audited; a refused read or write is on record too.
 */
import type { Photo, PhotoKind, PhotoPutQuery } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { AppError, badRequest, forbidden, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { can, isStaffOf, type Subject } from '../policies';
import { processPhoto } from './image';
import { presentPhoto } from './photos.presenter';
import * as repo from './photos.repo';

const WHO: Record<PhotoKind, string> = { child: 'Child', guardian: 'Guardian', pickup: 'Authorised pickup', restricted: 'Custody alert' };

async function personFor(tx: Tx, actor: Actor, kind: PhotoKind, personId: string, action: 'put' | 'delete') {
  const person = await repo.lockPerson(tx.trx, kind, personId);
  // another organisation's person does not exist, as far as this caller can tell
  if (!person || person.organization_id !== actor.organizationId) throw notFound(WHO[kind]);
  const subject: Subject = {
    siteId: person.site_id,
    organizationId: person.organization_id,
    registeredHereJustNow:
      actor.kind === 'kiosk' && actor.mode === 'checkin' ? await repo.kioskRegisteredJustNow(tx.trx, actor.id, person.household_id) : false,
  };
  if (!can(actor, 'photo.write', subject)) {
    tx.auditRefusal(actor, { action: 'photo.write_refused', entity: 'household', entityId: person.household_id, details: { kind, personId, action } });
    throw forbidden(
      actor.kind === 'kiosk'
        ? 'A kiosk takes photos only of a family it has just registered'
        : 'Photos are taken by staff of the family’s campus (or an organisation admin)',
    );
  }
  return person;
}

/** Takes or replaces a person's photo. A child's needs the consenting guardian of the family (`consentBy`). */
export async function putPhoto(tx: Tx, actor: Actor, kind: PhotoKind, personId: string, q: PhotoPutQuery, upload: Buffer): Promise<Photo> {
  const person = await personFor(tx, actor, kind, personId, 'put');
  if (kind === 'child' && !q.consentBy) throw badRequest('consentBy: a child’s photo needs the id of the guardian who consented', 'consentBy');
  const guardian = q.consentBy ? await repo.guardianOf(tx.trx, person.household_id, q.consentBy) : undefined;
  if (q.consentBy && !guardian) throw badRequest('consentBy: is not a guardian of this family', 'consentBy');
  const image = await processPhoto(upload);
  const photo = await repo.replacePhoto(tx.trx, kind, personId, {
    organization_id: person.organization_id,
    ...image,
    consent_guardian_id: guardian?.id ?? null,
    consent_guardian_name: guardian ? `${guardian.first_name} ${guardian.last_name}` : null,
    consented: !!guardian,
    uploaded_by_user_id: actor.kind === 'user' ? actor.id : null,
    uploaded_by_kiosk_id: actor.kind === 'kiosk' ? actor.id : null,
  });
  await insertAudit(tx.trx, actor, {
    action: 'photo.put',
    entity: 'household',
    entityId: person.household_id,
    details: { kind, personId, photoId: photo.id, width: photo.width, height: photo.height, bytes: photo.bytes, consentBy: guardian?.id ?? null },
  });
  return presentPhoto(photo);
}

export async function deletePhoto(tx: Tx, actor: Actor, kind: PhotoKind, personId: string): Promise<void> {
  const person = await personFor(tx, actor, kind, personId, 'delete');
  const gone = await repo.deletePhoto(tx.trx, kind, personId, person.organization_id);
  if (!gone.length) throw notFound('Photo');
  await insertAudit(tx.trx, actor, {
    action: 'photo.delete',
    entity: 'household',
    entityId: person.household_id,
    details: { kind, personId, photoId: gone[0]!.id },
  });
}

/** A photo's bytes, for a caller the policy allows; everyone else learns nothing (404 across organisations, 403 within). */
export async function readPhoto(tx: Tx, actor: Actor, photoId: string): Promise<Buffer> {
  const meta = await repo.photoMeta(tx.trx, photoId);
  if (!meta || meta.organization_id !== actor.organizationId) throw notFound('Photo');
  const subject: Subject = { siteId: meta.site_id, organizationId: meta.organization_id };
  if (!isStaffOf(actor, subject)) {
    if (actor.kind === 'user' || (actor.kind === 'kiosk' && actor.mode === 'pickup'))
      subject.handedFamilyCode = await repo.wasHandedFamilyCode(tx.trx, actor, meta.household_id);
    if (actor.kind === 'user' && meta.child_id && !subject.handedFamilyCode) {
      // one statement finds the rooms the child is in that this person also serves in (the policy intersects the two sets)
      const rooms = await repo.sharedRooms(tx.trx, actor.id, meta.child_id);
      subject.roomIds = rooms;
      subject.servingRoomIds = new Set(rooms);
    }
    if (actor.kind === 'kiosk') subject.ownFreshUpload = meta.uploaded_by_kiosk_id === actor.id && meta.fresh;
  }
  if (!can(actor, 'photo.read', subject)) {
    tx.auditRefusal(actor, { action: 'photo.read_refused', entity: 'photo', entityId: photoId });
    throw new AppError(403, 'forbidden', 'You may not see this photo');
  }
  return (await repo.photoBytes(tx.trx, photoId))!;
}
