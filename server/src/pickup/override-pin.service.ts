import type { Tx } from '../db/transaction';
import { isStaff, type Actor } from '../auth/actor';
import { forbidden } from '../errors';
import { hashPassword } from '../auth/crypto';
import { insertAudit } from '../audit/audit.repo';
import * as repo from './pickup.repo';

/** A staff member sets (or changes) their own override PIN; only its scrypt hash is stored. */
export async function setOverridePin(tx: Tx, actor: Actor, pin: string): Promise<void> {
  if (!isStaff(actor)) throw forbidden('Only staff can give overrides');
  await repo.setOverridePin(tx.trx, actor.id, await hashPassword(pin));
  await insertAudit(tx.trx, actor, { action: 'auth.override_pin_set', entity: 'user', entityId: actor.id });
}
