/** What a paired tablet remembers across reloads: its kiosk token and its site. */
import type { Site } from '../../contracts';

export interface KioskSession {
  token: string;
  kiosk: { id: string; name: string; mode: 'checkin' | 'pickup'; hasPrinter?: boolean };
  site: Site & { labelFooter?: string };
  /** false when the server has no SMS provider: texts are logged, not sent */
  smsSending?: boolean;
}

const KEY = 'kidsclub.kiosk';

export function loadSession(): KioskSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as KioskSession;
    return typeof s?.token === 'string' && s.site?.id ? s : null;
  } catch {
    return null;
  }
}
export function saveSession(s: KioskSession) {
  localStorage.setItem(KEY, JSON.stringify(s));
}
export function clearSession() {
  localStorage.removeItem(KEY);
}
