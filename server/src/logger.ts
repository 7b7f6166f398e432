import pino, { type Logger } from 'pino';

/** Paths that must never reach a log line: tokens, phone numbers, medical notes. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  '*.token',
  '*.password',
  '*.phone',
  '*.to',
  '*.pairingCode',
  '*.medicalNotes',
  '*.body',
  'token',
  'password',
  'phone',
  'to',
  'pairingCode',
  'medicalNotes',
  'body',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: undefined }, destination);
}
export type { Logger };
