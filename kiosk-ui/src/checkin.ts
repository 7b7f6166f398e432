import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckinCreate, KioskHouseholdSummary, LocatedCheckinResult } from '../../contracts';
import { api, ApiError, isRetryable, newIdempotencyKey } from './api';
import { useLatest } from './hooks';

export type CheckinStatus = { kind: 'idle' } | { kind: 'sending' } | { kind: 'retrying'; attempt: number } | { kind: 'failed'; code: string };

/** Waits between automatic retries; the last one repeats. */
const RETRY_DELAYS_MS = [3000, 5000, 10_000];
/** `503 busy` (the server is up but overloaded): retried quietly this many times, about a second apart, before the screen says so. */
const QUIET_BUSY_RETRIES = 5;
const BUSY_RETRY_MS = 1000;

interface Pending {
  body: CheckinCreate;
  household: KioskHouseholdSummary;
  attempt: number;
  /** quiet retries of `busy` so far */
  quiet: number;
  inFlight: boolean;
}

/**
 * One check-in at a time. The idempotency key is made once, when the parent confirms, and every
 * retry (automatic or "Try again now") sends the same key, so a check-in whose answer was lost on
 * the way back is replayed by the server instead of made twice.
 */
export function useCheckin(onDone: (result: LocatedCheckinResult, household: KioskHouseholdSummary) => void) {
  const [status, setStatus] = useState<CheckinStatus>({ kind: 'idle' });
  const pending = useRef<Pending | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const done = useLatest(onDone);

  // the retries call the same attempt again (a function declaration, so it may name itself)
  const send = useCallback(() => {
    async function attempt(): Promise<void> {
      const p = pending.current;
      if (!p || p.inFlight) return;
      window.clearTimeout(timer.current);
      p.inFlight = true;
      setStatus({ kind: 'sending' });
      try {
        const result = await api('POST /api/checkins', { body: p.body });
        if (pending.current !== p) return;
        pending.current = null;
        setStatus({ kind: 'idle' });
        done.current(result, p.household);
      } catch (e) {
        p.inFlight = false;
        if (pending.current !== p) return;
        if (e instanceof ApiError && e.code === 'busy' && p.quiet < QUIET_BUSY_RETRIES) {
          // the parent sees "sending" a moment longer, nothing else
          p.quiet += 1;
          timer.current = window.setTimeout(() => void attempt(), BUSY_RETRY_MS + Math.floor(Math.random() * 500));
        } else if (isRetryable(e)) {
          p.attempt += 1;
          setStatus({ kind: 'retrying', attempt: p.attempt });
          timer.current = window.setTimeout(() => void attempt(), RETRY_DELAYS_MS[Math.min(p.attempt - 1, RETRY_DELAYS_MS.length - 1)]);
        } else {
          pending.current = null;
          setStatus({ kind: 'failed', code: e instanceof ApiError ? e.code : 'unknown' });
        }
      }
    }
    return attempt();
  }, [done]);

  const start = useCallback(
    /** `lang`: a language the parent chose on the kiosk, which becomes the family's (their SMS, pass page and labels). */
    (
      serviceIds: string[],
      household: KioskHouseholdSummary,
      childIds: string[],
      lang?: 'en' | 'es',
      precheckinIds?: string[],
      more: { proof?: string; droppedOffBy?: string } = {},
    ) => {
      if (pending.current) return;
      pending.current = {
        body: {
          serviceIds,
          householdId: household.id,
          childIds,
          idempotencyKey: newIdempotencyKey(),
          ...(lang && { lang }),
          ...(precheckinIds?.length && { precheckinIds }),
          ...(more.proof && { proof: more.proof }),
          ...(more.droppedOffBy && { droppedOffBy: more.droppedOffBy }),
        },
        household,
        attempt: 0,
        quiet: 0,
        inFlight: false,
      };
      void send();
    },
    [send],
  );

  const cancel = useCallback(() => {
    window.clearTimeout(timer.current);
    pending.current = null;
    setStatus({ kind: 'idle' });
  }, []);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  return { status, start, retryNow: send, cancel };
}
