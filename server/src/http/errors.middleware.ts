import type { NextFunction, Request, Response } from 'express';
import { safePath, type Logger } from '../logger';
import { AppError, fromDatabaseError, toBody } from '../errors';

/** The one place errors become responses: always the envelope, never a stack trace. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let e: AppError | undefined = err instanceof AppError ? err : fromDatabaseError(err);
    const bp = err as { type?: string; status?: number };
    if (!e && bp?.type === 'entity.parse.failed') e = new AppError(400, 'invalid_json', 'body: is not valid JSON', 'body');
    if (!e && bp?.type === 'entity.too.large') e = new AppError(413, 'body_too_large', 'body: is too large', 'body');
    if (!e && bp?.type && typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500)
      e = new AppError(bp.status, 'bad_request', 'body: could not be read', 'body');
    // the router's own 4xx errors, e.g. a path parameter that is not valid percent-encoding
    if (!e && err instanceof URIError) e = new AppError(400, 'validation_failed', 'path: is not a valid URL', 'path');
    if (!e && typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500)
      e = new AppError(bp.status, 'bad_request', 'request: could not be read', 'request');
    if (!e) {
      logger.error({ err, method: req.method, path: safePath(req.path) }, 'unhandled error');
      e = new AppError(500, 'internal', 'Something went wrong; it has been logged');
    } else if (e.status >= 500) {
      logger.warn({ code: e.code, method: req.method, path: safePath(req.path), cause: (err as Error)?.message }, 'service unavailable');
    }
    if (res.headersSent) return;
    // the code, for whatever decides on the answer before it leaves (a failures limit)
    res.locals.errorCode = e.code;
    if (e.status === 503) res.setHeader('Retry-After', '2');
    res.status(e.status).json(toBody(e));
  };
}

export function notFoundHandler(req: Request, res: Response) {
  res.status(404).json({ error: { code: 'not_found', message: `No route ${req.method} ${req.path}` } });
}
