import crypto from 'node:crypto';

/**
 * The pre-check-in link token: HMAC-SHA256(APP_SECRET, link id), 256 bits, opaque (as the pickup
 * pass). The database stores only sha256(token); the SMS renders the link at send time.
 */
export const precheckToken = (secret: Buffer, linkId: string) => crypto.createHmac('sha256', secret).update(`precheck-link:${linkId}`).digest('base64url');

export const PRECHECK_PATH = '/precheck/';
export const precheckUrl = (baseUrl: string, token: string) => `${baseUrl.replace(/\/$/, '')}${PRECHECK_PATH}${token}`;
