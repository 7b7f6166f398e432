/**
 * The SMS dispatcher (DESIGN §5): sends what the outbox holds, in the server process.
 *
 * Life of a row:
 *   1. claim   pending & due → sending, attempts+1, committed at once (FOR UPDATE SKIP LOCKED).
 *              Only the claimer ever sends it; the row lock is not held across the network.
 *   2. send    outside any transaction, with the SDK (no SDK-level retries). {{pickupUrl}} is
 *              rendered now from the batch's pass (token = HMAC(secret, pass id), never stored).
 *              The status callback URL carries the row id (?n=<id>).
 *   3. record  accepted → queued + provider id; transient (network, 5xx, 429) → pending with
 *              exponential backoff and jitter until SMS_MAX_ATTEMPTS; permanent (21211, 21610,
 *              opted-out guardian) → failed, never retried.
 *
 * The crash window — Twilio accepted, but we died (or lost the database) before step 3 — is
 * handled without ever sending blind a second time:
 *   - a row left 'sending' longer than the lease (4 × the SDK timeout: no live attempt can last
 *     that long) goes back to 'pending';
 *   - every attempt after the first first asks Twilio for recent messages to that number and
 *     adopts one with the same body created since the row was enqueued (and not already owned
 *     by another row) instead of sending again. The same check covers a timeout or dropped
 *     connection where Twilio may have accepted the request we never heard back about;
 *   - independently, Twilio's status callback for the message names the row (?n=<id>), so it
 *     records the provider id and status even if step 3 never ran.
 * Net effect: at-least-once attempts, exactly-once sends as far as Twilio's own message log
 * can tell us. Residual risks, accepted: Twilio's list lagging its create by more than a retry
 * delay (a timed-out request retried seconds later could then send a second copy), and two
 * identical texts to one number both interrupted (SIDs another row owns are never adopted).
 * Nothing is ever given up silently: a row only ends 'failed' with its reason. The log
 * transport has no message log to ask: a crash mid-"send" may log a message twice.
 *
 * Every status change commits first and then publishes `notification.updated` to site staff.
 * Wake-up: the transaction that enqueues a row wakes this process's dispatchers once it commits
 * (signal.ts, on knex's executionPromise), so a receipt leaves within milliseconds; a 1 s poll
 * covers rows enqueued by other instances, retries coming due, and the lease sweep.
 */
import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { Publish } from '../db/transaction';
import { withTransaction, type Tx } from '../db/transaction';
import type { DomainEvent } from '../realtime/events';
import { pickupToken, pickupUrl } from '../checkin/pickup-token';
import { PICKUP_URL_PLACEHOLDER, PRECHECK_URL_PLACEHOLDER } from './templates';
import { precheckToken, precheckUrl } from '../precheckin/precheck-token';
import { onOutboxCommit } from './signal';
import { advance, isFinal, type NotificationStatus } from './status';
import { classify, SendFailure, UNSUBSCRIBED_CODE, type Accepted, type SmsTransport } from './transport';
import * as repo from './dispatch.repo';
import { insertAudit } from '../audit/audit.repo';
import { notificationEvent } from './notifications.presenter';
import { SMS_WORDS } from './catalogue';
import { familyLang } from '../../../contracts/rules';

export interface DispatcherOptions {
  db: Knex;
  logger: Logger;
  secret: Buffer;
  publish: Publish;
  transport: SmsTransport;
  /** Base of links in messages and of the status callback URL (PUBLIC_URL or configured). */
  publicBase: string;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a claimed row may stay 'sending' before it counts as abandoned. */
  leaseMs: number;
  /** Sends in flight at once. */
  concurrency?: number;
  /** Safety-net poll (other instances' rows, retries coming due, a missed wake-up). */
  pollMs?: number;
}

export interface Dispatcher {
  start(): void;
  /** Stops claiming; waits for sends in flight to be recorded. */
  stop(): Promise<void>;
  /** Runs until nothing is due (tests, shutdown). */
  kick(): void;
  /**
   * Kicks, and resolves once every worker has stopped because a claim found nothing due: a point
   * after which everything due at the call has been sent or recorded (tests wait for it instead of
   * sleeping before "nothing more was sent").
   */
  drain(): Promise<void>;
  readonly transport: SmsTransport;
}

