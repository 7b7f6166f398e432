/** The organisation above the campuses: first-run setup, its settings, campuses made from its template or from another campus. */
import {
  RoomsTemplateSchema,
  type CampusCreate,
  type OrgSettingsUpdate,
  type OrganizationInfo,
  type Setup,
  type SiteInfo,
  type SitePatch,
  type TemplateRoom,
} from '../../../contracts';
import type { Actor } from '../auth/actor';
import type { Tx } from '../db/transaction';
import { conflict, forbidden, notFound } from '../errors';
import { hashPassword } from '../auth/crypto';
import { insertAudit } from '../audit/audit.repo';
import { applySettingsPatch, listSiteIdsOfOrganization, parseSettings } from '../sites/sites.repo';
import { checkTemplates, reevaluateCampus } from '../admin/settings.service';
import * as repo from './org.repo';
import { assertSameOrganization } from '../policies/ownership';

/** The room set a new organisation starts with (an admin changes it in the organisation's settings). */
export const DEFAULT_ROOMS_TEMPLATE: TemplateRoom[] = [
  { name: 'Nursery', ageGroup: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 12, ratio: 3, sortOrder: 1 },
  { name: 'Toddlers', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 15, ratio: 5, sortOrder: 2 },
  { name: 'Preschool', ageGroup: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 20, ratio: 8, sortOrder: 3 },
  { name: 'K–2nd', ageGroup: 'K–2nd', minGrade: 0, maxGrade: 2, capacity: 30, ratio: 10, sortOrder: 4 },
  { name: '3rd–5th', ageGroup: '3rd–5th', minGrade: 3, maxGrade: 5, capacity: 30, ratio: 12, sortOrder: 5 },
  { name: 'Overflow', ageGroup: 'Overflow', kind: 'overflow', minAgeMonths: 18, maxAgeMonths: 71, capacity: 25, ratio: 8, sortOrder: 9 },
];

export const roomRowsFromTemplate = (organizationId: string, siteId: string, rooms: TemplateRoom[]) =>
  rooms.map((r, i) => ({
    organization_id: organizationId,
    site_id: siteId,
    name: r.name,
    age_group: r.ageGroup ?? r.name,
    kind: r.kind ?? 'regular',
    min_age_months: r.minAgeMonths ?? null,
    max_age_months: r.maxAgeMonths ?? null,
    min_grade: r.minGrade ?? null,
    max_grade: r.maxGrade ?? null,
    default_capacity: r.capacity,
    ratio: r.ratio ?? null,
    sort_order: r.sortOrder ?? i,
  }));

export class AlreadySetUp extends Error {}

/**
 * First run (`npm run setup`): the organisation, its first campus (rooms from the template) and
 * its first admin (an organisation admin, also admin of the campus). Refused once any
 * organisation exists — the demo seed's included.
 */
export async function setupOrganization(tx: Tx, input: Setup) {
  await repo.lockSetup(tx.trx);
  if ((await repo.countOrganizations(tx.trx)) > 0)
    throw conflict(
      'already_set_up',
      'This database already has an organisation; setup runs only once. Sign in as its admin and add campuses at /staff/admin/campuses, people at /staff/admin/people.',
    );
  const organizationId = await repo.insertOrganization(tx.trx, input.org, { roomsTemplate: DEFAULT_ROOMS_TEMPLATE });
  const siteId = await repo.insertCampus(tx.trx, { organization_id: organizationId, name: input.campus, timezone: input.timezone, settings: {} });
  await repo.insertRooms(tx.trx, roomRowsFromTemplate(organizationId, siteId, DEFAULT_ROOMS_TEMPLATE));
  const userId = await repo.insertPerson(tx.trx, {
    organization_id: organizationId,
    site_id: siteId,
    email: input.adminEmail,
    name: input.adminName,
    password_hash: await hashPassword(input.adminPassword),
    org_admin: true,
  });
  await repo.upsertRole(tx.trx, { organization_id: organizationId, user_id: userId, site_id: siteId, role: 'admin' });
  await insertAudit(tx.trx, null, {
    action: 'org.setup',
    entity: 'organization',
    entityId: organizationId,
    siteId,
    details: { org: input.org, campus: input.campus, adminEmail: input.adminEmail },
  });
  return { organizationId, siteId, userId };
}

function orgAdminOf(actor: Actor) {
  if (actor.kind !== 'user' || !actor.orgAdmin) throw forbidden('Needs an organisation admin');
  return actor;
}

export async function getOrganization(tx: Tx, actor: Actor): Promise<OrganizationInfo> {
  const o = await repo.findOrganization(tx.trx, actor.organizationId);
  if (!o) throw notFound('Organisation');
  const settings = o.settings ?? {};
  return {
    id: o.id,
    name: o.name,
    settings: { ...settings, roomsTemplate: templateOf(settings) },
    defaults: parseSettings(settings),
    campuses: await repo.listCampuses(tx.trx, actor.organizationId),
  };
}

