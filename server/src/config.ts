/** The one reader of process.env (CONVENTIONS habit 8): parsed once, frozen, fails fast. */
import { z } from 'zod';
import { BROADCASTS_PER_CAMPUS_PER_HOUR } from '../../contracts/limits';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** One named rate limit: `limit` attempts per `windowMs` (limits/rate-limit.ts counts them in the database). */
export interface RateLimitSpec {
  limit: number;
  windowMs: number;
}
const MINUTE = 60_000;
/**
 * Every rate limit of the server, by name, with its default (CONVENTIONS 21). Override any of them
 * with RATE_LIMITS="name=count/seconds,…" (e.g. `pickupVerifyFailures=20/300`); the three older
 * variables below set theirs too. "Failures" limits count only refused attempts.
 */
export const RATE_LIMIT_DEFAULTS = {
  /** sign-ins per address and email (the per-account lock comes on top): LOGIN_ATTEMPTS_PER_MINUTE */
  login: { limit: 10, windowMs: MINUTE },
  /** family look-ups and express codes per kiosk, and per staff user: KIOSK_/STAFF_LOOKUPS_PER_MINUTE */
  kioskLookups: { limit: 30, windowMs: MINUTE },
  staffLookups: { limit: 300, windowMs: MINUTE },
  /** volunteer look-ups per kiosk (their own budget, so volunteers do not eat the families') */
  kioskVolunteerLookups: { limit: 30, windowMs: MINUTE },
  /** wrong codes or passes at the door per user or kiosk */
  pickupVerifyFailures: { limit: 10, windowMs: 5 * MINUTE },
  /** wrong override PINs per user or kiosk */
  overridePinFailures: { limit: 5, windowMs: 15 * MINUTE },
  /** wrong pairing codes per address, for kiosks and for wall displays */
  kioskPairingFailures: { limit: 10, windowMs: MINUTE },
  displayPairingFailures: { limit: 10, windowMs: MINUTE },
  /** unknown or dead pickup-pass and pre-check-in links per address (tokens carry 256 bits: this only keeps scanners off) */
  passFailures: { limit: 60, windowMs: 5 * MINUTE },
  precheckFailures: { limit: 30, windowMs: 5 * MINUTE },
  /** one pre-check-in link's page, and "pre-check in for next time" per pass */
  precheckLink: { limit: 40, windowMs: 10 * MINUTE },
  passPrecheck: { limit: 10, windowMs: 10 * MINUTE },
  /** photo uploads from one pass or pre-check-in link (the family's own photo form): a family's faces, a few retakes */
  familyPhoto: { limit: 30, windowMs: 10 * MINUTE },
  /** pre-check-in links texted to one family by staff */
  precheckText: { limit: 5, windowMs: 10 * MINUTE },
  /** invitation and password-reset links per address */
  accountLinks: { limit: 30, windowMs: 5 * MINUTE },
  /** broadcasts sent per campus (only those sent count) */
  broadcasts: { limit: BROADCASTS_PER_CAMPUS_PER_HOUR, windowMs: 60 * MINUTE },
  /** requests per API key (an integration), every route together */
  apiKey: { limit: 600, windowMs: MINUTE },
} as const satisfies Record<string, RateLimitSpec>;
export type RateLimitName = keyof typeof RATE_LIMIT_DEFAULTS;

