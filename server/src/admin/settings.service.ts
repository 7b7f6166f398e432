/**
 * The campus's settings: name, timezone, and the rules it runs with (assignment strategy,
 * thresholds, ratios, label text, SMS wording, grade-promotion date) — its organisation's defaults
 * overlaid with what the campus changed (DESIGN §10). The campus stores only its changes.
 */
import { TEMPLATE_PLACEHOLDERS, type SiteInfo, type SiteSettingsUpdate, type SiteWithSettings } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { badRequest, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { applySettingsPatch, effectiveSettings, findServiceContext, overriddenKeys, parseSettings } from '../sites/sites.repo';
import { listCurrentServices } from '../services/services.repo';
import { listServiceRooms } from '../capacity/capacity.repo';
import { afterRoomsChanged } from '../capacity/capacity.service';
import { presentSite } from './admin.presenter';
import * as repo from './admin.repo';

async function site(tx: Tx, actor: Actor, lock = false) {
  const s = lock ? await repo.lockSite(tx.trx, actor.siteId) : await repo.findSiteRaw(tx.trx, actor.siteId);
  if (!s) throw notFound('Site');
  return s;
}

export async function getSite(tx: Tx, actor: Actor): Promise<SiteInfo> {
  return presentSite(await site(tx, actor));
}

function withSettings(s: { id: string; name: string; timezone: string }, orgRaw: unknown, siteRaw: unknown): SiteWithSettings {
  return {
    site: presentSite(s),
    settings: effectiveSettings(orgRaw, siteRaw),
    organizationDefaults: parseSettings(orgRaw),
    overridden: overriddenKeys(siteRaw),
  };
}

export async function getSettings(tx: Tx, actor: Actor): Promise<SiteWithSettings> {
  const s = await site(tx, actor);
  return withSettings(s, await repo.findOrganizationSettings(tx.trx, actor.organizationId), s.settings);
}

export async function patchSite(tx: Tx, actor: Actor, patch: { name?: string; timezone?: string }): Promise<SiteInfo> {
  const before = await site(tx, actor, true);
  await repo.updateSite(tx.trx, actor.siteId, patch);
  await insertAudit(tx.trx, actor, { action: 'site.update', entity: 'site', entityId: actor.siteId, details: { before: presentSite(before), patch } });
  return presentSite({ ...before, ...patch });
}

function checkTemplates(t: SiteSettingsUpdate['smsTemplates']) {
  for (const [key, text] of Object.entries(t ?? {}) as [keyof typeof TEMPLATE_PLACEHOLDERS, string | undefined][]) {
    const allowed: readonly string[] = TEMPLATE_PLACEHOLDERS[key];
    for (const m of (text ?? '').matchAll(/\{\{\s*(\w*)\s*\}\}/g)) {
      if (!allowed.includes(m[1]!)) {
        throw badRequest(`smsTemplates.${key}: {{${m[1]}}} is not a placeholder here; use ${allowed.map((p) => `{{${p}}}`).join(', ')}`, `smsTemplates.${key}`);
      }
    }
  }
}

/**
 * Changes only the keys sent (the stored JSON keeps only what the campus changed; null removes a
 * change, and the campus follows its organisation's default again). Thresholds and ratios change
 * rooms' limits and alerts, so the services under way are re-evaluated at once.
 */
export async function patchSettings(tx: Tx, actor: Actor, patch: SiteSettingsUpdate): Promise<SiteWithSettings> {
  checkTemplates(patch.smsTemplates);
  const s = await site(tx, actor, true);
  const next = applySettingsPatch(s.settings, patch);
  await repo.updateSite(tx.trx, actor.siteId, { settings: JSON.stringify(next) });
  await insertAudit(tx.trx, actor, { action: 'site.settings_update', entity: 'site', entityId: actor.siteId, details: { patch } });
  await reevaluateCampus(tx, actor.siteId);
  return withSettings(s, await repo.findOrganizationSettings(tx.trx, actor.organizationId), next);
}

/** The services under way at a campus, judged again on its settings as they are now (limits, alerts). */
export async function reevaluateCampus(tx: Tx, siteId: string): Promise<void> {
  for (const { id } of await listCurrentServices(tx.trx, siteId)) {
    const service = await findServiceContext(tx.trx, id);
    if (service)
      await afterRoomsChanged(
        tx,
        service,
        (await listServiceRooms(tx.trx, id)).map((r) => r.roomId),
      );
  }
}

export { checkTemplates };
