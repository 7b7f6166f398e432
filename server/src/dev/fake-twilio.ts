/**
 * A local Twilio-compatible HTTP server: what tests and `npm run dev` point the real `twilio`
 * SDK at (TWILIO_API_BASE), since this machine cannot reach Twilio's cloud.
 *
 * Implements
 *   POST /2010-04-01/Accounts/:sid/Messages.json   form body, HTTP basic auth (sid:token) checked
 *   GET  /2010-04-01/Accounts/:sid/Messages.json   list, newest first, filter To/From, PageSize
 *   GET  /2010-04-01/Accounts/:sid/Messages/:sid.json
 * with Twilio's JSON shapes and error bodies ({code,message,more_info,status}).
 *
 * Recipient rules:
 *   - invalid number → 400 code 21211: anything not E.164 (+ and 8–15 digits), and any number
 *     whose last four digits are 0000 (e.g. +13125550000) — an easy "bad number" for tests;
 *   - unsubscribed → 400 code 21610: numbers in opts.unsubscribed or added with unsubscribe();
 *   - opts.undelivered numbers are accepted but end 'undelivered' (error 30006) in callbacks.
 * Status callbacks: when a message has a StatusCallback, the server posts queued → sent →
 * delivered to it (form body, correct X-Twilio-Signature for the URL and params), one after the
 * other, callbackDelayMs apart.
 *
 * Failure switches: failNext(n, 500|429) answers the next n API requests with that status
 * (nothing is recorded); setDown(true) resets every API connection until setDown(false);
 * loseResponses(n) records the next n messages but drops the connection instead of answering
 * (Twilio accepted, the caller never heard); hold(true) records messages and answers none of
 * them until hold(false).
 *
 * Developer helpers (not Twilio): GET /_fake/messages lists what was "sent"; with
 * opts.inboundUrl, POST /_fake/inbound {From, Body} texts the app as a parent would.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface FakeMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
  messagingServiceSid: string | null;
  status: string;
  dateCreated: Date;
}
export interface FakeCallback {
  sid: string;
  status: string;
  url: string;
  httpStatus: number | null;
  error?: string;
}

export interface FakeTwilioOptions {
  port?: number;
  host?: string;
  accountSid?: string;
  authToken?: string;
  from?: string;
  unsubscribed?: string[];
  undelivered?: string[];
  /** Post status callbacks (default true). */
  callbacks?: boolean;
  callbackDelayMs?: number;
  /** Called for every message accepted (the dev script prints them). */
  onMessage?: (m: FakeMessage) => void;
  /**
   * The app's inbound webhook: enables POST /_fake/inbound (form or JSON {From, Body}), which
   * posts a signed inbound SMS there — a developer's way to text STOP/START/HELP by curl.
   */
  inboundUrl?: string;
}

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  from: string;
  messages: FakeMessage[];
  callbacks: FakeCallback[];
  /** API requests seen (including refused ones). */
  requests: { method: string; path: string; status: number | 'reset' | 'held' | 'lost' }[];
  failNext(n: number, status?: 500 | 429 | 503): void;
  setDown(down: boolean): void;
  loseResponses(n: number): void;
  hold(on: boolean): void;
  unsubscribe(phone: string): void;
  /** Turns status callbacks on or off from now on. */
  setCallbacks(on: boolean): void;
  /** Posts a signed inbound SMS to the app's webhook URL, as Twilio does; returns the app's answer. */
  sendInbound(webhookUrl: string, m: { from: string; body: string; to?: string }): Promise<{ status: number; body: string }>;
  /** Posts a status callback signed with the right (or, with `forge`, a wrong) token. */
  postStatus(url: string, params: Record<string, string>, opts?: { forge?: boolean; unsigned?: boolean }): Promise<{ status: number; body: string }>;
  /** Resolves once no callback is still being posted. */
  idle(): Promise<void>;
  env(): Record<string, string>;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{7,14}$/;
export const isInvalidNumber = (to: string) => !E164.test(to) || to.endsWith('0000');

const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');
const hex = (n: number) => crypto.randomBytes(n).toString('hex');

