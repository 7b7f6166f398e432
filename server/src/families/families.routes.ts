import type { Reply } from '../../../contracts/endpoints';
import { Router, type Request } from 'express';
import type { z } from 'zod';
import {
  AuthorizedPickupCreateSchema,
  AuthorizedPickupPatchSchema,
  ChildCreateSchema,
  ChildPatchSchema,
  CustodyAlertCreateSchema,
  CustodyAlertPatchSchema,
  FamilySearchQuerySchema,
  GuardianCreateSchema,
  GuardianPatchSchema,
  HouseholdMergeSchema,
  HouseholdPatchSchema,
  MergeCandidatesQuerySchema,
} from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './families.service';
import * as merging from './merge.service';
import * as express from './express.service';

/** Families (staff and admins): search by name or phone, read and edit a household. */
export function familyRoutes(ctx: AppContext): Router {
  const r = Router();
  const staff = guard(ctx.db, { role: 'staff' });
  r.get('/api/households/search', staff, async (req, res) => {
    const { q } = parse(FamilySearchQuerySchema, req.query, 'query');
    res.json({ households: await ctx.tx((tx) => service.search(tx, actorOf(req), q)) } satisfies Reply<'GET /api/households/search'>);
  });
  r.get('/api/households/:id', staff, async (req, res) => {
    const id = idParam(req);
    res.json({ household: await ctx.tx((tx) => service.get(tx, actorOf(req), id)) } satisfies Reply<'GET /api/households/:id'>);
  });

  // express check-in code (DESIGN §12): its state, issue or re-issue (the code shown once), revoke
  r.get('/api/households/:id/express-code', staff, async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => express.status(tx, actorOf(req), id))) satisfies Reply<'GET /api/households/:id/express-code'>);
  });
  r.post('/api/households/:id/express-code', staff, async (req, res) => {
    const id = idParam(req);
    res.status(201).json((await ctx.tx((tx) => express.issue(tx, actorOf(req), id, ctx.secret))) satisfies Reply<'POST /api/households/:id/express-code'>);
  });
  r.delete('/api/households/:id/express-code', staff, async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => express.revoke(tx, actorOf(req), id))) satisfies Reply<'DELETE /api/households/:id/express-code'>);
  });

  /** One shape for every edit: validate the body, run the service in a transaction, send the family. */
  const edit = <S extends z.ZodType>(
    method: 'post' | 'patch',
    path: string,
    schema: S,
    run: (tx: Tx, actor: Actor, id: string, sub: string, input: z.infer<S>) => ReturnType<typeof service.get>,
    subParam?: string,
  ) => {
    r[method](path, staff, async (req: Request, res) => {
      const id = idParam(req);
      const sub = subParam ? idParam(req, subParam) : '';
      const input = parse(schema, req.body);
      res
        .status(method === 'post' ? 201 : 200)
        .json({ household: await ctx.tx((tx) => run(tx, actorOf(req), id, sub, input)) } satisfies Reply<'PATCH /api/households/:id'>);
    });
  };
  const remove = (path: string, subParam: string, run: (tx: Tx, actor: Actor, id: string, sub: string) => ReturnType<typeof service.get>) => {
    r.delete(path, staff, async (req, res) => {
      const id = idParam(req);
      const sub = idParam(req, subParam);
      res.json({ household: await ctx.tx((tx) => run(tx, actorOf(req), id, sub)) } satisfies Reply<'DELETE /api/households/:id/children/:childId'>);
    });
  };

  edit('patch', '/api/households/:id', HouseholdPatchSchema, (tx, a, id, _s, input) => service.rename(tx, a, id, input));
  edit('post', '/api/households/:id/guardians', GuardianCreateSchema, (tx, a, id, _s, input) => service.addGuardian(tx, a, id, input));
  edit(
    'patch',
    '/api/households/:id/guardians/:guardianId',
    GuardianPatchSchema,
    (tx, a, id, s, input) => service.editGuardian(tx, a, id, s, input),
    'guardianId',
  );
  remove('/api/households/:id/guardians/:guardianId', 'guardianId', service.removeGuardian);
  edit('post', '/api/households/:id/children', ChildCreateSchema, (tx, a, id, _s, input) => service.addChild(tx, a, id, input));
  edit('patch', '/api/households/:id/children/:childId', ChildPatchSchema, (tx, a, id, s, input) => service.editChild(tx, a, id, s, input), 'childId');
  remove('/api/households/:id/children/:childId', 'childId', service.removeChild);
  edit('post', '/api/households/:id/pickups', AuthorizedPickupCreateSchema, (tx, a, id, _s, input) => service.addPickup(tx, a, id, input));
  edit(
    'patch',
    '/api/households/:id/pickups/:pickupId',
    AuthorizedPickupPatchSchema,
    (tx, a, id, s, input) => service.editPickup(tx, a, id, s, input),
    'pickupId',
  );
  remove('/api/households/:id/pickups/:pickupId', 'pickupId', service.removePickup);
  edit('post', '/api/households/:id/custody-alerts', CustodyAlertCreateSchema, (tx, a, id, _s, input) => service.addCustodyAlert(tx, a, id, input));
  edit(
    'patch',
    '/api/households/:id/custody-alerts/:alertId',
    CustodyAlertPatchSchema,
    (tx, a, id, s, input) => service.editCustodyAlert(tx, a, id, s, input),
    'alertId',
  );
  remove('/api/households/:id/custody-alerts/:alertId', 'alertId', service.removeCustodyAlert);
  r.post('/api/households/:id/merge/preview', staff, async (req, res) => {
    const id = idParam(req);
    const { fromHouseholdId } = parse(HouseholdMergeSchema, req.body);
    // read-only, but with the same locks as the merge, so the preview is what a merge would do now
    res.json({
      preview: await ctx.tx((tx) => merging.preview(tx, actorOf(req), id, fromHouseholdId)),
    } satisfies Reply<'POST /api/households/:id/merge/preview'>);
  });
  r.post('/api/households/:id/merge', staff, async (req, res) => {
    const id = idParam(req);
    const { fromHouseholdId } = parse(HouseholdMergeSchema, req.body);
    res.json((await ctx.tx((tx) => merging.merge(tx, actorOf(req), id, fromHouseholdId))) satisfies Reply<'POST /api/households/:id/merge'>);
  });
  // the duplicate search of a merge: guardians with masked numbers, families sharing a number or a guardian's name first
  r.get('/api/households/:id/merge/candidates', staff, async (req, res) => {
    const id = idParam(req);
    const { q } = parse(MergeCandidatesQuerySchema, req.query, 'query');
    res.json({
      candidates: await ctx.tx((tx) => merging.candidates(tx, actorOf(req), id, q)),
    } satisfies Reply<'GET /api/households/:id/merge/candidates'>);
  });
  r.get('/api/households/:id/merges', staff, async (req, res) => {
    const id = idParam(req);
    res.json({ merges: await ctx.tx((tx) => merging.undoable(tx, actorOf(req), id)) } satisfies Reply<'GET /api/households/:id/merges'>);
  });
  r.post('/api/household-merges/:id/undo', staff, async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => merging.undo(tx, actorOf(req), id))) satisfies Reply<'POST /api/household-merges/:id/undo'>);
  });
  return r;
}
