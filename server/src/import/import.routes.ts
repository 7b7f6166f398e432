import type { Reply } from '../../../contracts/endpoints';
import express, { Router } from 'express';
import { ImportStartQuerySchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import { badRequest } from '../errors';
import { jobStatus, markInterrupted, rerunJob, startJob, UnreadableFile } from './import.jobs';
import { UnknownEncoding } from './encoding';
import { startAttendanceJob } from './attendance.jobs';
import type { AttendanceFormat, AttendanceMapping } from './attendance.formats';

/**
 * Import (admins): the CSV is the body (text/csv, up to 20 MB — 10,000 households fit), the
 * format, mapping and dry run are query parameters; the answer is a job to poll.
 */
export function importRoutes(ctx: AppContext): Router {
  const r = Router();
  const admin = guard(ctx.db, { role: 'admin' });
  const staleMs = ctx.config.IMPORT_STALE_MS;
  // a server starting up: jobs whose runner died with the last one are interrupted, not running for ever
  void markInterrupted(ctx.db, staleMs).catch((e: unknown) => ctx.logger.warn({ err: e }, 'could not mark interrupted imports'));
  // the bytes as sent: the file is decoded by the import (its encoding given, or detected), not read as UTF-8 here
  r.post('/api/imports', admin, express.raw({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '20mb' }), async (req, res) => {
    const q = parse(ImportStartQuerySchema, req.query, 'query');
    if (!Buffer.isBuffer(req.body) || !req.body.length) throw badRequest('body: must be the CSV file (Content-Type: text/csv)', 'body');
    const actor = actorOf(req);
    // an encoding named by the query, else by the Content-Type's charset, else auto
    const encoding = q.encoding ?? /;\s*charset="?([^";\s]+)"?/i.exec(req.get('Content-Type') ?? '')?.[1];
    try {
      const who = { id: actor.id, siteId: actor.siteId };
      const job =
        q.kind === 'attendance'
          ? await startAttendanceJob(
              ctx.db,
              who,
              {
                bytes: req.body,
                encoding,
                format: q.format as AttendanceFormat | undefined,
                mapping: q.mapping as AttendanceMapping | undefined,
                dryRun: q.dryRun,
              },
              { staleMs },
            )
          : await startJob(ctx.db, who, { bytes: req.body, encoding, format: q.format, mapping: q.mapping, dryRun: q.dryRun }, { staleMs });
      res.status(202).json({ import: job } satisfies Reply<'POST /api/imports'>);
    } catch (e) {
      if (e instanceof UnknownEncoding) throw badRequest(`encoding: ${e.message}`, 'encoding');
      if (e instanceof UnreadableFile) throw badRequest(`body: nothing could be read: ${e.message}`, 'body');
      throw e;
    }
  });
  r.get('/api/imports/:id', admin, async (req, res) => {
    res.json({ import: await jobStatus(ctx.db, actorOf(req).siteId, idParam(req), staleMs) } satisfies Reply<'GET /api/imports/:id'>);
  });
  r.post('/api/imports/:id/rerun', admin, async (req, res) => {
    const actor = actorOf(req);
    res
      .status(202)
      .json({ import: await rerunJob(ctx.db, { id: actor.id, siteId: actor.siteId }, idParam(req), staleMs) } satisfies Reply<'POST /api/imports/:id/rerun'>);
  });
  return r;
}
