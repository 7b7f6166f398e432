import type { Tx } from '../db/transaction';
import type { Login } from '../../../contracts';
import { AppError, unauthorized } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { newToken, sha256, verifyPassword } from './crypto';
import * as repo from './auth.repo';
import type { Actor } from './actor';

const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;
// keeps the answer time the same whether or not the email exists
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export async function login({ trx }: Tx, input: Login, sessionTtlHours: number) {
  const user = await repo.findUserByEmail(trx, input.email);
  if (user?.locked_until && user.locked_until > new Date()) {
    await insertAudit(trx, null, { action: 'auth.login_locked', entity: 'user', entityId: user.id, siteId: user.site_id });
    throw new AppError(429, 'account_locked', 'Too many failed sign-ins; try again in a few minutes');
  }
  const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok) {
    if (user) {
      const lock = user.failed_logins + 1 >= MAX_FAILURES ? new Date(Date.now() + LOCK_MINUTES * 60_000) : null;
      await repo.recordLoginFailure(trx, user.id, lock);
      await insertAudit(trx, null, { action: 'auth.login_failed', entity: 'user', entityId: user.id, siteId: user.site_id });
    }
    return { failed: true as const };
  }
  if (user.failed_logins) await repo.clearLoginFailures(trx, user.id);
  const token = newToken('u');
  const expiresAt = new Date(Date.now() + sessionTtlHours * 3600_000);
  const sessionId = await repo.insertSession(trx, user.id, sha256(token), expiresAt);
  await insertAudit(trx, { kind: 'user', id: user.id, siteId: user.site_id, role: user.role, name: user.name, email: user.email, sessionId }, { action: 'auth.login', entity: 'user', entityId: user.id });
  return { failed: false as const, token, expiresAt, user: { id: user.id, email: user.email, role: user.role, siteId: user.site_id, name: user.name } };
}

export async function logout({ trx, events }: Tx, actor: Actor) {
  if (actor.kind !== 'user') throw unauthorized();
  await repo.revokeSession(trx, actor.sessionId);
  await insertAudit(trx, actor, { action: 'auth.logout', entity: 'user', entityId: actor.id });
  // this sign-in's open sockets (its dashboard tabs) stop receiving at once
  events.push({ name: 'session.ended', siteId: actor.siteId, audience: { sessionId: actor.sessionId }, payload: { reason: 'logout' } });
}
