/** What Twilio's signed webhooks change: delivery status, and STOP/START per phone number. */
import type { Tx } from '../db/transaction';
import { UuidSchema } from '../../../contracts';
import { advance, fromTwilioStatus } from './status';
import { PERMANENT_CODES } from './transport';
import { notificationEvent } from './notifications.presenter';
import * as repo from './dispatch.repo';
import { insertAudit } from '../audit/audit.repo';

/**
 * A status callback. The row is found by the id we put in the callback URL (so a callback that
 * beats our own bookkeeping, or follows a crash, still lands), else by the message SID.
 */
export async function applyStatusCallback(tx: Tx, p: { rowId?: string; sid?: string; status?: string; errorCode?: string }) {
  const incoming = fromTwilioStatus(p.status);
  if (!incoming || !p.sid) return { applied: false as const };
  // once per (MessageSid, MessageStatus): a replay changes nothing, the normal sequence all lands
  if (!(await repo.firstTimeWebhook(tx.trx, 'status', p.sid, p.status!.slice(0, 32)))) return { applied: false as const, replay: true as const };
  let row = p.rowId && UuidSchema.safeParse(p.rowId).success ? await repo.lockById(tx.trx, p.rowId) : undefined;
  if (row && row.provider_id && row.provider_id !== p.sid) row = undefined;
  row ??= await repo.lockByProviderId(tx.trx, p.sid);
  if (!row) return { applied: false as const };
  // A row we gave up on (no provider id) that Twilio turns out to hold takes Twilio's word.
  const status = row.status === 'failed' && !row.provider_id ? incoming : advance(row.status, incoming);
  if (status === row.status && row.provider_id === p.sid) return { applied: false as const, status };
  const code = p.errorCode ? Number(p.errorCode) : undefined;
  let error = row.error;
  if (status !== row.status) {
    error =
      status === 'undelivered' || status === 'failed'
        ? `Twilio: ${status}${code ? ` (error ${code}${PERMANENT_CODES[code] ? `: ${PERMANENT_CODES[code]}` : ''})` : ''}`
        : null;
  }
  const updated = await repo.update(tx.trx, row.id, { status, provider_id: row.provider_id ?? p.sid, error, sent_at: row.sent_at ?? new Date() });
  tx.events.push({ name: 'notification.updated', siteId: updated.site_id, audience: 'staff', payload: notificationEvent(updated) });
  return { applied: true as const, status };
}

/** Twilio's opt-out and opt-in keywords (the whole message, any case). */
export const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
export const START_WORDS = new Set(['START', 'YES', 'UNSTOP']);
export const HELP_WORDS = new Set(['HELP', 'INFO']);

export const HELP_REPLY =
  "Kids' Club check-in: texts about your children's check-in, pickup and pages from staff. Reply STOP to unsubscribe, START to resubscribe.";
export const START_REPLY = "You're subscribed again to Kids' Club check-in texts. Reply STOP to unsubscribe.";

/**
 * An inbound SMS: STOP/START change every guardian with that number; returns the reply text. Each
 * MessageSid counts once: a replayed (still correctly signed) old START is ignored, so it cannot
 * re-subscribe a parent who has since sent STOP.
 */
export async function applyInbound(
  tx: Tx,
  p: { sid?: string; from?: string; body?: string },
): Promise<{ keyword: 'stop' | 'start' | 'help' | null; reply: string | null; guardians: number; replay?: true }> {
  if (p.sid && !(await repo.firstTimeWebhook(tx.trx, 'inbound', p.sid))) return { keyword: null, reply: null, guardians: 0, replay: true };
  const word = (p.body ?? '')
    .trim()
    .replace(/[.!]+$/, '')
    .toUpperCase();
  const keyword = STOP_WORDS.has(word) ? 'stop' : START_WORDS.has(word) ? 'start' : HELP_WORDS.has(word) ? 'help' : null;
  if (keyword === 'help') return { keyword, reply: HELP_REPLY, guardians: 0 };
  if (!keyword || !p.from) return { keyword, reply: null, guardians: 0 };
  const guardians = await repo.guardiansByPhone(tx.trx, p.from);
  const out = keyword === 'stop';
  const changing = guardians.filter((g) => (out ? !g.sms_opted_out_at : g.sms_opted_out_at));
  if (changing.length) {
    await repo.setOptedOut(
      tx.trx,
      changing.map((g) => g.id),
      out,
    );
    await insertAudit(
      tx.trx,
      'system',
      changing.map((g) => ({
        siteId: g.site_id,
        action: out ? 'guardian.sms_opt_out' : 'guardian.sms_opt_in',
        entity: 'guardian',
        entityId: g.id,
        details: { via: 'sms_keyword', keyword: word },
      })),
    );
  }
  // Twilio answers STOP itself (and blocks any reply to an opted-out number): say nothing.
  return { keyword, reply: out ? null : START_REPLY, guardians: changing.length };
}
