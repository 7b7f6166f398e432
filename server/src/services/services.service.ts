import type { Knex } from 'knex';
import type { Actor } from '../auth/actor';
import { listCurrentServices, listTodayServices } from './services.repo';
import { presentService, presentTodayService } from './services.presenter';

/** Services open for check-in now (kiosks check families in to these). */
export const currentServices = async (db: Knex, actor: Actor) => (await listCurrentServices(db, actor.siteId)).map(presentService);

/** Services pickup, rosters and the dashboard serve: open for check-in, or of today with children still in. */
export const todayServices = async (db: Knex, actor: Actor) => (await listTodayServices(db, actor.siteId)).map(presentTodayService);
