import type { NextFunction, Request, Response } from 'express';
import { safePath, type Logger } from '../logger';

/**
 * One line per API request: method, matched route, status, duration and who. Never the query
 * string (a phone lookup carries digits) nor the body; a path no route matched loses its tokens
 * and digits (safePath); tokens in fields are redacted by the logger. The line is only built when
 * its level is logged (debug, or warn for a 5xx). `observe` (the metrics' duration histogram) is
 * called from the same `finish` listener with the same clock reading.
 */
export function requestLog(logger: Logger, observe?: (req: Request, res: Response, seconds: number) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      observe?.(req, res, ms / 1000);
      const level = res.statusCode >= 500 ? 'warn' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          method: req.method,
          route: req.route?.path ?? safePath(req.path),
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