export async function startFakeTwilio(opts: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = opts.accountSid ?? `AC${hex(16)}`;
  const authToken = opts.authToken ?? hex(16);
  const from = opts.from ?? '+15005550006';
  const unsubscribed = new Set(opts.unsubscribed ?? []);
  const undelivered = new Set(opts.undelivered ?? []);
  const callbackDelay = opts.callbackDelayMs ?? 10;
  const messages: FakeMessage[] = [];
  const callbacks: FakeCallback[] = [];
  const requests: FakeTwilio['requests'] = [];
  let failing = 0;
  let failStatus = 500;
  let down = false;
  let lose = 0;
  let holding = false;
  const held: (() => void)[] = [];
  const pending = new Set<Promise<void>>();
  let closed = false;
  let callbacksOn = opts.callbacks !== false;
  let base = '';

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const error = (res: http.ServerResponse, status: number, code: number, message: string) =>
    json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

  const present = (m: FakeMessage) => ({
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: m.status === 'queued' ? null : rfc2822(m.dateCreated),
    date_updated: rfc2822(new Date()),
    direction: 'outbound-api',
    error_code: m.status === 'undelivered' ? 30006 : null,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 153))),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}/Media.json` },
    to: m.to,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  });

  async function signedPost(url: string, params: Record<string, string>, token = authToken, sign = true) {
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (sign) headers['X-Twilio-Signature'] = twilio.getExpectedTwilioSignature(token, url, params);
    const r = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
    return { status: r.status, body: await r.text() };
  }

  function track(p: Promise<void>) {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  function scheduleCallbacks(m: FakeMessage) {
    if (!m.statusCallback || !callbacksOn) return;
    const url = m.statusCallback;
    const final = undelivered.has(m.to) ? 'undelivered' : 'delivered';
    track(
      (async () => {
        for (const status of ['queued', 'sent', final]) {
          await new Promise((r) => setTimeout(r, callbackDelay));
          if (closed) return;
          m.status = status;
          const params: Record<string, string> = {
            AccountSid: accountSid,
            ApiVersion: '2010-04-01',
            From: m.from,
            To: m.to,
            MessageSid: m.sid,
            SmsSid: m.sid,
            MessageStatus: status,
            SmsStatus: status,
            ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
            ...(status === 'undelivered' ? { ErrorCode: '30006' } : {}),
          };
          const entry: FakeCallback = { sid: m.sid, status, url, httpStatus: null };
          callbacks.push(entry);
          try {
            entry.httpStatus = (await signedPost(url, params)).status;
          } catch (e) {
            entry.error = (e as Error).message;
          }
        }
      })(),
    );
  }

  function createMessage(res: http.ServerResponse, req: http.IncomingMessage, form: URLSearchParams) {
    const to = form.get('To') ?? '';
    const body = form.get('Body') ?? '';
    const msid = form.get('MessagingServiceSid');
    const sender = form.get('From') ?? (msid ? from : null);
    if (!to) return error(res, 400, 21604, "A 'To' phone number is required.");
    if (!sender) return error(res, 400, 21603, "A 'From' phone number is required.");
    if (!body) return error(res, 400, 21602, 'Message body is required.');
    if (isInvalidNumber(to)) return error(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (unsubscribed.has(to)) return error(res, 400, 21610, 'Attempt to send to unsubscribed recipient');
    const m: FakeMessage = {
      sid: `SM${hex(16)}`,
      to,
      from: sender,
      body,
      statusCallback: form.get('StatusCallback'),
      messagingServiceSid: msid,
      status: 'queued',
      dateCreated: new Date(),
    };
    messages.push(m);
    opts.onMessage?.(m);
    if (lose > 0) {
      lose--;
      requests[requests.length - 1]!.status = 'lost';
      req.socket.destroy();
      scheduleCallbacks(m);
      return;
    }
    const answer = () => {
      json(res, 201, present(m));
      scheduleCallbacks(m);
    };
    if (holding) {
      requests[requests.length - 1]!.status = 'held';
      held.push(answer);
    } else answer();
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const entry: FakeTwilio['requests'][number] = { method: req.method ?? '', path: u.pathname, status: 0 };
      requests.push(entry);
      if (u.pathname === '/_fake/messages' && req.method === 'GET') {
        entry.status = 200;
        return json(res, 200, { messages: messages.map(present), callbacks });
      }
      if (u.pathname === '/_fake/inbound' && req.method === 'POST' && opts.inboundUrl) {
        const raw = Buffer.concat(chunks).toString('utf8');
        const f: Record<string, string> = /json/.test(req.headers['content-type'] ?? '')
          ? JSON.parse(raw || '{}')
          : Object.fromEntries(new URLSearchParams(raw));
        entry.status = 200;
        // a '+' sent unencoded by curl -d arrives as a space
        const sender = (f.From ?? f.from ?? '').replace(/^ (\d)/, '+$1');
        void api.sendInbound(opts.inboundUrl, { from: sender, body: f.Body ?? f.body ?? '' }).then(
          (r) => json(res, 200, { appStatus: r.status, appAnswer: r.body }),
          (e: Error) => json(res, 502, { error: e.message }),
        );
        return;
      }
      if (down) {
        entry.status = 'reset';
        req.socket.destroy();
        return;
      }
      const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/.exec(u.pathname);
      if (!m) {
        entry.status = 404;
        return error(res, 404, 20404, 'The requested resource was not found');
      }
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected || m[1] !== accountSid) {
        entry.status = 401;
        return error(res, 401, 20003, 'Authenticate');
      }
      if (failing > 0) {
        failing--;
        entry.status = failStatus;
        return error(res, failStatus, failStatus === 429 ? 20429 : 20500, failStatus === 429 ? 'Too Many Requests' : 'Internal Server Error');
      }
      entry.status = 200;
      if (req.method === 'POST' && !m[2]) {
        entry.status = 201;
        return createMessage(res, req, new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      }
      if (req.method === 'GET' && m[2]) {
        const found = messages.find((x) => x.sid === m[2]);
        return found ? json(res, 200, present(found)) : error(res, 404, 20404, 'The requested resource was not found');
      }
      if (req.method === 'GET') {
        const to = u.searchParams.get('To');
        const fromQ = u.searchParams.get('From');
        const size = Math.min(1000, Number(u.searchParams.get('PageSize') ?? 50) || 50);
        const list = messages
          .filter((x) => (!to || x.to === to) && (!fromQ || x.from === fromQ))
          .slice()
          .reverse()
          .slice(0, size);
        const uri = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
        return json(res, 200, {
          messages: list.map(present),
          end: Math.max(0, list.length - 1),
          first_page_uri: `${uri}?PageSize=${size}&Page=0`,
          next_page_uri: null,
          page: 0,
          page_size: size,
          previous_page_uri: null,
          start: 0,
          uri: `${uri}?PageSize=${size}&Page=0`,
        });
      }
      entry.status = 405;
      error(res, 405, 20004, 'Method not allowed');
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  base = `http://${opts.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;

  const api: FakeTwilio = {
    url: base,
    accountSid,
    authToken,
    from,
    messages,
    callbacks,
    requests,
    failNext(n, status = 500) {
      failing = n;
      failStatus = status;
    },
    setDown(d) {
      down = d;
    },
    loseResponses(n) {
      lose = n;
    },
    hold(on) {
      holding = on;
      if (!on)
        for (const answer of held.splice(0)) {
          try {
            answer();
          } catch {
            /* caller gone */
          }
        }
    },
    unsubscribe(phone) {
      unsubscribed.add(phone);
    },
    setCallbacks(on) {
      callbacksOn = on;
    },
    sendInbound(url, m) {
      return signedPost(url, {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        MessageSid: `SM${hex(16)}`,
        SmsSid: `SM${hex(16)}`,
        From: m.from,
        To: m.to ?? from,
        Body: m.body,
        NumMedia: '0',
        NumSegments: '1',
      });
    },
    postStatus(url, params, o = {}) {
      return signedPost(url, params, o.forge ? hex(16) : authToken, !o.unsigned);
    },
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    env() {
      return { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_FROM: from, TWILIO_API_BASE: base };
    },
    async close() {
      closed = true;
      holding = false;
      held.splice(0);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...pending]);
    },
  };
  return api;
}

/** Polls `fn` until it returns something truthy; fails with `label` after `ms`. */
export async function waitFor<T>(fn: () => Promise<T> | T, ms = 8000, label = 'condition', everyMs = 25): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${label} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
