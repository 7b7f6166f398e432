import crypto from 'node:crypto';
import QRCode from 'qrcode';
import type { Knex } from 'knex';
import type { ExpressCodeIssued, ExpressCodeStatus, KioskHouseholdSummary } from '../../../contracts';
import { EXPRESS_CODE_ALPHABET, EXPRESS_CODE_LENGTH, EXPRESS_CODE_PREFIX, formatExpressCode } from '../../../contracts/rules';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { conflict, notFound } from '../errors';
import { sha256 } from '../auth/crypto';
import { insertAudit } from '../audit/audit.repo';
import { lockHouseholdOfOrganization, loadHouseholds } from './registration.repo';
import { presentHouseholds } from './registration.presenter';
import * as repo from './express.repo';
import { withPending } from '../precheckin/kiosk';
import { withProofNeeded } from '../checkin/proof-needed';

/**
 * Express check-in codes (DESIGN §12), stored as sha256 only, one active per family. A code is
 * HMAC(secret, its row's random id) spelled in the code alphabet — random to anyone without the
 * secret, like the pickup-pass token — so the server can show it again on the family's own phone
 * pages (pass, pre-check-in) without ever storing it. A code made before this (plain random) still
 * works at the kiosk; it just cannot be shown again (its hash does not match the derivation).
 */
export const codeHash = (code: string) => sha256(`express:${code}`);

export function derivedExpressCode(secret: Buffer, id: string): string {
  const limit = 256 - (256 % EXPRESS_CODE_ALPHABET.length);
  let out = '';
  for (let round = 0; out.length < EXPRESS_CODE_LENGTH; round++) {
    for (const b of crypto.createHmac('sha256', secret).update(`express-code:${id}:${round}`).digest()) {
      if (b < limit) out += EXPRESS_CODE_ALPHABET[b % EXPRESS_CODE_ALPHABET.length];
      if (out.length === EXPRESS_CODE_LENGTH) break;
    }
  }
  return EXPRESS_CODE_PREFIX + out;
}

/** The code of an active row, when it is one this server derived (else null: an old random code). */
export const showableCode = (secret: Buffer, row: { id: string; code_hash: string }) => {
  const code = derivedExpressCode(secret, row.id);
  return codeHash(code) === row.code_hash ? code : null;
};

export const expressQrDataUrl = (code: string) => QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 2, scale: 8 });

/**
 * The family's code to show on their phone: the active one when it can be shown; a new one when
 * the family has none (never replacing an active one: a printed key tag keeps working).
 */
export async function codeForFamilyPage(trx: Knex | Knex.Transaction, secret: Buffer, organizationId: string, householdId: string): Promise<string | null> {
  const active = await repo.activeCodeRow(trx, householdId);
  if (active) return showableCode(secret, active);
  const id = crypto.randomUUID();
  const code = derivedExpressCode(secret, id);
  const made = await repo.insertCodeIfNone(trx, {
    id,
    organization_id: organizationId,
    household_id: householdId,
    code_hash: codeHash(code),
    created_by: null,
  });
  if (made) {
    await insertAudit(trx, null, { action: 'household.express_code_issue', entity: 'household', entityId: householdId, details: { by: 'family_page' } });
    return code;
  }
  const raced = await repo.activeCodeRow(trx, householdId);
  return raced ? showableCode(secret, raced) : null;
}

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
export async function issue(tx: Tx, actor: Actor, householdId: string, secret: Buffer): Promise<ExpressCodeIssued> {
  await familyOf(tx, actor, householdId);
  const replaced = await repo.revokeActive(tx.trx, householdId);
  const id = crypto.randomUUID();
  const code = derivedExpressCode(secret, id);
  const row = await repo.insertCode(tx.trx, {
    id,
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
  const qrDataUrl = await expressQrDataUrl(code);
  return { code, codeText: formatExpressCode(code), qrDataUrl, createdAt: new Date(row.created_at).toISOString() };
}

export async function revoke(tx: Tx, actor: Actor, householdId: string): Promise<ExpressCodeStatus> {
  await familyOf(tx, actor, householdId);
  const n = await repo.revokeActive(tx.trx, householdId);
  if (!n) throw notFound('Express code');
  await insertAudit(tx.trx, actor, { action: 'household.express_code_revoke', entity: 'household', entityId: householdId });
  return { active: false, createdAt: null };
}

/**
 * The family's code to print on a key tag (DESIGN §18), with the family's name: its active code
 * when it can be shown again, a first one when it has none (a family's first key tag). An old
 * random code cannot be printed (it is not stored): issuing a new one is the desk's choice.
 */
export async function codeForKeyTag(tx: Tx, actor: Actor, householdId: string, secret: Buffer): Promise<{ code: string; familyName: string }> {
  const h = await familyOf(tx, actor, householdId);
  const code = await codeForFamilyPage(tx.trx, secret, actor.organizationId, householdId);
  if (!code)
    throw conflict(
      'express_code_not_showable',
      "This family's express code was made before codes could be shown again; issue a new code, then print the key tag",
    );
  return { code, familyName: h.name };
}

/** A kiosk resolves a scanned code: the family as the phone lookup gives it, or one 404 for unknown, revoked or another organisation's. */
export async function resolve(db: Knex, actor: Actor, code: string, serviceId?: string): Promise<KioskHouseholdSummary[]> {
  const householdId = await repo.householdOfCode(db, actor.organizationId, codeHash(code));
  if (!householdId) throw notFound('Family code');
  const found = await withPending(db, actor, presentHouseholds(actor, await loadHouseholds(db, [householdId], serviceId)) as KioskHouseholdSummary[]);
  return withProofNeeded(db, actor, found, serviceId);
}
