import { wallTimeIn } from './dates';

/**
 * Where a guardian agreed to texts (DESIGN §19). The server sets it whenever `sms_opt_in` becomes
 * true, from the request's path and actor — never from a request body. 'legacy': consent held
 * before when and where were recorded (its time is the family's registration).
 */
export const SMS_CONSENT_SOURCES = ['kiosk', 'desk', 'import', 'family_page', 'api', 'legacy'] as const;
export type SmsConsentSource = (typeof SMS_CONSENT_SOURCES)[number];
export interface SmsConsent {
  /** ISO 8601 instant */
  at: string;
  source: SmsConsentSource;
}

const WHERE: Record<SmsConsentSource, string> = {
  kiosk: 'at the kiosk',
  desk: 'at the desk',
  import: 'in an import',
  family_page: "on the family's page",
  api: 'through another system',
  legacy: 'before the source was recorded,',
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "7 Dec 2026 09:12" on the campus's wall clock (UTC when the zone is unknown). */
export function consentTime(at: string, timezone: string | undefined): string {
  let wall: string;
  try {
    wall = wallTimeIn(at, timezone || 'UTC');
  } catch {
    wall = wallTimeIn(at, 'UTC');
  }
  const [y, m, d] = wall.slice(0, 10).split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y} ${wall.slice(11, 16)}`;
}

/** "Texts: agreed at the kiosk on 7 Dec 2026 09:12" or "Texts: not agreed". */
export function smsConsentText(consent: SmsConsent | null, timezone: string | undefined): string {
  if (!consent) return 'Texts: not agreed';
  return `Texts: agreed ${WHERE[consent.source] ?? ''} on ${consentTime(consent.at, timezone)}`.replace(/\s+/g, ' ');
}
