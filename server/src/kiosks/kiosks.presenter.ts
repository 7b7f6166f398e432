import type { Kiosk } from '../../../contracts';
import type { KioskRow } from './kiosks.repo';
export const presentKiosk = (k: KioskRow): Kiosk => ({
  id: k.id,
  siteId: k.site_id,
  name: k.name,
  mode: k.mode,
  paired: !!k.token_hash && !k.revoked_at,
  lastSeenAt: k.last_seen_at ? new Date(k.last_seen_at).toISOString() : null,
  printerHost: k.printer_host ?? null,
  printerId: k.printer_id ?? null,
  printerName: k.printer_name ?? null,
});

/** A kiosk's own view of itself and its site (the tablet shows the site's name and label text). */
export const presentKioskSelf = (
  a: { id: string; name: string; siteId: string; mode: 'checkin' | 'pickup'; hasPrinter: boolean },
  site: { id: string; name: string; timezone: string; settings: { labelFooter: string } } | undefined,
) => ({
  /** `hasPrinter`: a Zebra on the network takes the labels; otherwise the tablet prints them itself */
  kiosk: { id: a.id, name: a.name, mode: a.mode, siteId: a.siteId, hasPrinter: a.hasPrinter },
  site: site ? { id: site.id, name: site.name, timezone: site.timezone, labelFooter: site.settings.labelFooter } : undefined,
});
