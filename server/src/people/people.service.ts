/**
 * People and their roles (DESIGN §10): invitations and password-reset links (single use, expiring,
 * only their SHA-256 stored), roles per campus or organisation-wide, deactivation (every sign-in
 * and socket ends at once), one's own password. Every change is audited.
 *
 * Who manages whom: an organisation admin manages everyone of the organisation; a campus admin
 * manages roles at their own campus only, and deactivates or issues reset links only for people
 * whose every role is at that campus (never an organisation admin: a reset link is a takeover).
 */
import crypto from 'node:crypto';
import type { BackgroundCheckUpdate, Person, PersonInvite, PersonLink, PersonRole } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { mayRecordBackgroundCheck } from '../../../contracts/rules';
import { AppError, conflict, forbidden, notFound, unauthorized } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { hashPassword, sha256, verifyPassword } from '../auth/crypto';
import { revokeSessionsOf } from '../auth/auth.repo';
import { presentPerson } from './people.presenter';
import * as repo from './people.repo';
import { siteInputRules } from '../families/input';
import { addDays } from '../../../contracts/rules';
import { assertSameOrganization } from '../policies/ownership';

export const INVITE_DAYS = 7;
export const RESET_HOURS = 2;
type UserActor = Extract<Actor, { kind: 'user' }>;

function userActor(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw unauthorized();
  return actor;
}
/** A password nobody knows (an invited person until they accept): no scrypt hash, so no sign-in. */
const unsetPassword = () => `unset$${crypto.randomBytes(16).toString('base64url')}`;
const newLinkToken = () => crypto.randomBytes(32).toString('base64url');
export const accountUrl = (base: string, token: string) => `${base.replace(/\/$/, '')}/account/${token}`;

async function present(tx: Tx, actor: UserActor, id: string): Promise<Person> {
  const p = await repo.findPerson(tx.trx, id);
  if (!p) throw notFound('Person');
  return presentPerson(p, await repo.rolesOf(tx.trx, [id]), actor.orgAdmin ? undefined : actor.siteId, await campusToday(tx, actor));
}
/** "Today" for a background check's expiry: the date at the actor's campus (its time zone), as the volunteers pages count it. */
const campusToday = async (tx: Tx, actor: UserActor) => (await siteInputRules(tx.trx, actor.siteId)).today;

/** The person, if the actor may see them at all (same organisation; a campus admin: a role at their campus). */
async function visiblePerson(tx: Tx, actor: UserActor, id: string, lock = false) {
  const p = lock ? await repo.lockPerson(tx.trx, id) : await repo.findPerson(tx.trx, id);
  assertSameOrganization(actor, p, 'Person');
  const roles = await repo.rolesOf(tx.trx, [id]);
  if (!actor.orgAdmin && !roles.some((r) => r.site_id === actor.siteId)) throw notFound('Person');
  return { p, roles };
}
/** Whole-person changes (deactivate, reset link): a campus admin only for people of their campus alone. */
function assertManagesWholePerson(actor: UserActor, p: repo.PersonRow, roles: repo.RoleRow[]) {
  if (actor.orgAdmin) return;
  if (p.org_admin || roles.some((r) => r.site_id !== actor.siteId)) throw forbidden('This person works beyond your campus: ask an organisation admin');
}

export async function list(tx: Tx, a: Actor, siteId?: string, expiringDays?: number): Promise<Person[]> {
  const actor = userActor(a);
  if (siteId && !actor.orgAdmin && siteId !== actor.siteId) throw forbidden('Only an organisation admin sees other campuses');
  const filter = actor.orgAdmin ? siteId : actor.siteId;
  const today = await campusToday(tx, actor);
  const people = await repo.listPeople(tx.trx, actor.organizationId, filter, expiringDays == null ? undefined : addDays(today, expiringDays));
  const roles = await repo.rolesOf(
    tx.trx,
    people.map((p) => p.id),
  );
  return people.map((p) => presentPerson(p, roles, actor.orgAdmin ? undefined : actor.siteId, today));
}

export async function invite(tx: Tx, a: Actor, input: PersonInvite, baseUrl: string): Promise<PersonLink> {
  const actor = userActor(a);
  const siteId = input.siteId ?? actor.siteId;
  if (input.orgAdmin && !actor.orgAdmin) throw forbidden('Only an organisation admin makes organisation admins');
  if (!actor.orgAdmin && siteId !== actor.siteId) throw forbidden('A campus admin invites to their own campus');
  if (!(await repo.siteInOrganization(tx.trx, siteId, actor.organizationId))) throw notFound('Campus');
  if (await repo.findPersonByEmail(tx.trx, actor.organizationId, input.email)) {
    throw conflict('person_exists', 'Someone with this email is already in the organisation: change their role instead');
  }
  const id = await repo.insertPerson(tx.trx, {
    organization_id: actor.organizationId,
    site_id: siteId,
    email: input.email,
    name: input.name,
    password_hash: unsetPassword(),
    org_admin: input.orgAdmin ?? false,
  });
  if (input.role) await repo.upsertRole(tx.trx, { organization_id: actor.organizationId, user_id: id, site_id: siteId, role: input.role });
  const link = await issueLink(tx, actor, id, 'invite', baseUrl);
  await insertAudit(tx.trx, actor, {
    action: 'person.invite',
    entity: 'user',
    entityId: id,
    siteId,
    details: { email: input.email, role: input.role ?? null, orgAdmin: input.orgAdmin ?? false },
  });
  return { person: await present(tx, actor, id), ...link };
}

