import type { Knex } from 'knex';
import type { Tx } from '../db/transaction';
import type { Login, Role } from '../../../contracts';
import { AppError, forbidden, notFound, unauthorized } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { newToken, sha256, verifyPassword } from './crypto';
import * as repo from './auth.repo';
import type { Actor } from './actor';

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
// keeps the answer time the same whether or not the email exists or the account is locked
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** One answer for an unknown email, a wrong password and a locked account (no enumeration). */
export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'Email or password is wrong (after 5 failures the account is locked for 15 minutes)');

/**
 * Sign-in. The attempt is reserved first, in its own statement outside the sign-in transaction
 * (no row lock is held while scrypt runs): the count and the lock are decided there, atomically,
 * so a burst of parallel guesses verifies at most MAX_FAILURES passwords. Every path runs one
 * scrypt, so an unknown email, a wrong password and a locked account take the same time and get
 * the same answer; the refusal's audit row survives the rollback (`auditRefusal`).
 */
export async function login(db: Knex, runTx: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>, input: Login, sessionTtlHours: number) {
  const attempt = await repo.reserveLoginAttempt(db, input.email, MAX_FAILURES, LOCK_MINUTES, input.organizationId ?? null);
  const user = attempt.reserved;
  // an invited person who has not set a password yet has no scrypt hash: the dummy one keeps the time the same
  const usable = user?.password_hash.startsWith('scrypt$') ? user.password_hash : undefined;
  const ok = (await verifyPassword(input.password, usable ?? DUMMY_HASH)) && usable != null;
  return runTx(async (tx) => {
    if (!user || !ok) {
      if (attempt.userId) {
        tx.auditRefusal(null, { action: user ? 'auth.login_failed' : 'auth.login_locked', entity: 'user', entityId: attempt.userId, siteId: attempt.siteId });
      }
      throw invalidCredentials();
    }
    await repo.clearLoginFailures(tx.trx, user.id);
    const campuses = await repo.campusesOf(tx.trx, user.id);
    // the campus asked for, else the person's default campus, else their first
    const campus = input.siteId ? campuses.find((c) => c.siteId === input.siteId) : (campuses.find((c) => c.siteId === user.site_id) ?? campuses[0]);
    if (!campus) throw input.siteId ? forbidden('You have no role at that campus') : forbidden('You have no role at any campus yet; ask an admin');
    return { ...(await openSession(tx, user, campus, sessionTtlHours)), campuses };
  });
}

async function openSession(
  tx: Tx,
  user: { id: string; organization_id: string; org_admin: boolean; name: string; email: string },
  campus: { siteId: string; role: Role },
  sessionTtlHours: number,
) {
  const token = newToken('u');
  const expiresAt = new Date(Date.now() + sessionTtlHours * 3600_000);
  const sessionId = await repo.insertSession(tx.trx, user.id, campus.siteId, sha256(token), expiresAt);
  const actor: Actor = {
    kind: 'user',
    id: user.id,
    siteId: campus.siteId,
    organizationId: user.organization_id,
    orgAdmin: user.org_admin,
    role: campus.role,
    name: user.name,
    email: user.email,
    sessionId,
  };
  await insertAudit(tx.trx, actor, { action: 'auth.login', entity: 'user', entityId: user.id });
  return { token, expiresAt, user: presentUser(actor) };
}

/** The campuses where the user holds a role (the campus switcher). */
export const campusesOf = (db: Knex, userId: string) => repo.campusesOf(db, userId);

export const presentUser = (a: Extract<Actor, { kind: 'user' }>) => ({
  id: a.id,
  email: a.email,
  role: a.role,
  siteId: a.siteId,
  name: a.name,
  organizationId: a.organizationId,
  orgAdmin: a.orgAdmin,
});

/**
 * Acting at another campus: a sign-in belongs to one campus for its whole life (its sockets sit in
 * that campus's rooms), so switching opens a new sign-in there and ends this one.
 */
export async function switchCampus(tx: Tx, actor: Actor, siteId: string, sessionTtlHours: number) {
  if (actor.kind !== 'user') throw unauthorized();
  const campuses = await repo.campusesOf(tx.trx, actor.id);
  const campus = campuses.find((c) => c.siteId === siteId);
  if (!campus) throw forbidden('You have no role at that campus');
  await repo.revokeSession(tx.trx, actor.sessionId);
  tx.events.push({ name: 'session.ended', siteId: actor.siteId, audience: { sessionId: actor.sessionId }, payload: { reason: 'logout' } });
  const opened = await openSession(
    tx,
    { id: actor.id, organization_id: actor.organizationId, org_admin: actor.orgAdmin, name: actor.name, email: actor.email },
    campus,
    sessionTtlHours,
  );
  return { ...opened, campuses };
}

/** An admin ends a lock early (a staff member kept out by someone else's guesses). */
export async function unlock({ trx }: Tx, actor: Actor, userId: string) {
  if (!(await repo.unlockUser(trx, userId, actor.siteId))) throw notFound('User');
  await insertAudit(trx, actor, { action: 'auth.unlock', entity: 'user', entityId: userId });
}

export async function logout({ trx, events }: Tx, actor: Actor) {
  if (actor.kind !== 'user') throw unauthorized();
  await repo.revokeSession(trx, actor.sessionId);
  await insertAudit(trx, actor, { action: 'auth.logout', entity: 'user', entityId: actor.id });
  // this sign-in's open sockets (its dashboard tabs) stop receiving at once
  events.push({ name: 'session.ended', siteId: actor.siteId, audience: { sessionId: actor.sessionId }, payload: { reason: 'logout' } });
}
