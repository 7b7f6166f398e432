import type { Knex } from 'knex';
import type { Actor } from '../auth/actor';
import { notFound } from '../errors';
import { childAudit, childOfOrganization } from './audit.repo';
import { presentAuditEntry } from './audit.presenter';

/** A child's audit trail, for staff of the child's own site. */
export async function childTrail(db: Knex, actor: Actor, childId: string) {
  if (!(await childOfOrganization(db, actor.organizationId, childId))) throw notFound('Child');
  return (await childAudit(db, actor.siteId, childId)).map(presentAuditEntry);
}
