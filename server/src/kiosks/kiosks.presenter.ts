import type { Kiosk } from '../../../contracts';
export const presentKiosk = (k: Record<string, any>): Kiosk => ({
  id: k.id, siteId: k.site_id, name: k.name, mode: k.mode, paired: !!k.token_hash && !k.revoked_at,
  lastSeenAt: k.last_seen_at ? new Date(k.last_seen_at).toISOString() : null, printerHost: k.printer_host ?? null,
});
