import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { ReportCsvQuerySchema, ReportRangeQuerySchema, TimelineQuerySchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './reports.service';

export function reportRoutes(ctx: AppContext): Router {
  const r = Router();
  const staff = guard(ctx.db, { role: 'staff' });
  r.get('/api/reports/attendance', staff, async (req, res) => {
    const q = parse(ReportRangeQuerySchema, req.query, 'query');
    res.json((await ctx.tx((tx) => service.attendance(tx, actorOf(req), q.from, q.to))) satisfies Reply<'GET /api/reports/attendance'>);
  });
  r.get('/api/reports/attendance.csv', staff, async (req, res) => {
    const q = parse(ReportCsvQuerySchema, req.query, 'query');
    const csv = await ctx.tx((tx) => service.attendanceCsv(tx, actorOf(req), q));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="attendance-${q.from}-to-${q.to}${q.detail === 'children' ? '-children' : ''}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(`\uFEFF${csv}`); // the BOM makes spreadsheet apps read UTF-8 names correctly
  });
  r.get('/api/reports/services/:id', staff, async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => service.serviceReport(tx, actorOf(req), id))) satisfies Reply<'GET /api/reports/services/:id'>);
  });
  r.get('/api/reports/services/:id/timeline', staff, async (req, res) => {
    const id = idParam(req);
    const q = parse(TimelineQuerySchema, req.query, 'query');
    res.json((await ctx.tx((tx) => service.timeline(tx, actorOf(req), id, q.bucketMinutes))) satisfies Reply<'GET /api/reports/services/:id/timeline'>);
  });
  // organisation admins: every campus, by weekend and age group
  const orgAdmin = guard(ctx.db, { role: 'admin', orgAdmin: true });
  r.get('/api/org/reports/attendance', orgAdmin, async (req, res) => {
    const q = parse(ReportRangeQuerySchema, req.query, 'query');
    res.json((await ctx.tx((tx) => service.rollup(tx, actorOf(req), q.from, q.to))) satisfies Reply<'GET /api/org/reports/attendance'>);
  });
  r.get('/api/org/reports/attendance.csv', orgAdmin, async (req, res) => {
    const q = parse(ReportRangeQuerySchema, req.query, 'query');
    const csv = await ctx.tx((tx) => service.rollupCsv(tx, actorOf(req), q.from, q.to));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="all-campuses-${q.from}-to-${q.to}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(`\uFEFF${csv}`);
  });
  return r;
}
