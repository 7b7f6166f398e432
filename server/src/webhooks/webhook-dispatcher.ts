/**
 * The webhook dispatcher (DESIGN §20), shaped like the SMS one (notifications/dispatcher.ts) and
 * running in every server process:
 *   1. claim   a batch (up to `batchSize`) of pending & due → sending, attempts+1, in one
 *              statement committed at once (FOR UPDATE SKIP LOCKED): only the claimer sends
 *              them, and no lock is held across the network;
 *   2. send    signed with `standardwebhooks` (webhook-id = the delivery's id, the same on every
 *              attempt; webhook-timestamp = this attempt; webhook-signature with the current
 *              secret and, during a rotation's overlap, the previous one too), one POST with a
 *              timeout, redirects not followed;
 *              (the batch's POSTs go out together, over keep-alive connections);
 *   3. record  the batch's outcomes in one statement: 2xx → delivered; anything else (3xx, 4xx, 5xx, network, timeout) → pending again
 *              with exponential backoff and jitter, until WEBHOOK_GIVE_UP_MS after the delivery
 *              was written → failed. A refused target (private address) fails at once.
 * A delivery left 'sending' for longer than the lease (4 × the timeout: no live attempt lasts that
 * long) was cut off by a crash; the sweep puts it back to pending and it is sent again with the
 * same webhook-id. At least once: receivers de-duplicate by webhook-id.
 *
 * Pacing (issue 32): when the server is idle, a commit that wrote deliveries wakes the dispatcher
 * at once. During a rush (check-ins waiting for a database connection, or the event loop busy
 * ≥ 70 % of the time) every such wake-up used to cost a claim and an outcome statement for a
 * handful of rows, on the pool and the cores the check-ins need. While busy, ordinary deliveries
 * are therefore claimed in rounds at most once per `paceMs` (default 2 s), in larger batches
 * (`pacedBatchSize`, default 8 × batchSize), each round sending everything due when it started.
 * So no delivery waits more than `paceMs` before its round begins (then the round's sending
 * time). Urgent events (`checkin.flagged`, `emergency.started`) are never held: their commit
 * claims them at once, whatever the pace.
 */
import type { Knex } from 'knex';
import { Webhook } from 'standardwebhooks';
import type { Logger } from '../logger';
import { backoffMs } from '../notifications/dispatcher';
import * as repo from './webhooks.repo';
import { onWebhookOutboxCommit, URGENT_WEBHOOK_EVENTS } from './webhook-outbox';
import { openSecret } from './webhook-secrets';
import { postWebhook } from './webhook-sender';
import { TargetRefused } from './webhook-target';

export interface WebhookDispatcherOptions {
  db: Knex;
  logger: Logger;
  secret: Buffer;
  allowPrivate: boolean;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  giveUpMs: number;
  leaseMs?: number;
  concurrency?: number;
  /** deliveries claimed (and their outcomes recorded) per round trip */
  batchSize?: number;
  pollMs?: number;
  /** Called when a delivery is claimed, before it is sent (tests use it to race dispatchers). */
  onClaim?: (row: repo.ClaimedRow) => void;
  /** while busy, ordinary deliveries are claimed in rounds at most this often (the bound on their wait) */
  paceMs?: number;
  /** deliveries claimed per statement while busy */
  pacedBatchSize?: number;
  /** whether check-ins are competing for the server now (default: `busyProbe(db)`) */
  busy?: () => boolean;
}

/**
 * The server is busy when a query waits for a pool connection (check-ins queue behind the
 * dispatcher's statements) or the event loop was busy ≥ `threshold` of the last ≥ `windowMs`.
 */
export function busyProbe(db: Knex, threshold = 0.7, windowMs = 250): () => boolean {
  let last = performance.eventLoopUtilization();
  let lastAt = performance.now();
  let busy = false;
  return () => {
    const pool = (db.client as { pool?: { numPendingAcquires?: () => number } }).pool;
    if ((pool?.numPendingAcquires?.() ?? 0) > 0) return true;
    const now = performance.now();
    if (now - lastAt >= windowMs) {
      const cur = performance.eventLoopUtilization();
      busy = performance.eventLoopUtilization(cur, last).utilization >= threshold;
      last = cur;
      lastAt = now;
    }
    return busy;
  };
}

