/** One error vocabulary (CONVENTIONS habit 7): an HTTP status and a stable snake_case code. */
export class AppError extends Error {
  /** `extra`: more fields of the error object, for the few errors a screen acts on (e.g. `matches`). */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}
export const badRequest = (message: string, field?: string) => new AppError(400, 'validation_failed', message, field);
export const unauthorized = (message = 'Sign in first') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'Not allowed') => new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const tooMany = (message = 'Too many attempts; wait a moment') => new AppError(429, 'rate_limited', message);
export const dbUnavailable = () => new AppError(503, 'database_unavailable', 'The database is unavailable; try again shortly');
/** Up but overloaded: no database connection came free in time (DESIGN §21). Kiosks retry it on their own. */
export const busy = () => new AppError(503, 'busy', 'The system is busy; try again in a moment');

export interface ErrorBody {
  error: { code: string; message: string; field?: string; [k: string]: unknown };
}
export function toBody(e: AppError): ErrorBody {
  return { error: { ...(e.extra ?? {}), code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } };
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);
/** Maps what knex/pg throw to the vocabulary; anything unknown stays a 500. */
export function fromDatabaseError(err: unknown): AppError | undefined {
  const e = err as { code?: string; name?: string; message?: string; constraint?: string };
  if (!e || typeof e !== 'object') return undefined;
  if (e.code && CONNECTION_CODES.has(e.code)) return dbUnavailable();
  // every connection of the pool was in use for the whole wait: busy, not down (a database that is
  // down fails the connection attempt itself, ECONNREFUSED, and lands below)
  if (e.name === 'KnexTimeoutError' && /Timeout acquiring a connection/i.test(e.message ?? '')) return busy();
  if (e.name === 'KnexTimeoutError' || /Connection terminated|Client has encountered a connection error|connect ECONNREFUSED/i.test(e.message ?? ''))
    return dbUnavailable();
  switch (e.code) {
    case '23505':
      return new AppError(409, 'conflict', 'That already exists');
    case '23503':
      return new AppError(409, 'conflict', 'A referenced record does not exist');
    case '23514':
      return new AppError(409, 'conflict', 'That change breaks a rule');
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return badRequest('A value has the wrong format');
    // serialization failure, deadlock, and lock_timeout (a request that queued on a lock for 10 s
    // under load): the system is busy (503, Retry-After), not a 500
    case '40001':
    case '40P01':
    case '55P03':
      return busy();
    default:
      return undefined;
  }
}