function templateOf(settings: Record<string, unknown>): TemplateRoom[] {
  const r = RoomsTemplateSchema.safeParse(settings.roomsTemplate);
  return r.success && r.data.length ? r.data : DEFAULT_ROOMS_TEMPLATE;
}

/**
 * A new campus, usable at once: from the organisation's template (its rooms template; no settings
 * of its own, so it follows the organisation's defaults as they change), or as a copy of another
 * campus of the organisation (rooms, that campus's own changes to settings, label and SMS text,
 * time zone unless given). Services, kiosks and people are the campus's own and are not copied.
 */
export async function createCampus(tx: Tx, a: Actor, input: CampusCreate) {
  const actor = orgAdminOf(a);
  const org = await repo.lockOrganization(tx.trx, actor.organizationId);
  if (!org) throw notFound('Organisation');
  const orgSettings = org.settings ?? {};
  let rooms: Record<string, unknown>[];
  let settings: Record<string, unknown>;
  let timezone: string;
  let siteId: string;
  if (input.copyFromSiteId) {
    const source = await repo.findCampus(tx.trx, input.copyFromSiteId);
    assertSameOrganization(actor, source, 'Campus');
    timezone = input.timezone ?? source.timezone;
    settings = source.settings ?? {};
    siteId = await repo.insertCampus(tx.trx, { organization_id: actor.organizationId, name: input.name, timezone, settings });
    rooms = (await repo.listRoomRows(tx.trx, source.id)).map((r) => ({ ...r, organization_id: actor.organizationId, site_id: siteId }));
  } else {
    const source = (await repo.listCampuses(tx.trx, actor.organizationId))[0];
    timezone = input.timezone ?? source?.timezone ?? 'America/New_York';
    settings = {};
    siteId = await repo.insertCampus(tx.trx, { organization_id: actor.organizationId, name: input.name, timezone, settings });
    rooms = roomRowsFromTemplate(actor.organizationId, siteId, templateOf(orgSettings));
  }
  await repo.insertRooms(tx.trx, rooms);
  await insertAudit(tx.trx, actor, {
    action: 'campus.create',
    entity: 'site',
    entityId: siteId,
    siteId,
    details: { name: input.name, copyFromSiteId: input.copyFromSiteId ?? null, rooms: rooms.length },
  });
  return { id: siteId, name: input.name, timezone, rooms: rooms.length };
}

/** Renames a campus of the organisation or changes its time zone (an organisation admin, at any of its campuses). */
export async function patchCampus(tx: Tx, a: Actor, siteId: string, patch: SitePatch): Promise<SiteInfo> {
  const actor = orgAdminOf(a);
  const before = await repo.lockCampus(tx.trx, siteId);
  assertSameOrganization(actor, before, 'Campus');
  await repo.updateCampus(tx.trx, siteId, patch);
  await insertAudit(tx.trx, actor, {
    action: 'site.update',
    entity: 'site',
    entityId: siteId,
    siteId,
    details: { before: { name: before.name, timezone: before.timezone }, patch },
  });
  return { id: siteId, name: patch.name ?? before.name, timezone: patch.timezone ?? before.timezone };
}

/** The organisation's rooms template (what new campuses start with). */
export async function setRoomsTemplate(tx: Tx, a: Actor, rooms: TemplateRoom[]) {
  const actor = orgAdminOf(a);
  const org = await repo.lockOrganization(tx.trx, actor.organizationId);
  if (!org) throw notFound('Organisation');
  const settings = { ...(org.settings ?? {}), roomsTemplate: rooms };
  await repo.updateOrganization(tx.trx, actor.organizationId, { settings: JSON.stringify(settings) });
  await insertAudit(tx.trx, actor, { action: 'org.rooms_template', entity: 'organization', entityId: actor.organizationId, details: { rooms: rooms.length } });
  return getOrganization(tx, actor);
}

/**
 * The organisation's default settings (null: back to the built-in default). Live: every campus that
 * did not change a key uses the new value at once, so each campus's services under way are judged
 * again (limits, alerts), as a campus's own change does.
 */
export async function patchOrgSettings(tx: Tx, a: Actor, patch: OrgSettingsUpdate): Promise<OrganizationInfo> {
  const actor = orgAdminOf(a);
  checkTemplates(patch.smsTemplates);
  const org = await repo.lockOrganization(tx.trx, actor.organizationId);
  if (!org) throw notFound('Organisation');
  const next = applySettingsPatch(org.settings, patch);
  await repo.updateOrganization(tx.trx, actor.organizationId, { settings: JSON.stringify(next) });
  await insertAudit(tx.trx, actor, { action: 'org.settings_update', entity: 'organization', entityId: actor.organizationId, details: { patch } });
  for (const siteId of await listSiteIdsOfOrganization(tx.trx, actor.organizationId)) await reevaluateCampus(tx, siteId);
  return getOrganization(tx, actor);
}