export interface WebhookDispatcher {
  start(): void;
  stop(): Promise<void>;
  kick(): void;
  /** Resolves once a claim found nothing due (everything due at the call has been attempted). */
  drain(): Promise<void>;
}

// a signer per secret (its constructor decodes the secret: once, not once per delivery)
const signers = new Map<string, Webhook>();
function signer(secret: string): Webhook {
  let w = signers.get(secret);
  if (!w) {
    if (signers.size > 1000) signers.clear();
    w = new Webhook(secret);
    signers.set(secret, w);
  }
  return w;
}

/** The `webhook-*` headers of one attempt, signed with every secret that is valid now. */
export function signedHeaders(id: string, body: string, secrets: string[], at = new Date()): Record<string, string> {
  const signatures = secrets.map((s) => signer(s).sign(id, at, body));
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signatures.join(' ') };
}

export function createWebhookDispatcher(o: WebhookDispatcherOptions): WebhookDispatcher {
  const { db } = o;
  const log = o.logger.child({ part: 'webhooks' });
  const concurrency = o.concurrency ?? 4;
  const batchSize = o.batchSize ?? 32;
  const pollMs = o.pollMs ?? 1000;
  const leaseMs = o.leaseMs ?? 4 * o.timeoutMs;
  const paceMs = o.paceMs ?? 2000;
  const pacedBatchSize = o.pacedBatchSize ?? 8 * batchSize;
  const busy = o.busy ?? busyProbe(db);
  /** when the last round of ordinary deliveries began (rounds are at most once per paceMs while busy) */
  let lastRound = 0;
  let paceTimer: NodeJS.Timeout | undefined;
  const inFlight = new Set<string>();
  const workers = new Set<Promise<void>>();
  let running = false;
  let stopping = false;
  let rekick = false;
  /** workers of ordinary rounds (urgent ones come on top) */
  let ordinary = 0;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  let lastSweep = 0;
  let lastClaimError = 0;
  let drained: (() => void)[] = [];

  // sealed secret → opened (decrypting once per secret, not once per delivery; a rotation seals a new one)
  const opened = new Map<string, string>();
  const open = (sealed: string) => {
    let s = opened.get(sealed);
    if (s === undefined) {
      if (opened.size > 1000) opened.clear();
      s = openSecret(o.secret, sealed);
      opened.set(sealed, s);
    }
    return s;
  };
  function secretsOf(row: repo.ClaimedRow): string[] {
    const out = [open(row.secret_enc)];
    if (row.previous_secret_enc && row.previous_secret_expires_at && row.previous_secret_expires_at.getTime() > Date.now()) {
      out.push(open(row.previous_secret_enc));
    }
    return out;
  }

  /** One attempt: the POST and what it means for the delivery (nothing is written here). */
  async function attempt(row: repo.ClaimedRow): Promise<repo.Outcome> {
    const body = row.body;
    let status: number | null = null;
    let error: string | null = null;
    let permanent = false;
    try {
      const headers = signedHeaders(row.id, body, secretsOf(row));
      status = (await postWebhook(row.url, body, headers, { timeoutMs: o.timeoutMs, allowPrivate: o.allowPrivate })).status;
      if (status >= 300 && status < 400) error = `answered ${status}: redirects are not followed`;
      else if (status < 200 || status >= 300) error = `answered ${status}`;
    } catch (e) {
      permanent = e instanceof TargetRefused || (e as NodeJS.ErrnoException).code === 'EPRIVATE';
      error = (e as Error).message || String(e);
    }
    const base = { id: row.id, attempt: row.attempts, lastStatusCode: status };
    if (!error) {
      log.debug({ id: row.id, event: row.event, status }, 'webhook delivered');
      return { ...base, status: 'delivered', lastError: null };
    }
    const nextAt = new Date(Date.now() + backoffMs(row.attempts, o.retryBaseMs, o.retryMaxMs));
    const giveUp = permanent || nextAt.getTime() > new Date(row.created_at).getTime() + o.giveUpMs;
    if (giveUp) {
      log.warn({ id: row.id, event: row.event, reason: error }, 'webhook failed');
      return { ...base, status: 'failed', lastError: permanent ? `refused: ${error}` : `gave up after ${row.attempts} attempts: ${error}` };
    }
    log.info({ id: row.id, attempt: row.attempts, retryAt: nextAt.toISOString(), reason: error }, 'webhook will be retried');
    return { ...base, status: 'pending', lastError: error, nextAttemptAt: nextAt };
  }

  /** A claimed batch: sent together, the outcomes recorded in one statement. */
  async function deliver(rows: repo.ClaimedRow[]) {
    for (const r of rows) inFlight.add(r.id);
    try {
      const outcomes = await Promise.all(rows.map(attempt));
      await repo.recordOutcomes(db, outcomes);
    } catch (e) {
      // the database failed while recording: the rows stay 'sending' and the lease recovers them
      log.error({ err: e, ids: rows.map((r) => r.id) }, 'could not record webhook outcomes');
    } finally {
      for (const r of rows) inFlight.delete(r.id);
    }
  }

  /**
   * Claims and sends until caught up. Urgent workers claim only urgent events. While busy, a worker
   * stops at a claim that was not full (what is due after it waits for the next round).
   */
  async function work(urgent: boolean) {
    while (!stopping) {
      const paced = !urgent && busy();
      const limit = paced ? pacedBatchSize : batchSize;
      let rows: repo.ClaimedRow[];
      try {
        rows = await repo.claimDue(db, limit, urgent ? URGENT_WEBHOOK_EVENTS : undefined);
      } catch (e) {
        if (Date.now() - lastClaimError > 30_000) {
          lastClaimError = Date.now();
          log.error({ err: e }, 'could not claim webhooks (will keep trying)');
        }
        return;
      }
      if (!rows.length) return;
      for (const r of rows) o.onClaim?.(r);
      // a full batch: there may be more due, another worker claims them meanwhile
      if (!urgent && rows.length === limit && ordinary < concurrency) spawn();
      await deliver(rows);
      if (paced && rows.length < limit) return;
    }
  }

  function spawn(urgent = false) {
    if (!urgent) lastRound = Date.now();
    const p: Promise<void> = work(urgent).finally(() => {
      workers.delete(p);
      if (!urgent) ordinary--;
      if (ordinary === 0 && rekick && !stopping) {
        rekick = false;
        kick();
      }
      if (workers.size === 0) {
        const waiting = drained;
        drained = [];
        for (const resolve of waiting) resolve();
      }
    });
    if (!urgent) ordinary++;
    workers.add(p);
  }

  /** A commit wrote deliveries (urgent ones among them, or not), or the poll is due. */
  function kick(k: { urgent?: boolean } = {}) {
    if (!running || stopping) return;
    // never held back, never counted against the concurrency of ordinary rounds
    if (k.urgent) spawn(true);
    const wait = lastRound + paceMs - Date.now();
    if (wait > 0 && busy()) {
      if (!paceTimer) {
        paceTimer = setTimeout(() => {
          paceTimer = undefined;
          if (!running || stopping) return;
          if (ordinary < concurrency) spawn();
          else rekick = true;
        }, wait);
        paceTimer.unref();
      }
      return;
    }
    if (ordinary < concurrency) spawn();
    else rekick = true;
  }

  async function tick() {
    if (!running || stopping) return;
    if (Date.now() - lastSweep >= Math.min(leaseMs / 2, 5000)) {
      lastSweep = Date.now();
      try {
        const n = await repo.releaseStale(db, leaseMs, [...inFlight]);
        if (n) log.warn({ count: n }, 'recovered webhook deliveries left in flight by a stopped dispatcher');
      } catch (e) {
        log.error({ err: e }, 'webhook sweep failed');
      }
    }
    kick();
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = false;
      unsubscribe = onWebhookOutboxCommit(kick);
      timer = setInterval(() => void tick(), pollMs);
      timer.unref();
      void tick();
    },
    async stop() {
      stopping = true;
      running = false;
      if (timer) clearInterval(timer);
      if (paceTimer) clearTimeout(paceTimer);
      paceTimer = undefined;
      unsubscribe?.();
      while (workers.size) await Promise.allSettled([...workers]);
    },
    kick: () => kick(),
    drain() {
      if (!running || stopping) return Promise.resolve();
      const done = new Promise<void>((resolve) => drained.push(resolve));
      spawn();
      return done;
    },
  };
}