async function issueLink(tx: Tx, actor: UserActor, userId: string, kind: 'invite' | 'reset', baseUrl: string) {
  await repo.retireUserTokens(tx.trx, userId, kind);
  const token = newLinkToken();
  const expiresAt = new Date(Date.now() + (kind === 'invite' ? INVITE_DAYS * 24 : RESET_HOURS) * 3600_000);
  await repo.insertUserToken(tx.trx, {
    organization_id: actor.organizationId,
    user_id: userId,
    kind,
    token_hash: sha256(token),
    expires_at: expiresAt,
    created_by: actor.id,
  });
  return { url: accountUrl(baseUrl, token), expiresAt: expiresAt.toISOString() };
}

export async function setRole(tx: Tx, a: Actor, userId: string, input: PersonRole): Promise<Person> {
  const actor = userActor(a);
  const { p } =
    'orgAdmin' in input
      ? await (async () => {
          const x = await repo.lockPerson(tx.trx, userId);
          assertSameOrganization(actor, x, 'Person');
          return { p: x };
        })()
      : await visiblePersonOrNew(tx, actor, userId);
  if (userId === actor.id) throw forbidden('Ask another admin to change your own roles');
  if ('orgAdmin' in input) {
    if (!actor.orgAdmin) throw forbidden('Only an organisation admin changes organisation admins');
    await repo.updatePerson(tx.trx, userId, { org_admin: input.orgAdmin });
    if (!input.orgAdmin) await endSessionsWithoutRole(tx, userId);
    await insertAudit(tx.trx, actor, { action: 'person.org_admin', entity: 'user', entityId: userId, details: { orgAdmin: input.orgAdmin } });
    return present(tx, actor, userId);
  }
  const siteId = input.siteId ?? actor.siteId;
  if (!actor.orgAdmin && siteId !== actor.siteId) throw forbidden('A campus admin changes roles at their own campus');
  if (!actor.orgAdmin && p.org_admin) throw forbidden('Organisation admins are changed by an organisation admin');
  if (!(await repo.siteInOrganization(tx.trx, siteId, actor.organizationId))) throw notFound('Campus');
  if (input.role) {
    await repo.upsertRole(tx.trx, { organization_id: actor.organizationId, user_id: userId, site_id: siteId, role: input.role });
    if (!p.site_id) await repo.updatePerson(tx.trx, userId, { site_id: siteId });
  } else {
    await repo.deleteRole(tx.trx, userId, siteId);
    if (!p.org_admin) endSessions(tx, await repo.revokeSessionsAt(tx.trx, userId, siteId));
  }
  await insertAudit(tx.trx, actor, { action: 'person.role', entity: 'user', entityId: userId, siteId, details: { role: input.role } });
  return present(tx, actor, userId);
}

/** A role is given to anyone of the organisation (a person of another campus starts helping here). */
async function visiblePersonOrNew(tx: Tx, actor: UserActor, userId: string) {
  const p = await repo.lockPerson(tx.trx, userId);
  assertSameOrganization(actor, p, 'Person');
  return { p };
}

/** Sign-ins at campuses where the person no longer holds a role (after losing organisation admin). */
async function endSessionsWithoutRole(tx: Tx, userId: string) {
  const roles = new Set((await repo.rolesOf(tx.trx, [userId])).map((r) => r.site_id));
  for (const site_id of await repo.siteIdsWithLiveSessions(tx.trx, userId))
    if (!roles.has(site_id)) endSessions(tx, await repo.revokeSessionsAt(tx.trx, userId, site_id));
}

/** Ended sign-ins' open sockets get `session.ended` and are dropped right after commit. */
function endSessions(tx: Tx, sessions: { id: string; site_id: string }[]) {
  for (const s of sessions) tx.events.push({ name: 'session.ended', siteId: s.site_id, audience: { sessionId: s.id }, payload: { reason: 'revoked' } });
}

export async function deactivate(tx: Tx, a: Actor, userId: string): Promise<Person> {
  const actor = userActor(a);
  const { p, roles } = await visiblePerson(tx, actor, userId, true);
  if (userId === actor.id) throw forbidden('You cannot deactivate yourself');
  assertManagesWholePerson(actor, p, roles);
  if (!p.deactivated_at) {
    await repo.updatePerson(tx.trx, userId, { deactivated_at: tx.trx.fn.now() });
    endSessions(tx, await revokeSessionsOf(tx.trx, userId));
    await repo.retireUserTokens(tx.trx, userId);
    await insertAudit(tx.trx, actor, { action: 'person.deactivate', entity: 'user', entityId: userId });
  }
  return present(tx, actor, userId);
}

