/**
 * The outbox side of parent SMS (DESIGN §5): each function writes notification rows in the
 * caller's transaction. The dispatcher sends them later; nothing here talks to Twilio.
 */
import type { Tx } from '../db/transaction';
import { notifyOutbox } from './signal';
import type { ServiceContext } from '../sites/sites.repo';
import { fitTwoSegments, joinNames, PICKUP_URL_PLACEHOLDER, render, renderFitted } from './templates';
import { insertNotifications, smsRecipientsWithLanguage, type OutboxInsert } from './outbox.repo';
import { SMS_WORDS, templatesFor } from './catalogue';
import { familyLang, type FamilyLang } from '../../../contracts/rules';

const timeIn = (tz: string, lang: FamilyLang, at = new Date()) =>
  new Intl.DateTimeFormat(SMS_WORDS[lang].locale, { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(at);

/** Writes the rows in the caller's transaction (in the family's language); the dispatchers of this process wake once it commits. */
async function toGuardians(tx: Tx, householdId: string, make: (g: { id: string; phone: string }, lang: FamilyLang) => OutboxInsert | null) {
  const guardians = await smsRecipientsWithLanguage(tx.trx, householdId);
  const lang = familyLang(guardians[0]?.language);
  const rows = await insertNotifications(
    tx.trx,
    guardians.map((g) => make(g, lang)).filter((r): r is OutboxInsert => r != null),
  );
  if (rows.length) tx.afterCommit(notifyOutbox);
  return rows;
}

type CheckinReceipt = {
  service: ServiceContext;
  householdId: string;
  batchId: string;
  securityCode: string;
  children: { firstName: string; roomName: string }[];
  /** the family already held this code today: the text says who was added */
  added?: boolean;
  /** the family's language (default English) */
  lang?: FamilyLang;
};

/** The receipt's text; the check-in's insert statement writes it (its one writer). */
export const checkinReceiptBody = (m: Omit<CheckinReceipt, 'householdId' | 'batchId'>) => {
  const vars = { site: m.service.siteName, code: m.securityCode, service: m.service.name };
  const lang = m.lang ?? 'en';
  const words = SMS_WORDS[lang];
  const templates = templatesFor(m.service.settings.smsTemplates, lang);
  return renderFitted(m.added ? templates.checkinAdded : templates.checkinReceipt, [
    {
      ...vars,
      children: joinNames(
        m.children.map((c) => `${c.firstName} (${c.roomName})`),
        words.and,
      ),
    },
    {
      ...vars,
      children: joinNames(
        m.children.map((c) => c.firstName),
        words.and,
      ),
    },
    { ...vars, children: words.children(m.children.length) },
  ]);
};

export async function enqueueCheckoutConfirmation(
  tx: Tx,
  m: { service: ServiceContext; householdId: string; batchId: string; children: string[]; pickedUpBy: string },
) {
  const body = (lang: FamilyLang) => {
    const vars = { site: m.service.siteName, pickedUpBy: m.pickedUpBy, time: timeIn(m.service.timezone, lang) };
    return renderFitted(templatesFor(m.service.settings.smsTemplates, lang).checkoutConfirmation, [
      { ...vars, children: joinNames(m.children, SMS_WORDS[lang].and) },
      { ...vars, children: SMS_WORDS[lang].children(m.children.length) },
    ]);
  };
  return toGuardians(tx, m.householdId, (g, lang) => ({
    site_id: m.service.siteId,
    guardian_id: g.id,
    batch_id: m.batchId,
    to: g.phone,
    kind: 'checkout_confirmation',
    body: body(lang),
  }));
}

export async function enqueuePage(
  tx: Tx,
  m: { service: ServiceContext; householdId: string; checkinId: string; child: string; room: string; message?: string },
) {
  const body = (lang: FamilyLang) =>
    fitTwoSegments(
      render(templatesFor(m.service.settings.smsTemplates, lang).page, {
        site: m.service.siteName,
        child: m.child,
        room: m.room,
        message: m.message ?? '',
      }),
    );
  return toGuardians(tx, m.householdId, (g, lang) => ({
    site_id: m.service.siteId,
    guardian_id: g.id,
    checkin_id: m.checkinId,
    to: g.phone,
    kind: 'page',
    body: body(lang),
  }));
}

export { PICKUP_URL_PLACEHOLDER };
