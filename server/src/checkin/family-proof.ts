/**
 * Joining the day's code needs proof (DESIGN §16). A family that already checked children in today
 * keeps its code for a late sibling or a second service, but a kiosk that found the family by
 * phone alone (the last 4 digits are no secret) must not be handed that code, a label carrying it
 * or the pickup pass: the code releases the children already in a room. Before such a check-in the
 * kiosk must send what only the family holds:
 * - the scan of the parent tag or pickup pass (its QR: the pass URL or bare token), while the pass lives;
 * - the scan (or typing) of the family's express code / key tag;
 * - the day's security code, typed;
 * - the 6-digit code just texted to one of the family's guardians (`POST /api/households/:id/join-code`).
 *
 * Wrong proofs are limited per family, counted before they are judged on the shared attempt
 * counters (a slot is reserved before the transaction and given back when the proof was right),
 * and audited even though the request is then refused.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { normalizeExpressCode } from '../../../contracts/rules';
import { SECURITY_CODE_LENGTH } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { AppError, tooMany } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { codeHash as expressCodeHash } from '../families/express.service';
import { householdOfCode } from '../families/express.repo';
import { joinCodeHash } from '../families/join-code';
import { withAttempt } from '../limits/attempts';
import { pickupToken, tokenFromScan } from './pickup-token';
import { passIsLive, textedCodeIsLive } from './checkin.repo';

/** Wrong proofs a family's day may take in one window before the kiosk sends the parent to the desk. */
export const PROOF_FAILURES_PER_WINDOW = 5;
export const PROOF_WINDOW_MS = 10 * 60_000;

export type ProofKind = 'security_code' | 'pass' | 'express_code' | 'texted_code';

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

/** Which of the family's secrets `proof` is, or null when it is none of them. */
export async function proofKind(
  trx: Knex.Transaction,
  secret: Buffer,
  family: { householdId: string; organizationId: string; securityCode: string; passId: string | null },
  proof: string,
): Promise<ProofKind | null> {
  const compact = proof
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '');
  if (compact.length === SECURITY_CODE_LENGTH && sameText(compact, family.securityCode.toUpperCase())) return 'security_code';
  if (/^\d{6}$/.test(compact) && (await textedCodeIsLive(trx, family.householdId, joinCodeHash(family.householdId, compact)))) return 'texted_code';
  const express = normalizeExpressCode(proof);
  if (express && (await householdOfCode(trx, family.organizationId, expressCodeHash(express))) === family.householdId) return 'express_code';
  if (family.passId) {
    const token = tokenFromScan(proof);
    if (token.length >= 16 && sameText(token, pickupToken(secret, family.passId)) && (await passIsLive(trx, family.passId))) return 'pass';
  }
  return null;
}

export const proofRequired = () =>
  new AppError(
    403,
    'proof_required',
    'proof: this family already checked in today — scan your pickup tag, pass or family code, or type the code on your tag; or see the welcome desk',
    'proof',
  );

/**
 * Decides a kiosk's check-in into a family day that already has children: throws unless `proof`
 * is one of the family's secrets; every refusal is audited (kept through the rollback).
 */
export async function requireFamilyProof(
  tx: Tx,
  actor: Actor,
  secret: Buffer,
  family: { householdId: string; organizationId: string; batchId: string; securityCode: string; passId: string | null },
  proof: string | undefined,
): Promise<ProofKind> {
  const refuse = (reason: string) =>
    tx.auditRefusal(actor, {
      action: 'checkin.proof_refused',
      entity: 'household',
      entityId: family.householdId,
      details: { reason, batchId: family.batchId },
    });
  if (!proof) {
    refuse('no_proof');
    throw proofRequired();
  }
  const kind = await proofKind(tx.trx, secret, family, proof);
  if (!kind) {
    refuse('wrong_proof');
    throw new AppError(403, 'proof_invalid', "proof: that is not this family's tag, pass or code; try again or see the welcome desk", 'proof');
  }
  return kind;
}

/**
 * Runs a kiosk request that carries a proof (a check-in, a family's reprint) under the family's
 * attempt limit (limits/attempts.ts): the attempt is counted before it is judged, and given back
 * unless the proof was wrong.
 */
export async function withProofAttempt<T>(db: Knex, actor: Actor, input: { householdId: string; proof?: string }, run: () => Promise<T>): Promise<T> {
  if (actor.kind !== 'kiosk' || !input.proof) return run();
  return withAttempt(
    db,
    { key: `checkin_proof:${input.householdId}`, limit: PROOF_FAILURES_PER_WINDOW, windowMs: PROOF_WINDOW_MS },
    async () => {
      await insertAudit(db, actor, { action: 'checkin.proof_refused', entity: 'household', entityId: input.householdId, details: { reason: 'rate_limited' } });
      throw tooMany('Too many wrong codes for this family; please see the welcome desk');
    },
    async (attempt) => {
      try {
        return await run();
      } catch (e) {
        if (e instanceof AppError && e.code === 'proof_invalid') attempt.wrong();
        throw e;
      }
    },
  );
}
