import type { KioskCreate } from '../../../contracts';
import type { Knex } from 'knex';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { AppError, notFound } from '../errors';
import { newToken, randomFromAlphabet, sha256 } from '../auth/crypto';
import { insertAudit } from '../audit/audit.repo';
import { findSite } from '../sites/sites.repo';
import { presentKiosk, presentKioskSelf } from './kiosks.presenter';
import * as repo from './kiosks.repo';
import { insertPrinter, printerAtAddress, printerOfSite, printerOfKiosk } from '../printers/printers.repo';
import { normalPrinterAddress } from '../../../contracts/rules/printer-address';
import { DEFAULT_LABEL_STOCK_ID } from '../../../contracts/rules/label-stocks';
import { assertOwnSite, assertSameSite } from '../policies/ownership';

const PAIRING_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ23456789';
const PAIRING_MINUTES = 15;
const newPairingCode = () => randomFromAlphabet(PAIRING_ALPHABET, 8);

export async function createKiosk(tx: Tx, actor: Actor, input: KioskCreate) {
  assertOwnSite(actor, input.siteId);
  const printerId = await printerForNewKiosk(tx, actor, input);
  const code = newPairingCode();
  const kiosk = await repo.insertKiosk(tx.trx, {
    organization_id: actor.organizationId,
    site_id: input.siteId,
    name: input.name,
    mode: input.mode,
    printer_id: printerId,
    pairing_code_hash: sha256(code),
    pairing_expires_at: new Date(Date.now() + PAIRING_MINUTES * 60_000),
  });
  await insertAudit(tx.trx, actor, { action: 'kiosk.create', entity: 'kiosk', entityId: kiosk.id, details: { name: input.name, mode: input.mode } });
  return { kiosk: presentKiosk(kiosk), pairingCode: code, pairingExpiresAt: new Date(Date.now() + PAIRING_MINUTES * 60_000).toISOString() };
}

/**
 * The printer a new kiosk names: one of the campus's by id, or the campus's printer at the given
 * address (a new Zebra record named after the kiosk when there is none), or none.
 */
async function printerForNewKiosk(tx: Tx, actor: Actor, input: KioskCreate): Promise<string | null> {
  if (input.printerId) {
    const p = await printerOfSite(tx.trx, input.printerId, input.siteId);
    if (!p) throw notFound('Printer');
    return p.id;
  }
  const address = input.printerHost ? normalPrinterAddress(input.printerHost) : null;
  if (!address) return null;
  const existing = await printerAtAddress(tx.trx, input.siteId, address);
  if (existing) return existing.id;
  const p = await insertPrinter(tx.trx, {
    organization_id: actor.organizationId,
    site_id: input.siteId,
    name: `${input.name} printer`.slice(0, 80),
    address,
    type: 'zebra',
    stock_id: DEFAULT_LABEL_STOCK_ID,
  });
  await insertAudit(tx.trx, actor, { action: 'printer.create', entity: 'printer', entityId: p.id, details: { name: p.name, address } });
  return p.id;
}

/**
 * A fresh code for an existing kiosk (re-pairing a tablet); its old token works until the code is
 * used, then it is replaced and the old tablet's sockets are ended (`pair`).
 */
export async function newPairingCodeFor(tx: Tx, actor: Actor | null, kioskId: string) {
  const kiosk = await repo.findKiosk(tx.trx, kioskId);
  if (!kiosk || (actor && kiosk.site_id !== actor.siteId)) throw notFound('Kiosk');
  const code = newPairingCode();
  const expiresAt = new Date(Date.now() + PAIRING_MINUTES * 60_000);
  await repo.setPairingCode(tx.trx, kioskId, sha256(code), expiresAt);
  await insertAudit(tx.trx, actor, { action: 'kiosk.pairing_code', entity: 'kiosk', entityId: kioskId, siteId: kiosk.site_id });
  return { kiosk: presentKiosk(kiosk), pairingCode: code, pairingExpiresAt: expiresAt.toISOString() };
}

export async function pair(tx: Tx, pairingCode: string) {
  const token = newToken('k');
  const kiosk = await repo.consumePairingCode(tx.trx, sha256(pairingCode), sha256(token));
  if (!kiosk) throw new AppError(400, 'invalid_pairing_code', 'pairingCode: is wrong, used or expired', 'pairingCode');
  const site = await findSite(tx.trx, kiosk.site_id);
  await insertAudit(tx.trx, null, {
    action: 'kiosk.pair',
    entity: 'kiosk',
    entityId: kiosk.id,
    siteId: kiosk.site_id,
    details: { repaired: !!kiosk.previous_token_hash },
  });
  // re-paired: the old tablet's token no longer resolves; its sockets (only those) end now
  if (kiosk.previous_token_hash) {
    tx.events.push({
      name: 'kiosk.status',
      siteId: kiosk.site_id,
      audience: { kioskId: kiosk.id, tokenHash: kiosk.previous_token_hash },
      payload: { kind: 'revoked', message: 'This kiosk was paired again on another tablet' },
    });
  }
  return { token, kiosk: presentKiosk(kiosk), site: site ? { id: site.id, name: site.name, timezone: site.timezone } : null };
}

export async function listForSite(tx: Tx, actor: Actor) {
  return (await repo.listKiosks(tx.trx, actor.siteId)).map(presentKiosk);
}

export async function revoke(tx: Tx, actor: Actor, kioskId: string) {
  const kiosk = await repo.findKiosk(tx.trx, kioskId);
  assertSameSite(actor, kiosk, 'Kiosk');
  await repo.revokeKiosk(tx.trx, kioskId);
  await insertAudit(tx.trx, actor, { action: 'kiosk.revoke', entity: 'kiosk', entityId: kioskId });
  tx.events.push({ name: 'kiosk.status', siteId: actor.siteId, audience: { kioskId }, payload: { kind: 'revoked', message: 'This kiosk was unpaired' } });
}

/** GET /api/kiosk/me */
export async function me(db: Knex, actor: Actor) {
  const printer = await printerOfKiosk(db, actor.id);
  return presentKioskSelf(
    {
      id: actor.id,
      name: actor.name,
      siteId: actor.siteId,
      mode: actor.kind === 'kiosk' ? actor.mode : 'checkin',
      // a network printer takes the jobs; a browser/OS one (or none) means the tablet prints
      hasPrinter: printer?.type === 'zebra' && !!printer.address,
    },
    await findSite(db, actor.siteId),
  );
}
