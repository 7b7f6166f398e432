import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';

/**
 * A path as it may be logged: ids, pass tokens and photo addresses replaced by their names (a
 * photo's url must never reach a log line, DESIGN §16).
 */
export const redactPath = (path: string) =>
  path
    .replace(/\/api\/photos\/.*/, '/api/photos/:photo')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, ':id')
    .replace(/\/pass\/.+/, '/pass/:token');

/**
 * One line per API request: method, matched route, status, duration and who. Never the query
 * string (a phone lookup carries digits) nor the body; tokens are redacted by the logger.
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const level = res.statusCode >= 500 ? 'warn' : 'debug';
      logger[level](
        {
          method: req.method,
          route: req.route?.path ?? redactPath(req.path),
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          actor: req.actor ? `${req.actor.kind}:${req.actor.id}` : undefined,
        },
        'request',
      );
    });
    next();
  };
}
