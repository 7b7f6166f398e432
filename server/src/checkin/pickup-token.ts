import crypto from 'node:crypto';

/**
 * The pickup pass token: HMAC-SHA256(APP_SECRET, pass id), 256 bits, opaque. The pass id is a
 * random UUID, so the token is random to anyone without the secret; the database stores only
 * sha256(token), and the server can render the same link again (an idempotent retry, the SMS
 * sent later) without ever storing the token.
 */
export const pickupToken = (secret: Buffer, passId: string) => crypto.createHmac('sha256', secret).update(`pickup-pass:${passId}`).digest('base64url');

export const PICKUP_PATH = '/pass/';
export const pickupUrl = (baseUrl: string, token: string) => `${baseUrl.replace(/\/$/, '')}${PICKUP_PATH}${token}`;

/** A scanned QR holds the whole URL; a typed or pasted value may be the bare token. */
export function tokenFromScan(value: string): string {
  const i = value.lastIndexOf(PICKUP_PATH);
  return (i >= 0 ? value.slice(i + PICKUP_PATH.length) : value).split(/[?#]/)[0]!.trim();
}
