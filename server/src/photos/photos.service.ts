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
import { assertSameOrganization } from '../policies/ownership';

const WHO: Record<PhotoKind, string> = { child: 'Child', guardian: 'Guardian', pickup: 'Authorised pickup', restricted: 'Custody alert' };

async function personFor(tx: Tx, actor: Actor, kind: PhotoKind, personId: string, action: 'put' | 'delete') {
  const person = await repo.lockPerson(tx.trx, kind, personId);
  // another organisation's person does not exist, as far as this caller can tell
  assertSameOrganization(actor, person, WHO[kind]);
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
  return storePhoto(tx, person, kind, personId, q.consentBy, upload, {
    actor,
    uploaded_by_user_id: actor.kind === 'user' ? actor.id : null,
    uploaded_by_kiosk_id: actor.kind === 'kiosk' ? actor.id : null,
  });
}

/** The family itself, on its live pickup pass or its pre-check-in link (no sign-in: the token is the proof). */
export interface FamilyUploader {
  via: 'pass' | 'precheck';
  organizationId: string;
  siteId: string;
  householdId: string;
}

/**
 * The family takes or replaces a photo of one of its own children or guardians, from its pass or
 * pre-check-in page (DESIGN §16). Always with consent: `consentBy` names one of the family's
 * guardians. Another family's person (or another organisation's) is a 404, on record; the image
 * goes through the same processing and storage as every other upload.
 */
export async function putFamilyPhoto(
  tx: Tx,
  family: FamilyUploader,
  kind: 'child' | 'guardian',
  personId: string,
  q: PhotoPutQuery,
  upload: Buffer,
): Promise<Photo> {
  const person = await repo.lockPerson(tx.trx, kind, personId);
  if (!person || person.household_id !== family.householdId || person.organization_id !== family.organizationId) {
    tx.auditRefusal(null, {
      action: 'photo.write_refused',
      entity: 'household',
      entityId: family.householdId,
      siteId: family.siteId,
      details: { kind, personId, action: 'put', via: family.via },
    });
    throw notFound(WHO[kind]);
  }
  if (!q.consentBy) throw badRequest('consentBy: a photo from the family needs the id of the guardian who consented', 'consentBy');
  return storePhoto(tx, person, kind, personId, q.consentBy, upload, {
    actor: null,
    siteId: family.siteId,
    via: family.via,
    uploaded_by_user_id: null,
    uploaded_by_kiosk_id: null,
  });
}

interface Uploader {
  actor: Actor | null;
  siteId?: string;
  via?: FamilyUploader['via'];
  uploaded_by_user_id: string | null;
  uploaded_by_kiosk_id: string | null;
}

/** The one path by which an upload is checked for consent, re-encoded, stored (replacing the old photo) and audited. */
async function storePhoto(
  tx: Tx,
  person: repo.PersonRow,
  kind: PhotoKind,
  personId: string,
  consentBy: string | undefined,
  upload: Buffer,
  by: Uploader,
): Promise<Photo> {
  const guardian = consentBy ? await repo.guardianOf(tx.trx, person.household_id, consentBy) : undefined;
  if (consentBy && !guardian) throw badRequest('consentBy: is not a guardian of this family', 'consentBy');
  const image = await processPhoto(upload);
  const photo = await repo.replacePhoto(tx.trx, kind, personId, {
    organization_id: person.organization_id,
    ...image,
    consent_guardian_id: guardian?.id ?? null,
    consent_guardian_name: guardian ? `${guardian.first_name} ${guardian.last_name}` : null,
    consented: !!guardian,
    uploaded_by_user_id: by.uploaded_by_user_id,
    uploaded_by_kiosk_id: by.uploaded_by_kiosk_id,
  });
  await insertAudit(tx.trx, by.actor, {
    action: 'photo.put',
    entity: 'household',
    entityId: person.household_id,
    ...(by.siteId ? { siteId: by.siteId } : {}),
    details: {
      kind,
      personId,
      photoId: photo.id,
      width: photo.width,
      height: photo.height,
      bytes: photo.bytes,
      consentBy: guardian?.id ?? null,
      ...(by.via ? { via: by.via } : {}),
    },
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
  assertSameOrganization(actor, meta, 'Photo');
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
