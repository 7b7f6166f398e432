/**
 * Server messages in plain words. A 400 names its field as a prefix ("phone: must be a mobile
 * number", "guardians.0.firstName: is required"): the screens show "Phone: must be a mobile
 * number" and "Guardian 1 first name is required" instead. Zod-free, shared by both UIs.
 */

/** Words for field names that camelCase splitting gets wrong or that read better spelled out. */
const LABELS: Record<string, string> = {
  q: 'search',
  qs: 'search',
  sms: 'SMS',
  smsOptIn: 'texts',
  smsTemplates: 'text message wording',
  url: 'address',
  id: 'ID',
  pin: 'PIN',
  overridePin: 'override PIN',
  birthdate: 'birth date',
  body: 'the form',
  query: 'the address',
  path: 'the address',
};

const words = (name: string) =>
  LABELS[name] ??
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
const IRREGULAR: Record<string, string> = { children: 'child', people: 'person' };
const singular = (w: string) => IRREGULAR[w] ?? (/ies$/.test(w) ? w.replace(/ies$/, 'y') : /(ss|us)$/.test(w) ? w : w.replace(/s$/, ''));

/** "guardians.0.firstName" → "guardian 1 first name"; "phone" → "phone". */
export function fieldLabel(field: string): string {
  const parts = field.split('.').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && /^\d+$/.test(next)) {
      out.push(`${singular(words(p))} ${Number(next) + 1}`);
      i++;
    } else if (!/^\d+$/.test(p)) out.push(words(p));
  }
  return out.join(' ');
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A server message with its `field:` prefix turned into words; other messages pass unchanged. */
export function plainMessage(message: string, field?: string): string {
  const m = /^([A-Za-z_][\w.-]*): (.+)$/s.exec(message);
  if (!m || (field && m[1] !== field)) return message;
  const label = fieldLabel(m[1]!);
  const rest = m[2]!;
  if (!label) return capital(rest);
  // "is required" reads as a sentence; "must be a mobile number" keeps the colon
  return /^(is|are|has|have) /.test(rest) ? `${capital(label)} ${rest}` : `${capital(label)}: ${rest}`;
}