export async function reactivate(tx: Tx, a: Actor, userId: string): Promise<Person> {
  const actor = userActor(a);
  const { p, roles } = await visiblePerson(tx, actor, userId, true);
  assertManagesWholePerson(actor, p, roles);
  if (p.deactivated_at) {
    await repo.updatePerson(tx.trx, userId, { deactivated_at: null, failed_logins: 0, locked_until: null });
    await insertAudit(tx.trx, actor, { action: 'person.reactivate', entity: 'user', entityId: userId });
  }
  return present(tx, actor, userId);
}

export async function resetLink(tx: Tx, a: Actor, userId: string, baseUrl: string): Promise<PersonLink> {
  const actor = userActor(a);
  const { p, roles } = await visiblePerson(tx, actor, userId, true);
  assertManagesWholePerson(actor, p, roles);
  if (p.deactivated_at) throw conflict('person_deactivated', 'Reactivate this person first');
  // a person who never accepted the invitation gets a fresh invitation instead
  const kind = p.password_hash.startsWith('unset$') ? 'invite' : 'reset';
  const link = await issueLink(tx, actor, userId, kind, baseUrl);
  await insertAudit(tx.trx, actor, { action: kind === 'invite' ? 'person.invite_reissued' : 'person.reset_link', entity: 'user', entityId: userId });
  return { person: await present(tx, actor, userId), ...link };
}

export const linkInvalid = () => new AppError(410, 'link_invalid', 'This link was used already, has expired or is not valid; ask an admin for a new one');

/** Sets the password with an invitation or reset link: once. A reset ends every open sign-in. */
export async function setPasswordWithLink(tx: Tx, token: string, password: string): Promise<{ email: string; kind: 'invite' | 'reset' }> {
  const used = await repo.consumeUserToken(tx.trx, sha256(token));
  if (!used) {
    tx.auditRefusal(null, { action: 'person.link_refused', entity: 'user_token', details: { tokenHashPrefix: sha256(token).slice(0, 12) } });
    throw linkInvalid();
  }
  await repo.updatePerson(tx.trx, used.user_id, { password_hash: await hashPassword(password), failed_logins: 0, locked_until: null });
  await repo.retireUserTokens(tx.trx, used.user_id);
  endSessions(tx, await revokeSessionsOf(tx.trx, used.user_id));
  await insertAudit(tx.trx, null, {
    action: used.kind === 'invite' ? 'person.invite_accepted' : 'person.password_reset',
    entity: 'user',
    entityId: used.user_id,
  });
  const p = await repo.findPerson(tx.trx, used.user_id);
  return { email: p!.email, kind: used.kind };
}

/** One's own password: the current one first; every other sign-in of the person ends. */
export async function changeOwnPassword(tx: Tx, a: Actor, current: string, next: string): Promise<void> {
  const actor = userActor(a);
  const p = await repo.lockPerson(tx.trx, actor.id);
  if (!p) throw unauthorized();
  if (
    !(await verifyPassword(
      current,
      p.password_hash.startsWith('scrypt$') ? p.password_hash : 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ))
  ) {
    tx.auditRefusal(actor, { action: 'person.password_change_refused', entity: 'user', entityId: actor.id });
    throw new AppError(403, 'wrong_password', 'The current password is wrong');
  }
  await repo.updatePerson(tx.trx, actor.id, { password_hash: await hashPassword(next) });
  endSessions(tx, await revokeSessionsOf(tx.trx, actor.id, actor.sessionId));
  await insertAudit(tx.trx, actor, { action: 'person.password_change', entity: 'user', entityId: actor.id });
}

export async function linkInfo(tx: Tx, token: string) {
  return repo.peekUserToken(tx.trx, sha256(token));
}

/** Records a person's background check (DESIGN §13): status and expiry, audited. */
export async function setBackgroundCheck(tx: Tx, a: Actor, id: string, input: BackgroundCheckUpdate): Promise<Person> {
  const actor = userActor(a);
  // the one rule, whichever route records it (people or volunteers)
  if (!mayRecordBackgroundCheck(actor, id)) throw forbidden('Ask someone else to record your own background check');
  const { p } = await visiblePerson(tx, actor, id, true);
  const expiresOn = input.expiresOn ?? null;
  await repo.updatePerson(tx.trx, id, { background_check_status: input.status, background_check_expires_on: expiresOn });
  await insertAudit(tx.trx, actor, {
    action: 'person.background_check',
    entity: 'user',
    entityId: id,
    details: { before: { status: p.background_check_status, expiresOn: p.background_check_expires_on }, after: { status: input.status, expiresOn } },
  });
  return present(tx, actor, id);
}
