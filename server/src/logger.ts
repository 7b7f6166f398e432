import pino, { type Logger } from 'pino';

/**
 * Paths that must never reach a log line (DESIGN §19): tokens and links with them, join, security,
 * express and pairing codes, PINs, phone numbers, notes and message text — at the top level and one
 * level down; error details from the database (`Key (phone)=(…)`) too. Not `code`: errors carry
 * their (harmless, needed) error code under that name.
 */
const SENSITIVE_KEYS = [
  'token',
  'secret',
  'password',
  'pin',
  'phone',
  'to',
  'pairingCode',
  'securityCode',
  'expressCode',
  'joinCode',
  'pickupUrl',
  'precheckUrl',
  'url',
  'medicalNotes',
  'allergies',
  'note',
  'notes',
  'body',
];
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'err.detail',
  'err.parameters',
  'err.bindings',
  ...SENSITIVE_KEYS.map((k) => `*.${k}`),
  ...SENSITIVE_KEYS,
];

/** A request path as it may be logged: tokens in /pass, /precheck and /account links, ids, long opaque segments and digits out. */
export function safePath(path: string): string {
  return (
    path
      .replace(/\/(pass|precheck|account)\/[^/?#]+/g, '/$1/:token')
      // a photo's address never reaches a log line (DESIGN §16)
      .replace(/\/api\/photos\/[^?#]*/, '/api/photos/:photo')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
      .split('/')
      .map((seg) => (/^[A-Za-z0-9_-]{16,}$/.test(seg) ? ':token' : /\d{3,}/.test(seg) && seg !== ':id' ? ':n' : seg))
      .join('/')
  );
}

/** Words a text must keep (how to stop texts); every other upper-case word of 4+ may be a code. */
const KEEP_WORDS = new Set(['STOP', 'START', 'HELP', 'SMS']);
/**
 * A message text as it may be logged: links (they carry tokens), anything with a digit (codes,
 * phones) and upper-case words that may be a security or express code are taken out.
 */
export function redactText(text: string): string {
  return text
    .replace(/\bhttps?:\/\/\S+/gi, '[link]')
    .replace(/\/(pass|precheck|account)\/[A-Za-z0-9_-]+/g, '/$1/[redacted]')
    .replace(/[^\s,.;:!?()]*\d[^\s,.;:!?()]*/g, '[redacted]')
    .replace(/\b[A-Z][A-Z-]{3,}\b/g, (w) => (KEEP_WORDS.has(w) ? w : '[redacted]'));
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: undefined }, destination);
}
export type { Logger };
