import type { NextFunction, Request, Response } from 'express';
import { safePath, type Logger } from '../logger';

/**
 * One line per API request: method, matched route, status, duration and who. Never the query
 * string (a phone lookup carries digits) nor the body; a path no route matched loses its tokens
 * and digits (safePath); tokens in fields are redacted by the logger.
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
