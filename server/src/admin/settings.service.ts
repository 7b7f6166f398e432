/** The site's own settings: name, timezone, assignment strategy, thresholds, ratios, SMS wording. */
import { TEMPLATE_PLACEHOLDERS, type SiteInfo, type SiteSettingsUpdate, type SiteWithSettings } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { badRequest, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext, parseSettings } from '../sites/sites.repo';
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

export async function getSettings(tx: Tx, actor: Actor): Promise<SiteWithSettings> {
  const s = await site(tx, actor);
  return { site: presentSite(s), settings: parseSettings(s.settings) };
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
 * Changes only the keys sent (the stored JSON keeps only what the site changed). Thresholds and
 * ratios change rooms' limits and alerts, so the services under way are re-evaluated at once.
 */
export async function patchSettings(tx: Tx, actor: Actor, patch: SiteSettingsUpdate): Promise<SiteWithSettings> {
  checkTemplates(patch.smsTemplates);
  const s = await site(tx, actor, true);
  const raw = (s.settings && typeof s.settings === 'object' ? s.settings : {}) as Record<string, unknown>;
  const { smsTemplates, ...rest } = patch;
  const next: Record<string, unknown> = { ...raw, ...rest };
  if (smsTemplates) next.smsTemplates = { ...(raw.smsTemplates ?? {}), ...smsTemplates };
  await repo.updateSite(tx.trx, actor.siteId, { settings: JSON.stringify(next) });
  await insertAudit(tx.trx, actor, { action: 'site.settings_update', entity: 'site', entityId: actor.siteId, details: { patch } });
  for (const { id } of await listCurrentServices(tx.trx, actor.siteId)) {
    const service = await findServiceContext(tx.trx, id);
    if (service)
      await afterRoomsChanged(
        tx,
        service,
        (await listServiceRooms(tx.trx, id)).map((r) => r.roomId),
      );
  }
  return { site: presentSite(s), settings: parseSettings(next) };
}
