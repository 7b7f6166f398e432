import type { Knex } from 'knex';
import type { Tx } from '../db/transaction';
import type { Login } from '../../../contracts';
import { AppError, notFound, unauthorized } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { newToken, sha256, verifyPassword } from './crypto';
import * as repo from './auth.repo';
import type { Actor } from './actor';

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
// keeps the answer time the same whether or not the email exists or the account is locked
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** One answer for an unknown email, a wrong password and a locked account (no enumeration). */
export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'Email or password is wrong (after 5 failures the account is locked for 15 minutes)');

/**
 * Sign-in. The attempt is reserved first, in its own statement outside the sign-in transaction
 * (no row lock is held while scrypt runs): the count and the lock are decided there, atomically,
 * so a burst of parallel guesses verifies at most MAX_FAILURES passwords. Every path runs one
 * scrypt, so an unknown email, a wrong password and a locked account take the same time and get
 * the same answer; the refusal's audit row survives the rollback (`auditRefusal`).
 */
export async function login(db: Knex, runTx: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>, input: Login, sessionTtlHours: number) {
  const attempt = await repo.reserveLoginAttempt(db, input.email, MAX_FAILURES, LOCK_MINUTES);
  const user = attempt.reserved;
  const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH);
  return runTx(async (tx) => {
    if (!user || !ok) {
      if (attempt.userId) {
        tx.auditRefusal(null, { action: user ? 'auth.login_failed' : 'auth.login_locked', entity: 'user', entityId: attempt.userId, siteId: attempt.siteId });
      }
      throw invalidCredentials();
    }
    await repo.clearLoginFailures(tx.trx, user.id);
    const token = newToken('u');
    const expiresAt = new Date(Date.now() + sessionTtlHours * 3600_000);
    const sessionId = await repo.insertSession(tx.trx, user.id, sha256(token), expiresAt);
    await insertAudit(tx.trx, { kind: 'user', id: user.id, siteId: user.site_id, role: user.role, name: user.name, email: user.email, sessionId }, { action: 'auth.login', entity: 'user', entityId: user.id });
    return { token, expiresAt, user: { id: user.id, email: user.email, role: user.role, siteId: user.site_id, name: user.name } };
  });
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
