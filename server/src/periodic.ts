/**
 * A pass the server runs every `everyMs` (0: never) on every instance — the schedules' top-up, the
 * weekly pre-check-in texts: the first run soon after start (at most 10 s), then on the interval;
 * the timers never hold the process open. Returns the stop function. `run` catches its own errors.
 */
export function startPeriodic(everyMs: number, run: () => Promise<void>): () => void {
  if (!everyMs) return () => {};
  const first = setTimeout(() => void run(), Math.min(10_000, everyMs));
  const every = setInterval(() => void run(), everyMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