/** Exponential backoff with "equal jitter": between half and all of base × 2^(try-1), capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const { db, logger, transport } = o;
  const concurrency = o.concurrency ?? 8;
  const pollMs = o.pollMs ?? 1000;
  const log = logger.child({ part: 'sms' });
  const inFlight = new Set<string>();
  const workers = new Set<Promise<void>>();
  let running = false;
  let stopping = false;
  let rekick = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  let lastSweep = 0;
  let lastClaimError = 0;
  let drained: (() => void)[] = [];

  const tx = <T>(fn: (t: Tx) => Promise<T>) => withTransaction(db, o.publish, fn);
  const event = (row: repo.NotificationRow): DomainEvent => ({
    name: 'notification.updated',
    siteId: row.site_id,
    audience: 'staff',
    payload: notificationEvent(row),
  });

  /** Locks the row, lets `decide` compute a patch from its current state, writes it, publishes. */
  async function transition(id: string, decide: (row: repo.NotificationRow) => Parameters<typeof repo.update>[2] | null) {
    return tx(async (t) => {
      const row = await repo.lockById(t.trx, id);
      if (!row) return undefined;
      const patch = decide(row);
      if (!patch) return row;
      const updated = await repo.update(t.trx, id, patch);
      t.events.push(event(updated));
      return updated;
    });
  }

  /** The claimant still owns the row: nothing (a callback, a takeover) moved it meanwhile. */
  const owns = (row: repo.NotificationRow, claimed: repo.NotificationRow) => row.status === 'sending' && row.attempts === claimed.attempts;

  async function accepted(claimed: repo.NotificationRow, a: Accepted, how: 'sent' | 'found') {
    await transition(claimed.id, (row) => {
      if (row.provider_id && row.provider_id !== a.sid) {
        log.error({ id: row.id, had: row.provider_id, got: a.sid }, 'notification already has another provider id');
        return null;
      }
      return { provider_id: a.sid, status: advance(row.status, a.status), sent_at: row.sent_at ?? new Date(), error: null };
    });
    log.debug({ id: claimed.id, sid: a.sid, how }, 'sms accepted');
  }

  async function failed(claimed: repo.NotificationRow, f: SendFailure) {
    const final = f.permanent || claimed.attempts >= o.maxAttempts;
    const error = f.permanent ? f.reason : final ? `gave up after ${claimed.attempts} attempts: ${f.reason}` : f.reason;
    const nextAt = new Date(Date.now() + backoffMs(claimed.attempts, o.retryBaseMs, o.retryMaxMs));
    await tx(async (t) => {
      const row = await repo.lockById(t.trx, claimed.id);
      if (!row || !owns(row, claimed)) return;
      const updated = await repo.update(t.trx, row.id, final ? { status: 'failed', error } : { status: 'pending', error, next_attempt_at: nextAt });
      t.events.push(event(updated));
      // Twilio says the number replied STOP: record it, so nothing else is even queued for it.
      if (f.code === UNSUBSCRIBED_CODE) await optOutPhone(t, row.to, 'twilio_21610');
    });
    if (final) log.warn({ id: claimed.id, kind: claimed.kind, reason: error }, 'sms failed');
    else log.info({ id: claimed.id, attempt: claimed.attempts, retryAt: nextAt.toISOString(), reason: error }, 'sms will be retried');
  }

  function render(row: repo.NotificationRow, passId: string | undefined): string {
    let body = row.body;
    if (body.includes(PRECHECK_URL_PLACEHOLDER)) {
      const url = row.precheckin_link_id ? precheckUrl(o.publicBase, precheckToken(o.secret, row.precheckin_link_id)) : '';
      body = body.split(PRECHECK_URL_PLACEHOLDER).join(url).trim();
    }
    if (!body.includes(PICKUP_URL_PLACEHOLDER)) return body;
    const url = passId ? pickupUrl(o.publicBase, pickupToken(o.secret, passId)) : '';
    return body.split(PICKUP_URL_PLACEHOLDER).join(url).trim();
  }

  async function process(claimed: repo.NotificationRow) {
    inFlight.add(claimed.id);
    try {
      if (await repo.recipientOptedOut(db, claimed.guardian_id, claimed.to)) {
        await transition(claimed.id, (row) => (owns(row, claimed) ? { status: 'failed', error: 'guardian opted out of SMS' } : null));
        return;
      }
      const passId = claimed.batch_id ? await repo.passIdForBatch(db, claimed.batch_id) : undefined;
      const first = await repo.firstTextTo(db, claimed);
      // the first text a number ever gets says how to stop them (DESIGN §19)
      const body = first.first ? `${render(claimed, passId)} ${SMS_WORDS[familyLang(first.language)].howToStop}` : render(claimed, passId);
      let outcome: { ok: Accepted; how: 'sent' | 'found' } | { failure: SendFailure };
      try {
        const found = claimed.attempts > 1 && transport.recent ? await findEarlierAttempt(claimed, body) : undefined;
        if (found) outcome = { ok: found, how: 'found' };
        else {
          const statusCallback = transport.kind === 'twilio' ? `${o.publicBase.replace(/\/+$/, '')}/webhooks/twilio/status?n=${claimed.id}` : undefined;
          outcome = { ok: await transport.send({ to: claimed.to, body, statusCallback }), how: 'sent' };
        }
      } catch (e) {
        outcome = { failure: classify(e) };
      }
      if ('ok' in outcome) await accepted(claimed, outcome.ok, outcome.how);
      else await failed(claimed, outcome.failure);
    } catch (e) {
      // The database failed while recording: the row stays 'sending' and the lease recovers it.
      log.error({ err: e, id: claimed.id }, 'could not record an SMS outcome');
    } finally {
      inFlight.delete(claimed.id);
    }
  }

  /** A message Twilio already holds from an interrupted earlier attempt of this row. */
  async function findEarlierAttempt(row: repo.NotificationRow, body: string): Promise<Accepted | undefined> {
    const since = new Date(new Date(row.created_at).getTime() - 5 * 60_000); // clock skew margin
    let recent: Awaited<ReturnType<NonNullable<SmsTransport['recent']>>>;
    try {
      recent = await transport.recent!(row.to, since);
    } catch (e) {
      // Not knowing is never a reason to give up on the message: always worth another try.
      throw new SendFailure(false, `could not check Twilio before resending: ${classify(e).reason}`);
    }
    const candidates = recent.filter((m) => m.body === body);
    if (!candidates.length) return undefined;
    const taken = await repo.providerIdsTaken(
      db,
      candidates.map((c) => c.sid),
      row.id,
    );
    const mine = candidates.find((c) => !taken.has(c.sid) || c.sid === row.provider_id);
    if (mine) log.info({ id: row.id, sid: mine.sid }, 'an interrupted attempt had reached Twilio; not sending again');
    return mine ? { sid: mine.sid, status: mine.status } : undefined;
  }

  async function optOutPhone(t: Tx, phone: string, via: string) {
    const guardians = await repo.guardiansByPhone(t.trx, phone);
    const toMark = guardians.filter((g) => !g.sms_opted_out_at);
    if (!toMark.length) return;
    await repo.setOptedOut(
      t.trx,
      toMark.map((g) => g.id),
      true,
    );
    await insertAudit(
      t.trx,
      'system',
      toMark.map((g) => ({ siteId: g.site_id, action: 'guardian.sms_opt_out', entity: 'guardian', entityId: g.id, details: { via } })),
    );
  }

  async function claim(): Promise<repo.NotificationRow | undefined> {
    return tx(async (t) => {
      const row = await repo.claimDue(t.trx);
      if (row) t.events.push(event(row));
      return row;
    });
  }

  async function sweep() {
    lastSweep = Date.now();
    const released = await tx(async (t) => {
      const rows = await repo.releaseStale(t.trx, o.leaseMs, [...inFlight]);
      for (const r of rows) t.events.push(event(r));
      return rows;
    });
    if (released.length) log.warn({ count: released.length }, 'recovered SMS left sending by a stopped dispatcher');
  }

  async function work() {
    while (!stopping) {
      let row: repo.NotificationRow | undefined;
      try {
        row = await claim();
      } catch (e) {
        // the database is away: say so once in a while, not on every poll
        if (Date.now() - lastClaimError > 30_000) {
          lastClaimError = Date.now();
          log.error({ err: e }, 'could not claim SMS (will keep trying)');
        }
        return;
      }
      if (!row) return;
      if (workers.size < concurrency) spawn();
      await process(row);
    }
  }

  function spawn() {
    const p: Promise<void> = work().finally(() => {
      workers.delete(p);
      if (workers.size === 0 && rekick && !stopping) {
        rekick = false;
        spawn();
      }
      if (workers.size === 0) {
        const waiting = drained;
        drained = [];
        for (const resolve of waiting) resolve();
      }
    });
    workers.add(p);
  }

  function kick() {
    if (!running || stopping) return;
    // A free slot gets a worker at once (one slow send must not hold up a new receipt); when all
    // are busy, they keep claiming — and look once more should they all be finishing right now.
    if (workers.size < concurrency) spawn();
    else rekick = true;
  }

  async function tick() {
    if (!running || stopping) return;
    try {
      if (Date.now() - lastSweep >= Math.min(o.leaseMs / 2, 5000)) await sweep();
    } catch (e) {
      log.error({ err: e }, 'sms sweep failed');
    }
    kick();
  }

  return {
    transport,
    start() {
      if (running) return;
      running = true;
      stopping = false;
      unsubscribe = onOutboxCommit(kick);
      timer = setInterval(() => void tick(), pollMs);
      timer.unref();
      void tick();
    },
    async stop() {
      stopping = true;
      running = false;
      if (timer) clearInterval(timer);
      unsubscribe?.();
      if (inFlight.size) log.info({ inFlight: inFlight.size }, 'waiting for SMS sends in flight before stopping');
      while (workers.size) await Promise.allSettled([...workers]);
    },
    kick,
    drain() {
      if (!running || stopping) return Promise.resolve();
      const done = new Promise<void>((resolve) => drained.push(resolve));
      // a fresh worker, even when others are busy: its empty claim is the proof that nothing is due
      spawn();
      return done;
    },
  };
}

export { isFinal, type NotificationStatus };
