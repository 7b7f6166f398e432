import type { CheckinCreate, LocatedCheckinResult } from '../../../contracts';
import type { Tx } from '../db/transaction';
import { isStaff, type Actor } from '../auth/actor';
import { conflict, forbidden, notFound } from '../errors';
import { sha256 } from '../auth/crypto';
import { familyLang } from '../../../contracts/rules';
import { effectiveSettings, type ServiceContext } from '../sites/sites.repo';
import * as repo from './checkin.repo';
import { decide, frameCase, type CheckinCase, type Committed, type Decision, type Locked } from './decide';
import { announce, enterFamilyDay, recordDropOff, writeCheckins, type Answer, type CheckinWrite } from './checkin.write';
import { namedRefusals, presentAdmitted, presentReplayed, presentResult, type Refusal } from './checkin.presenter';
import { requireFamilyProof } from './family-proof';
import { assertSameOrganization } from '../policies/ownership';

export { isCheckinOpen } from './decide';
export { newSecurityCode } from './checkin.write';

export interface CheckinDeps {
  secret: Buffer;
  baseUrl: string;
}

/** The same key must carry the same request: household, services and children, in any order. */
export function requestHash(input: { householdId: string; serviceIds: string[]; childIds: string[]; extendStay?: boolean; softOverride?: boolean }): string {
  // `o` only when overriding, so every existing request keeps its hash
  return sha256(
    JSON.stringify({
      h: input.householdId,
      s: [...input.serviceIds].sort(),
      c: [...input.childIds].sort(),
      x: !!input.extendStay,
      ...(input.softOverride ? { o: true } : {}),
    }),
  );
}

/**
 * Checks a household's children in to one or more services of one day (DESIGN §3, §4), in three
 * steps: read the context, decide (decide.ts, pure), write (checkin.write.ts).
 *
 * - One code per family and day: the family's batch for the day carries the security code and the
 *   pickup pass; later check-ins join it (and lock it, so a family's check-ins run one at a time).
 * - Physical rooms: the rooms the children could use are locked (`rooms` rows, in the global
 *   order), and a room admits a child only while its physical headcount — distinct children in it
 *   that day, across every service — is below the limit in force for the admitting service.
 * - A child already checked in today is refused `already_checked_in`, unless staff add a service
 *   on purpose (`extendStay`); a child staying for two services is placed in both in one request.
 *
 * Round trips on the usual path (one service, a returning family): BEGIN, context, join the
 * family, lock and recount, insert (with its audit row, SMS receipt, the rooms' new state versions
 * and the alert inputs), COMMIT. A request that admits nobody by the committed state read with the
 * context (every room plainly full, or the children already in), whose alerts already stand, skips
 * the lock and recount: a full room's refusals do not queue on the room's lock (decide.ts).
 */
export async function checkIn(tx: Tx, actor: Actor, input: CheckinCreate, deps: CheckinDeps): Promise<LocatedCheckinResult> {
  const serviceIds = input.serviceIds ?? [input.serviceId!];
  if (input.extendStay && !isStaff(actor)) throw forbidden('extendStay: only staff can add a service for a child already checked in');
  if (input.softOverride && !isStaff(actor)) throw forbidden('softOverride: only staff can take a room past its volunteer ratio');
  const hash = requestHash({ ...input, serviceIds, softOverride: !!input.softOverride });
  const replayOf = (prev: repo.PreviousRequest | undefined) => replay(tx, prev, { householdId: input.householdId, serviceIds, hash }, deps);
  const replayRaced = async () => replayOf(await repo.findRequestByKey(tx.trx, actor.siteId, input.idempotencyKey));

  // read: everything the decision needs before any lock, in one round trip
  const { householdId, childIds, idempotencyKey } = input;
  const ctx = await repo.loadCheckinContext(tx.trx, { siteId: actor.siteId, serviceIds, householdId, childIds, idempotencyKey });
  if (ctx.services.length !== serviceIds.length) throw notFound('Service');
  const services = ctx.services.map(serviceContextOf);
  if (ctx.previous) return replayOf(ctx.previous);
  const household = ctx.household;
  // families belong to the organisation: any campus of it checks them in (never another organisation's)
  assertSameOrganization(actor, household, 'Household');
  // the kiosk's language at check-in becomes the family's (their SMS, pass page and labels)
  const lang = input.lang ?? familyLang(household.language);
  if (input.lang && input.lang !== household.language) await repo.setHouseholdLanguage(tx.trx, household.id, input.lang);

  // decide on the last committed state: answered already (nobody admitted, alerts standing), or which rooms to lock
  const c = frameCase(input, services, ctx.children, ctx.rooms);
  const committed: Committed = { rows: ctx.rooms, headcounts: ctx.counts, present: ctx.present, standing: ctx.standing };
  const first = decide(c, committed);

  // write: the family's day and this request under its key (a returning family joins its day in the rooms' lock message: one round trip fewer)
  const request = requestInsert(actor, household.organization_id, input, serviceIds, hash);
  const joinWithLock = !!ctx.family && first.kind === 'lock' && first.roomIds.length > 0 && !input.droppedOffBy;
  const entered = joinWithLock
    ? { family: ctx.family!, requestId: undefined }
    : await enterFamilyDay(tx.trx, ctx.family, request, { service: services[0]!, householdId, secret: deps.secret });
  if (entered === 'raced') return replayRaced();
  const family = entered.family;
  if (input.droppedOffBy) await recordDropOff(tx, actor, household, family.id, entered.requestId!, input.droppedOffBy);
  const code = family.security_code;
  if (!code) throw conflict('no_security_code', 'This family has no code today; ask a volunteer');

  // read under the rooms' locks and decide again, until the decision is an answer
  const settled = await lockAndDecide(tx, c, committed, first, childIds, joinWithLock ? { batchId: family.id, request } : undefined);
  if (settled === 'raced') return replayRaced();
  const { answer, locked } = settled;
  const requestId = entered.requestId ?? settled.requestId;
  // every path above recorded this request (the lock message joined the family's day, or enterFamilyDay did)
  if (!requestId) throw new Error('checkIn: the request was not recorded');

  // A kiosk that found the family by phone alone must not be handed the code its children are
  // released with: a check-in that would admit a child into a family day that already has children
  // needs proof (one that admits nobody answers without the code, as before).
  if (family.has_children && actor.kind === 'kiosk' && answer.assigned.length) {
    const proofOf = { householdId, organizationId: household.organization_id, batchId: family.id, securityCode: code, passId: family.pass_id };
    await requireFamilyProof(tx, actor, deps.secret, proofOf, input.proof);
  }

  // write: the check-ins with their audit row and receipt, then the alerts, room pushes and events
  const read = { children: new Map(ctx.children.map((ch) => [ch.id, ch])), rooms: ctx.rooms, others: ctx.others };
  const refused = namedRefusals(answer.refused, read.children);
  const w: CheckinWrite = {
    actor,
    input,
    serviceIds,
    household,
    family: { ...family, security_code: code },
    requestId,
    lang,
    c,
    read,
    answer,
    refused,
    locked,
  };
  const written = await writeCheckins(tx, w);
  const checkins = presentAdmitted(written.admitted, read.children, services, ctx.rooms);
  await announce(tx, w, written, checkins);
  return presentResult({ batchId: family.id, requestId, joined: family.has_children, securityCode: code, passId: family.pass_id, checkins, refused }, deps);
}