const RateLimitsSchema = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const out: Partial<Record<RateLimitName, RateLimitSpec>> = {};
    for (const part of v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const m = /^(\w+)=(\d+)\/(\d+)$/.exec(part);
      if (!m || !(m[1]! in RATE_LIMIT_DEFAULTS) || Number(m[2]) < 1 || Number(m[3]) < 1) {
        ctx.addIssue({ code: 'custom', message: `"${part}": expected name=count/seconds with a name of ${Object.keys(RATE_LIMIT_DEFAULTS).join(', ')}` });
        continue;
      }
      out[m[1] as RateLimitName] = { limit: Number(m[2]), windowMs: Number(m[3]) * 1000 };
    }
    return out;
  });

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.string().url().optional(),
    // about six per core: measured best on two cores (bench/RESULTS.md)
    DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(12),
    DATA_DIR: z.string().default('.data'),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(5499),
    DEMO_SEED: bool.default(true),
    APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    PUBLIC_URL: z.string().url().optional(),
    /** Sign-in attempts per minute per address and email (the per-account lock comes on top). */
    LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
    /** Household look-ups (GET /api/households) per minute per kiosk, and per staff user. */
    KIOSK_LOOKUPS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
    STAFF_LOOKUPS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
    /** Overrides of the named rate limits (RATE_LIMIT_DEFAULTS): "name=count/seconds,…". */
    RATE_LIMITS: RateLimitsSchema,
    /** How often each instance re-checks the sessions and kiosk tokens behind its open sockets (0: never). */
    SOCKET_SWEEP_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
    /** how often the server tops up the next 8 weeks of scheduled services (0: never; first run 10 s after start) */
    SCHEDULE_TOPUP_MS: z.coerce.number().int().min(0).max(86_400_000).default(3_600_000),
    /** how often the server looks for campuses whose weekly pre-check-in text is due (0: never; first run 10 s after start) */
    PRECHECKIN_SMS_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
    /** how often the server clears "full in ~N min" forecasts of services whose check-in has closed (0: never; first run 10 s after start) */
    ALERT_SWEEP_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    /** how often each instance asks every network label printer its `~HS` host status (DESIGN §18; 0: never; first run 10 s after start) */
    PRINTER_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
    /** how often the retention pass runs (DESIGN §19: daily; 0: never; first run 10 s after start) */
    RETENTION_PASS_MS: z.coerce.number().int().min(0).max(86_400_000).default(86_400_000),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .min(1)
      .max(24 * 30)
      .default(12),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: bool.default(false),
    SOCKET_ADAPTER: z.enum(['memory', 'postgres']).default('memory'),
    TWILIO_ACCOUNT_SID: z.string().optional(),
    TWILIO_AUTH_TOKEN: z.string().optional(),
    TWILIO_FROM: z.string().optional(),
    TWILIO_MESSAGING_SERVICE_SID: z.string().optional(),
    /** Base URL of a Twilio-compatible API (the local one in tests and `npm run dev`). */
    TWILIO_API_BASE: z.string().url().optional(),
    SMS_DISPATCH: bool.default(true),
    /** Tries per message before a transient failure (network, 5xx, 429) becomes final. */
    SMS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(15),
    /** Backoff between tries: base × 2^(try-1), capped, with jitter. */
    SMS_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(2000),
    SMS_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(600_000),
    /** One Twilio request's timeout; a message left 'sending' for 4× this is recovered. */
    SMS_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    SERVE_UI: bool.default(true),
    /** An import job whose runner has not beaten its heartbeat for this long was cut off by a restart: it is marked interrupted. */
    IMPORT_STALE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
    // ---- outbound webhooks (DESIGN §20) ----
    /** Deliver webhooks from this process (every instance may: deliveries are claimed with SKIP LOCKED). */
    WEBHOOK_DISPATCH: bool.default(true),
    /** Allow endpoints on private, loopback and link-local addresses (tests, a campus LAN). */
    WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    /** One delivery's timeout (connect to last byte); a delivery left in flight for 4× this is retried. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** Backoff between attempts: base × 2^(attempt-1), capped, with jitter. */
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
    WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(3_600_000),
    /** How long a delivery is retried before it is marked failed. */
    WEBHOOK_GIVE_UP_MS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 86_400_000)
      .default(86_400_000),
  })
  .superRefine((c, ctx) => {
    const twilio = [c.TWILIO_ACCOUNT_SID, c.TWILIO_AUTH_TOKEN].filter(Boolean).length;
    if (twilio === 1) ctx.addIssue({ code: 'custom', path: ['TWILIO_AUTH_TOKEN'], message: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together' });
    if (twilio === 2 && !c.TWILIO_FROM && !c.TWILIO_MESSAGING_SERVICE_SID)
      ctx.addIssue({ code: 'custom', path: ['TWILIO_FROM'], message: 'needs TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID' });
    if (c.NODE_ENV === 'production' && !c.APP_SECRET) ctx.addIssue({ code: 'custom', path: ['APP_SECRET'], message: 'is required in production' });
    // real texts carry pickup links: in production they must point at the public address, not at
    // whatever Host header a request happened to carry (or localhost)
    if (c.NODE_ENV === 'production' && twilio === 2 && !c.PUBLIC_URL)
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required in production when Twilio is configured (pickup links in texts use it)' });
  })
  .transform((c) => {
    const limits: Record<RateLimitName, RateLimitSpec> = {
      ...RATE_LIMIT_DEFAULTS,
      login: { limit: c.LOGIN_ATTEMPTS_PER_MINUTE, windowMs: MINUTE },
      kioskLookups: { limit: c.KIOSK_LOOKUPS_PER_MINUTE, windowMs: MINUTE },
      kioskVolunteerLookups: { limit: c.KIOSK_LOOKUPS_PER_MINUTE, windowMs: MINUTE },
      staffLookups: { limit: c.STAFF_LOOKUPS_PER_MINUTE, windowMs: MINUTE },
      ...c.RATE_LIMITS,
    };
    /** every named rate limit, defaults merged with the variables above */
    return { ...c, limits: Object.freeze(limits) };
  });

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}

let cached: Config | undefined;
export function loadConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
