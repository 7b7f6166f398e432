import type { Request } from 'express';
import type { Knex } from 'knex';
import type { Config } from './config';
import type { Logger } from './logger';
import { withTransaction, type Publish, type Tx } from './db/transaction';
import { badRequest } from './errors';
import { UuidSchema } from '../../contracts';
import { createLimits, type Limits } from './limits/rate-limit';

/** What every route module gets: the database, config, the after-commit publisher. */
export interface AppContext {
  db: Knex;
  config: Config;
  logger: Logger;
  secret: Buffer;
  publish: Publish;
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** The public base URL for links (pickup passes): PUBLIC_URL, else the request's own origin. */
  baseUrl(req: Request): string;
  /** The one rate-limit factory: named limits from config, counted where every instance sees them. */
  limits: Limits;
}

export function createContext(db: Knex, config: Config, logger: Logger, secret: Buffer, publish: Publish): AppContext {
  return {
    db,
    config,
    logger,
    secret,
    publish,
    tx: (fn) => withTransaction(db, publish, fn),
    baseUrl: (req) => config.PUBLIC_URL ?? `${req.protocol}://${req.get('host') ?? `localhost:${config.PORT}`}`,
    limits: createLimits(db, config.limits),
  };
}

/** A path parameter that must be a UUID: a malformed one is a 400 naming it. */
export function idParam(req: Request, name = 'id'): string {
  const v = req.params[name];
  const r = UuidSchema.safeParse(v);
  if (!r.success) throw badRequest(`${name}: must be a UUID`, name);
  return r.data;
}
