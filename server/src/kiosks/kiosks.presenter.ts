import type { Kiosk } from '../../../contracts';
export const presentKiosk = (k: Record<string, any>): Kiosk => ({
  id: k.id, siteId: k.site_id, name: k.name, mode: k.mode, paired: !!k.token_hash && !k.revoked_at,
  lastSeenAt: k.last_seen_at ? new Date(k.last_seen_at).toISOString() : null, printerHost: k.printer_host ?? null,
});

/** A kiosk's own view of itself and its site (the tablet shows the site's name and label text). */
export const presentKioskSelf = (a: { id: string; name: string; siteId: string; mode: 'checkin' | 'pickup' }, site: { id: string; name: string; timezone: string; settings: { labelFooter: string } } | undefined) => ({
  kiosk: { id: a.id, name: a.name, mode: a.mode, siteId: a.siteId },
  site: site ? { id: site.id, name: site.name, timezone: site.timezone, labelFooter: site.settings.labelFooter } : undefined,
});
