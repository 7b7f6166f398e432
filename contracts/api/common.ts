/** Answers every area shares: the error body (DESIGN §7) and the health check. */
import type { PossibleDuplicate } from './households';

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; matches?: PossibleDuplicate[] };
}
export interface Health {
  status: 'ok' | 'degraded';
  db: 'up' | 'down';
}
