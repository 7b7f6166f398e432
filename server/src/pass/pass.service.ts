/** The pass page's facts (DESIGN §4, §5), read for its route: the route renders, this decides what there is to show. */
import type { Knex } from 'knex';
import * as repo from './pass.repo';
import { familyPhotoPeople } from '../photos/photos.repo';

/** The pass's children and their rooms; `allPickedUp` when none is still checked in (the pass is then gone). */
export async function passChildrenOf(db: Knex, batchId: string) {
  const children = await repo.passChildren(db, batchId);
  return { children, allPickedUp: children.every((c) => c.status !== 'checked_in') };
}

/** The family's people with a photo, for the pass page's photo strip. */
export const passPhotoPeople = (db: Knex, householdId: string) => familyPhotoPeople(db, householdId);
