import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { ipKeyGenerator } from 'express-rate-limit';
import type { RateLimitName, RateLimitSpec } from '../config';
import { attemptsUsed, deleteOldAttempts, takeAttempt, windowStartOf } from './attempts.repo';
import { startPeriodic } from '../periodic';
import type { Logger } from '../logger';

/**
 * The one rate-limit mechanism (CONVENTIONS 21): named limits from config (`config.limits`),
 * counted in `attempt_counters`, which every instance shares, so two instances give one limit,
 * not two. Two kinds:
 * - `requests`: every request takes an attempt before it is handled (one atomic upsert); past
 *   the limit it is refused without being handled.
 * - `failures`: only refused requests count, once they are known to be refused: the count is
 *   read before (past the limit: refused), and raised when the answer turns out to be a failure,
 *   before that answer leaves — so requests still in flight never count, and right ones sent all
 *   at once are never refused as if they were wrong, while the next request sees every failure.
 */
export interface LimitOptions {
  /** whose attempts these are: a kiosk, a user, an address … (the limit's name is added) */
  key(req: Request): string;
  /** answers a refused request (throw an AppError, or send a page) */
  refused(req: Request, res: Response, retryAfterSeconds: number): void | Promise<void>;
}
export interface FailureLimitOptions extends LimitOptions {
  /** whether the answer about to be sent is a failure that counts */
  failed(res: Response): boolean;
}
export interface Limits {
  requests(name: RateLimitName | ((req: Request) => RateLimitName), opts: LimitOptions): RequestHandler;
  failures(name: RateLimitName, opts: FailureLimitOptions): RequestHandler;
}

/** The caller's address as a key (an IPv6 address by its /56, so a host cannot hop through its own block). */
export const byAddress = (req: Request) => ipKeyGenerator(req.ip ?? '');

const retryAfter = (spec: RateLimitSpec, now = new Date()) =>
  Math.max(1, Math.ceil((windowStartOf(now, spec.windowMs).getTime() + spec.windowMs - now.getTime()) / 1000));

export function createLimits(db: Knex, limits: Readonly<Record<RateLimitName, RateLimitSpec>>): Limits {
  const refuse = async (spec: RateLimitSpec, opts: LimitOptions, req: Request, res: Response) => {
    const after = retryAfter(spec);
    res.set('Retry-After', String(after));
    await opts.refused(req, res, after);
  };
  return {
    requests: (name, opts) => async (req: Request, res: Response, next: NextFunction) => {
      const n = typeof name === 'function' ? name(req) : name;
      const spec = limits[n];
      if (await takeAttempt(db, `rate:${n}:${opts.key(req)}`, spec.limit, spec.windowMs)) return next();
      await refuse(spec, opts, req, res);
    },
    failures: (name, opts) => async (req: Request, res: Response, next: NextFunction) => {
      const spec = limits[name];
      const key = `rate:${name}:${opts.key(req)}`;
      if ((await attemptsUsed(db, key, spec.windowMs)) >= spec.limit) return refuse(spec, opts, req, res);
      // the answer waits for its failure to be counted, so the caller's next attempt sees it
      const end = res.end.bind(res) as (...a: unknown[]) => Response;
      let counted = false;
      res.end = ((...args: unknown[]) => {
        if (counted || !opts.failed(res)) return end(...args);
        counted = true;
        void takeAttempt(db, key, spec.limit, spec.windowMs)
          .catch(() => null)
          .finally(() => end(...args));
        return res;
      }) as Response['end'];
      next();
    },
  };
}

/** Every hour, on every instance: counters whose window ended more than a day ago go (no limit is that long). */
export function startAttemptSweep(db: Knex, logger: Logger): () => void {
  return startPeriodic(3_600_000, async () => {
    try {
      await deleteOldAttempts(db, new Date(Date.now() - 86_400_000));
    } catch (err) {
      logger.warn({ err }, 'attempt counter sweep failed');
    }
  });
}
