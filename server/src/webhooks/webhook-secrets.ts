/**
 * Webhook signing secrets. The server signs every delivery, so it must keep the secret itself (a
 * hash will not do): it is stored encrypted with AES-256-GCM under a key derived from the app
 * secret, so a database dump alone does not let anyone forge deliveries.
 */
import crypto from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from '../../../contracts';

/** `whsec_` + base64 of 32 random bytes, the format the `standardwebhooks` libraries read. */
export const newWebhookSecret = () => `${WEBHOOK_SECRET_PREFIX}${crypto.randomBytes(32).toString('base64')}`;

const keyOf = (appSecret: Buffer) => crypto.createHmac('sha256', appSecret).update('webhook-secrets-v1').digest();

export function sealSecret(appSecret: Buffer, secret: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', keyOf(appSecret), iv);
  const body = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
  return `v1.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}

export function openSecret(appSecret: Buffer, sealed: string): string {
  const raw = Buffer.from(sealed.replace(/^v1\./, ''), 'base64');
  const d = crypto.createDecipheriv('aes-256-gcm', keyOf(appSecret), raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}

/** How long the secret before a rotation still signs deliveries (receivers switch over meanwhile). */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;
