import QRCode from 'qrcode';
import type { Knex } from 'knex';
import type { ExpressCodeIssued, ExpressCodeStatus, KioskHouseholdSummary } from '../../../contracts';
import { EXPRESS_CODE_ALPHABET, EXPRESS_CODE_LENGTH, EXPRESS_CODE_PREFIX, formatExpressCode } from '../../../contracts/rules';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { notFound } from '../errors';
import { randomFromAlphabet, sha256 } from '../auth/crypto';
import { insertAudit } from '../audit/audit.repo';
import { lockHouseholdOfOrganization, loadHouseholds } from './registration.repo';
import { presentHouseholds } from './registration.presenter';
import * as repo from './express.repo';

/** Express check-in codes (DESIGN §12): random, stored as sha256 only, one active per family. */
const codeHash = (code: string) => sha256(`express:${code}`);

async function familyOf(tx: Tx, actor: Actor, householdId: string) {
  const h = await lockHouseholdOfOrganization(tx.trx, actor.organizationId, householdId);
  if (!h) throw notFound('Household');
  return h;
}

export async function status(tx: Tx, actor: Actor, householdId: string): Promise<ExpressCodeStatus> {
  await familyOf(tx, actor, householdId);
  const a = await repo.activeCode(tx.trx, householdId);
  return { active: !!a, createdAt: a ? new Date(a.created_at).toISOString() : null };
}

/** Issues a new code (revoking any active one): the code is returned this once, never again. */
export async function issue(tx: Tx, actor: Actor, householdId: string): Promise<ExpressCodeIssued> {
  await familyOf(tx, actor, householdId);
  const replaced = await repo.revokeActive(tx.trx, householdId);
  const code = EXPRESS_CODE_PREFIX + randomFromAlphabet(EXPRESS_CODE_ALPHABET, EXPRESS_CODE_LENGTH);
  const row = await repo.insertCode(tx.trx, {
    organization_id: actor.organizationId,
    household_id: householdId,
    code_hash: codeHash(code),
    created_by: actor.kind === 'user' ? actor.id : null,
  });
  await insertAudit(tx.trx, actor, {
    action: replaced ? 'household.express_code_reissue' : 'household.express_code_issue',
    entity: 'household',
    entityId: householdId,
  });
  const qrDataUrl = await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 2, scale: 8 });
  return { code, codeText: formatExpressCode(code), qrDataUrl, createdAt: new Date(row.created_at).toISOString() };
}

export async function revoke(tx: Tx, actor: Actor, householdId: string): Promise<ExpressCodeStatus> {
  await familyOf(tx, actor, householdId);
  const n = await repo.revokeActive(tx.trx, householdId);
  if (!n) throw notFound('Express code');
  await insertAudit(tx.trx, actor, { action: 'household.express_code_revoke', entity: 'household', entityId: householdId });
  return { active: false, createdAt: null };
}

/** A kiosk resolves a scanned code: the family as the phone lookup gives it, or one 404 for unknown, revoked or another organisation's. */
export async function resolve(db: Knex, actor: Actor, code: string, serviceId?: string): Promise<KioskHouseholdSummary[]> {
  const householdId = await repo.householdOfCode(db, actor.organizationId, codeHash(code));
  if (!householdId) throw notFound('Family code');
  return presentHouseholds(actor, await loadHouseholds(db, [householdId], serviceId)) as KioskHouseholdSummary[];
}
