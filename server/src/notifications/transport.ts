/**
 * How a message leaves: the official `twilio` SDK when credentials are configured (optionally
 * against a Twilio-compatible base URL: the local fake in tests and `npm run dev`), else a log
 * line. Failures are classified here, once: transient ones are retried, permanent ones never.
 */
import crypto from 'node:crypto';
import twilio from 'twilio';
import type RequestClientBase from 'twilio/lib/base/RequestClient';
import type { Config } from '../config';
import { redactText, type Logger } from '../logger';
import { fromTwilioStatus, type NotificationStatus } from './status';
import { maskPhone } from '../../../contracts/rules';

export interface OutgoingSms {
  to: string;
  body: string;
  statusCallback?: string;
}
export interface Accepted {
  sid: string;
  status: NotificationStatus;
}

export interface SmsTransport {
  readonly kind: 'twilio' | 'log';
  /** One line for the start banner. */
  readonly description: string;
  send(m: OutgoingSms): Promise<Accepted>;
  /**
   * Messages the provider already holds for `to` created since `since`, newest first: how a
   * retry finds out whether an earlier, interrupted attempt was accepted after all.
   */
  recent?(to: string, since: Date): Promise<(Accepted & { body: string; createdAt: Date | null })[]>;
}

/** Why a send failed, and whether trying again could help. */
export class SendFailure extends Error {
  constructor(
    readonly permanent: boolean,
    readonly reason: string,
    readonly code?: number | string,
  ) {
    super(reason);
  }
}

/** Twilio error codes that no retry will fix for this recipient. */
export const PERMANENT_CODES: Record<number, string> = {
  21211: 'invalid phone number',
  21214: 'phone number cannot be reached',
  21408: 'sending to this region is not enabled',
  21610: 'recipient unsubscribed (replied STOP)',
  21612: 'number cannot receive from this sender',
  21614: 'not a mobile number',
  21617: 'message body too long',
  30004: 'message blocked',
  30005: 'unknown destination handset',
  30006: 'landline or unreachable carrier',
};
export const UNSUBSCRIBED_CODE = 21610;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ERR_NETWORK',
]);

/** Maps whatever the SDK threw to a SendFailure. Unknown errors count as transient. */
export function classify(err: unknown): SendFailure {
  if (err instanceof SendFailure) return err;
  const e = err as { status?: number; code?: number | string; message?: string };
  if (typeof e?.status === 'number') {
    const code = typeof e.code === 'number' ? e.code : undefined;
    const what = `Twilio ${e.status}${code ? ` error ${code}` : ''}: ${e.message ?? ''}`.trim();
    if (e.status === 429 || e.status >= 500) return new SendFailure(false, what, code ?? e.status);
    // Wrong credentials or account SID: an operator can fix it, so the message waits.
    if (e.status === 401 || e.status === 403 || (e.status === 404 && code === 20404)) return new SendFailure(false, what, code ?? e.status);
    if (code && PERMANENT_CODES[code]) return new SendFailure(true, `${PERMANENT_CODES[code]} (Twilio ${code})`, code);
    // Any other 4xx is a request Twilio will refuse again the same way.
    return new SendFailure(true, what, code ?? e.status);
  }
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && NETWORK_CODES.has(code)) return new SendFailure(false, `network: ${code}`, code);
  return new SendFailure(false, `error: ${e?.message ?? String(err)}`.slice(0, 300), code);
}

/**
 * A RequestClient that sends what the SDK addresses to https://api.twilio.com to another base
 * URL (TWILIO_API_BASE): the SDK, its auth and its parsing stay the real ones.
 */
export class RebasedRequestClient extends twilio.RequestClient {
  private readonly base: string;
  constructor(base: string, opts: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(opts);
    this.base = base.replace(/\/+$/, '');
  }
  override request<T>(opts: RequestClientBase.RequestOptions<T>) {
    return super.request<T>({ ...opts, uri: opts.uri.replace(/^https:\/\/api\.twilio\.com(:443)?/, this.base) });
  }
}

export function twilioTransport(c: {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  apiBase?: string;
  timeoutMs: number;
}): SmsTransport {
  const httpClient = c.apiBase
    ? new RebasedRequestClient(c.apiBase, { timeout: c.timeoutMs, autoRetry: false })
    : new twilio.RequestClient({ timeout: c.timeoutMs, autoRetry: false });
  // The SDK must not retry on its own: every attempt goes through the outbox's bookkeeping.
  const client = twilio(c.accountSid, c.authToken, { httpClient, autoRetry: false });
  const sender = c.messagingServiceSid ? { messagingServiceSid: c.messagingServiceSid } : { from: c.from! };
  return {
    kind: 'twilio',
    description: `SMS: Twilio (${c.messagingServiceSid ? `messaging service ${c.messagingServiceSid}` : `from ${c.from}`}${c.apiBase ? `, API at ${c.apiBase}` : ''})`,
    async send(m) {
      try {
        const msg = await client.messages.create({ to: m.to, body: m.body, ...sender, ...(m.statusCallback ? { statusCallback: m.statusCallback } : {}) });
        return { sid: msg.sid, status: fromTwilioStatus(msg.status) ?? 'queued' };
      } catch (e) {
        throw classify(e);
      }
    },
    async recent(to, since) {
      try {
        const list = await client.messages.list({ to, pageSize: 50, limit: 50 });
        return list
          .filter((m) => !m.dateCreated || m.dateCreated.getTime() >= since.getTime())
          .map((m) => ({ sid: m.sid, status: fromTwilioStatus(m.status) ?? 'queued', body: m.body, createdAt: m.dateCreated ?? null }));
      } catch (e) {
        throw classify(e);
      }
    },
  };
}

/** Without Twilio credentials: the message is written to the log and its status says so ('logged', final). */
export function logTransport(logger: Logger): SmsTransport {
  return {
    kind: 'log',
    description: 'SMS: no Twilio credentials — messages are logged, not sent',
    async send(m) {
      const sid = `LOG${crypto.randomBytes(16).toString('hex')}`;
      // links are bearer credentials, codes are secrets: never in a log line (redactText)
      logger.info({ sms: { sid, recipient: maskPhone(m.to), text: redactText(m.body) } }, 'SMS (not sent: no Twilio credentials)');
      return { sid, status: 'logged' };
    },
  };
}

export const hasTwilio = (config: Config) =>
  Boolean(config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && (config.TWILIO_FROM || config.TWILIO_MESSAGING_SERVICE_SID));

export function transportFor(config: Config, logger: Logger): SmsTransport {
  if (!hasTwilio(config)) return logTransport(logger);
  return twilioTransport({
    accountSid: config.TWILIO_ACCOUNT_SID!,
    authToken: config.TWILIO_AUTH_TOKEN!,
    from: config.TWILIO_FROM,
    messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
    apiBase: config.TWILIO_API_BASE,
    timeoutMs: config.SMS_SEND_TIMEOUT_MS,
  });
}
