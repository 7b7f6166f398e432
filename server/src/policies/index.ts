/**
 * Who may see what (DESIGN §16, CONVENTIONS 18), decided here and nowhere else: medical notes,
 * photos, security codes and full phone numbers. Routes, presenters and socket events ask
 * `can(actor, action, subject)`; the caller loads the facts (the subject's campus and family,
 * the rooms the actor serves in, the families whose code the actor was handed) and this decides,
 * synchronously and without I/O, so every rule has a plain unit test.
 *
 * Like outline's server/policies: one function, an action name, a subject. A new rule (say, a
 * room's checked-in volunteers reading medical notes) is a line here plus the fact it needs on
 * `Subject`, never a check in a route.
 */
import { roleAtLeast, type Actor } from '../auth/actor';

export type Action =
  /** a child's medical note, in full (everyone else may see that there is one) */
  | 'medical.read'
  /** a person's photo (child, guardian, authorised pickup, custody alert) */
  | 'photo.read'
  /** take, replace or delete a person's photo */
  | 'photo.write'
  /** the family's security code of the day */
  | 'code.read'
  /** a full phone number (others see it masked) */
  | 'phone.read';

/** What the decision is about, and the facts about the actor's relation to it (absent = not known, so not granted). */
export interface Subject {
  /** the campus the record belongs to (a family's home campus, a check-in's campus) */
  siteId: string;
  /** its organisation; when omitted, the campus is assumed to be in the actor's organisation only if it is the actor's campus */
  organizationId?: string;
  /** the rooms the subject (a child) is checked in to right now */
  roomIds?: readonly string[];
  /** the rooms the actor (a volunteer) is checked in to today */
  servingRoomIds?: ReadonlySet<string>;
  /** the actor presented this family's code or pass today (a door volunteer, a pickup kiosk) */
  handedFamilyCode?: boolean;
  /** a check-in kiosk's own photo, taken moments ago (it may show it back, nothing else) */
  ownFreshUpload?: boolean;
  /** the family was registered moments ago by this check-in kiosk (it may take their photos) */
  registeredHereJustNow?: boolean;
}

const sameOrganization = (actor: Actor, s: Subject) => (s.organizationId ? s.organizationId === actor.organizationId : s.siteId === actor.siteId);
const atCampus = (actor: Actor, s: Subject) => sameOrganization(actor, s) && s.siteId === actor.siteId;

/** Staff (or admin) of the subject's campus; an organisation admin at every campus of the organisation. */
export function isStaffOf(actor: Actor, s: Subject): boolean {
  if (actor.kind !== 'user' || !roleAtLeast(actor.role, 'staff') || !sameOrganization(actor, s)) return false;
  return s.siteId === actor.siteId || actor.orgAdmin;
}

/** A volunteer (any signed-in person of the campus) checked in to a room the child is in. */
const servesChild = (actor: Actor, s: Subject) =>
  actor.kind === 'user' && atCampus(actor, s) && !!s.servingRoomIds && !!s.roomIds?.some((r) => s.servingRoomIds!.has(r));

/** Was handed the family's code or pass today, at this campus: a door volunteer or the pickup kiosk that verified it. */
const handedCode = (actor: Actor, s: Subject) =>
  atCampus(actor, s) && !!s.handedFamilyCode && (actor.kind === 'user' || (actor.kind === 'kiosk' && actor.mode === 'pickup'));

/**
 * An integration's key with a families scope (the church database's sync) reads full phone numbers
 * where a campus's staff would: the organisation's families, or its campus's when the key is
 * limited to one. Never medical notes, photos or security codes.
 */
const syncsFamiliesOf = (actor: Actor, s: Subject) =>
  actor.kind === 'integration' &&
  (actor.scopes.includes('families:read') || actor.scopes.includes('families:write')) &&
  sameOrganization(actor, s) &&
  (actor.keySiteId === null || s.siteId === actor.keySiteId);

export function can(actor: Actor | undefined | null, action: Action, s: Subject): boolean {
  if (!actor || actor.kind === 'display') return false;
  switch (action) {
    case 'medical.read':
      return isStaffOf(actor, s) || servesChild(actor, s);
    case 'photo.read':
      return (
        isStaffOf(actor, s) ||
        handedCode(actor, s) ||
        servesChild(actor, s) ||
        (actor.kind === 'kiosk' && actor.mode === 'checkin' && atCampus(actor, s) && !!s.ownFreshUpload)
      );
    case 'photo.write':
      return isStaffOf(actor, s) || (actor.kind === 'kiosk' && actor.mode === 'checkin' && atCampus(actor, s) && !!s.registeredHereJustNow);
    case 'code.read':
      return isStaffOf(actor, s) || handedCode(actor, s);
    case 'phone.read':
      return isStaffOf(actor, s) || syncsFamiliesOf(actor, s);
  }
}

/**
 * A child's medical note, in the shape the rosters' callers use: staff and admins; a volunteer
 * checked in to the child's room (`servingRoomIds`: the rooms they are checked in to on the day of
 * the child's service); nobody else. Where no room is known (a family record, a pickup), staff only.
 */
export function readsMedicalNotes(actor: Actor, child?: { roomId: string; servingRoomIds: ReadonlySet<string> }): boolean {
  return can(actor, 'medical.read', { siteId: actor.siteId, ...(child ? { roomIds: [child.roomId], servingRoomIds: child.servingRoomIds } : {}) });
}