/** This request as recorded under its idempotency key. */
const requestInsert = (actor: Actor, organizationId: string, input: CheckinCreate, serviceIds: string[], hash: string): repo.RequestInsert => ({
  organizationId,
  siteId: actor.siteId,
  idempotencyKey: input.idempotencyKey,
  requestHash: hash,
  serviceIds,
  kioskId: actor.kind === 'kiosk' ? actor.id : null,
  userId: actor.kind === 'user' ? actor.id : null,
});

/**
 * Takes the rooms' locks the decision asks for (the regular rooms, with where the children are
 * today — and a returning family's day joined in the same message — then, if asked, the overflow
 * rooms), reading their state under them, and decides again until the decision is an answer.
 * 'raced': the joined request's idempotency key is taken.
 */
async function lockAndDecide(
  tx: Tx,
  c: CheckinCase,
  committed: Committed,
  decision: Decision,
  childIds: string[],
  join: { batchId: string; request: repo.RequestInsert } | undefined,
): Promise<{ answer: Answer; locked?: Locked; requestId?: string } | 'raced'> {
  let locked: Locked | undefined;
  let requestId: string | undefined;
  while (decision.kind === 'lock') {
    const serviceIds = c.open.map((s) => s.id);
    if (!locked) {
      const lock = await repo.lockPhysicalRooms(tx.trx, { serviceIds, roomIds: decision.roomIds, serviceDate: c.day, childIds, ...(join ? { join } : {}) });
      if (join && !lock.requestId) return 'raced';
      requestId = lock.requestId;
      locked = { rows: lock.rows, headcounts: lock.headcounts, present: lock.present, overflowLocked: false };
    } else {
      const more = await repo.lockPhysicalRooms(tx.trx, { serviceIds, roomIds: decision.roomIds, serviceDate: c.day });
      locked = {
        rows: [...locked.rows, ...more.rows],
        headcounts: new Map([...locked.headcounts, ...more.headcounts]),
        present: locked.present,
        overflowLocked: true,
      };
    }
    decision = decide(c, committed, locked);
  }
  return { answer: decision, locked, requestId };
}

/** A service row of loadCheckinContext (JSON: timestamps arrive as strings). */
function serviceContextOf(row: repo.ServiceJson): ServiceContext {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    startsAt: new Date(row.starts_at),
    checkinOpensAt: new Date(row.checkin_opens_at),
    checkinClosesAt: new Date(row.checkin_closes_at),
    serviceDate: row.service_date,
    siteName: row.site_name,
    timezone: row.timezone,
    settings: effectiveSettings(row.org_settings, row.settings),
  };
}

/**
 * The same key with the same body gives the same answer and creates nothing new; with another body
 * it is refused. No earlier request (the key's holder rolled back): try again.
 */
async function replay(
  { trx }: Tx,
  prev: repo.PreviousRequest | undefined,
  input: { householdId: string; serviceIds: string[]; hash: string },
  deps: CheckinDeps,
): Promise<LocatedCheckinResult> {
  if (!prev) throw conflict('try_again', 'Another check-in is using this key; try again');
  const same =
    prev.request_hash != null
      ? prev.request_hash === input.hash
      : // a request from before bodies were hashed: household and services must match
        prev.household_id === input.householdId && [...prev.service_ids].sort().join() === [...input.serviceIds].sort().join();
  if (!same) throw conflict('idempotency_key_reused', 'This idempotencyKey was already used for a different check-in');
  const rows = await repo.requestCheckins(trx, prev.id);
  const refused = (prev.refused ?? []) as Refusal[];
  const result = { batchId: prev.batch_id, requestId: prev.id, joined: prev.joined, securityCode: prev.security_code, passId: prev.pass_id, refused };
  return presentResult({ ...result, checkins: presentReplayed(rows) }, deps);
}
