/**
 * Pre-check-in (DESIGN §12): a parent chooses children and services on the phone (a single-family,
 * expiring link: the weekly SMS, the pass page, or staff sending one); the kiosk that later finds
 * the family (express code scan, or the phone look-up) shows those choices made, and the one tap
 * runs the ordinary check-in — capacity is decided then, never here; no seat is held.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import {
  addDays,
  dateInTimezone,
  familyLang,
  formatExpressCode,
  isPrecheckinEligible,
  maskPhone,
  PRECHECKIN_DAYS_AHEAD,
  PRECHECKIN_LINK_TTL_MS,
  PRECHECKIN_SMS_RECENT_WEEKS,
  precheckinSmsDue,
  type FamilyLang,
} from '../../../contracts/rules';
import type { AppContext } from '../context';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { sha256 } from '../auth/crypto';
import { AppError, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { parseSettings } from '../sites/sites.repo';
import { insertNotifications, type OutboxInsert } from '../notifications/outbox.repo';
import { notifyOutbox } from '../notifications/signal';
import { SMS_WORDS } from '../notifications/catalogue';
import { smartEncode } from '../notifications/templates';
import { lockHouseholdOfOrganization } from '../families/registration.repo';
import { codeForFamilyPage, expressQrDataUrl } from '../families/express.service';
import { precheckToken } from './precheck-token';
import { PRECHECK_WORDS, type PrecheckView } from './precheckin.view';
import * as repo from './precheckin.repo';
import { startPeriodic } from '../periodic';
import { familyPhotoPeople } from '../photos/photos.repo';
import { renderFamilyPhotos } from '../photos/family-photos.view';

const tokenHash = (token: string) => sha256(token);

function newLink(secret: Buffer, l: Omit<repo.LinkInsert, 'id' | 'token_hash' | 'expires_at'>, now = new Date()): repo.LinkInsert & { token: string } {
  const id = crypto.randomUUID();
  const token = precheckToken(secret, id);
  return { ...l, id, token, token_hash: tokenHash(token), expires_at: new Date(now.getTime() + PRECHECKIN_LINK_TTL_MS) };
}

/** The texts of one link to the family's textable guardians (the link is rendered at send time). */
function linkTexts(
  siteId: string,
  siteName: string,
  linkId: string,
  guardians: { guardian_id: string; phone: string; language: string | null }[],
): OutboxInsert[] {
  return guardians.map((g) => ({
    site_id: siteId,
    guardian_id: g.guardian_id,
    to: g.phone,
    kind: 'precheckin_link',
    body: smartEncode(SMS_WORDS[familyLang(g.language)].precheckinLink(siteName)),
    precheckin_link_id: linkId,
  }));
}

// ---- the family page ----

export type PageState = { gone: 'expired' | 'unknown'; lang: FamilyLang } | { link: repo.LinkRow; lang: FamilyLang };

export async function openLink(db: Knex | Knex.Transaction, token: string): Promise<PageState> {
  const link = await repo.findLink(db, tokenHash(token));
  if (!link) return { gone: 'unknown', lang: 'en' };
  const lang = familyLang(link.language);
  return link.valid ? { link, lang } : { gone: 'expired', lang };
}

const serviceLabel = (s: repo.ServiceRow, lang: FamilyLang, timezone: string) =>
  `${s.name} · ${new Intl.DateTimeFormat(PRECHECK_WORDS[lang].locale, { timeZone: timezone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(new Date(s.starts_at))}`;

/** What the page shows: the family's children, the services they may choose, what is chosen already, the code for the kiosk. */
export async function pageView(
  db: Knex | Knex.Transaction,
  secret: Buffer,
  link: repo.LinkRow,
  token: string,
  lang: FamilyLang,
  error?: string,
): Promise<PrecheckView> {
  const now = new Date();
  const [children, services, pending] = [
    await repo.householdChildren(db, link.household_id),
    (await repo.eligibleServices(db, link.site_id, PRECHECKIN_DAYS_AHEAD)).filter((s) =>
      isPrecheckinEligible({ startsAt: s.starts_at, checkinClosesAt: s.checkin_closes_at }, now),
    ),
    await repo.pendingOf(db, link.site_id, link.household_id),
  ];
  const offered = new Set(services.map((s) => s.id));
  const mine = pending.filter((p) => offered.has(p.service_id));
  const chosenKids = new Set(mine.flatMap((p) => p.child_ids));
  const name = new Map(children.map((c) => [c.id, c.first_name]));
  // the family's code, shown once something is chosen (made now if they have none; never replacing a printed tag)
  const code = mine.length ? await codeForFamilyPage(db, secret, link.organization_id, link.household_id) : null;
  return {
    lang,
    token,
    siteName: link.site_name,
    familyName: link.household_name,
    validUntil: new Intl.DateTimeFormat(PRECHECK_WORDS[lang].locale, { timeZone: link.timezone, weekday: 'long', month: 'short', day: 'numeric' }).format(
      new Date(new Date(link.expires_at).getTime() - 1),
    ),
    children: children.map((c) => ({ id: c.id, firstName: c.first_name, checked: mine.length ? chosenKids.has(c.id) : true })),
    services: services.map((s, i) => ({
      id: s.id,
      label: serviceLabel(s, lang, link.timezone),
      checked: mine.length ? mine.some((p) => p.service_id === s.id) : i === 0,
    })),
    pending: services
      .filter((s) => mine.some((p) => p.service_id === s.id))
      .map((s) => ({
        label: serviceLabel(s, lang, link.timezone),
        children: mine
          .find((p) => p.service_id === s.id)!
          .child_ids.map((id) => name.get(id))
          .filter((n): n is string => !!n),
      })),
    code: code ? { text: formatExpressCode(code), qrDataUrl: await expressQrDataUrl(code) } : null,
    error,
    photosHtml: renderFamilyPhotos(await familyPhotoPeople(db, link.household_id), `/precheck/${token}`, lang),
  };
}

/**
 * The parent's choice replaces the family's pending pre-check-ins for the services on offer:
 * chosen ones are written (children replaced), unchosen ones dropped. A child of another family or
 * a service the link does not offer (another campus's, closed, too far ahead) is a 404: nothing changes.
 */
export async function submit(tx: Tx, link: repo.LinkRow, childIds: string[], serviceIds: string[]): Promise<void> {
  await repo.lockHousehold(tx.trx, link.household_id);
  const children = new Set((await repo.householdChildren(tx.trx, link.household_id)).map((c) => c.id));
  if (childIds.some((id) => !children.has(id))) throw notFound('Child');
  const now = new Date();
  const offered = (await repo.eligibleServices(tx.trx, link.site_id, PRECHECKIN_DAYS_AHEAD))
    .filter((s) => isPrecheckinEligible({ startsAt: s.starts_at, checkinClosesAt: s.checkin_closes_at }, now))
    .map((s) => s.id);
  if (serviceIds.some((id) => !offered.includes(id))) throw notFound('Service');
  const kids = [...new Set(childIds)];
  for (const serviceId of new Set(serviceIds))
    await repo.upsertPending(tx.trx, { site_id: link.site_id, household_id: link.household_id, service_id: serviceId, link_id: link.id, child_ids: kids });
  await repo.deletePending(
    tx.trx,
    link.site_id,
    link.household_id,
    offered.filter((id) => !serviceIds.includes(id)),
  );
  await insertAudit(tx.trx, null, {
    siteId: link.site_id,
    action: 'precheckin.submit',
    entity: 'household',
    entityId: link.household_id,
    details: { linkId: link.id, serviceIds: [...new Set(serviceIds)], childIds: kids },
  });
}

// ---- links: staff, the pass page, the weekly text ----

/** A link for the family (from its pickup pass page): no text is sent; the page opens it at once. */
export async function linkForFamily(tx: Tx, secret: Buffer, f: { organizationId: string; siteId: string; householdId: string }): Promise<string> {
  const l = newLink(secret, { organization_id: f.organizationId, site_id: f.siteId, household_id: f.householdId, reason: 'pass' });
  const { token, ...row } = l;
  await repo.insertLink(tx.trx, row);
  await insertAudit(tx.trx, null, {
    siteId: f.siteId,
    action: 'precheckin.link_from_pass',
    entity: 'household',
    entityId: f.householdId,
    details: { linkId: l.id },
  });
  return token;
}

/** Staff text one family a link now (desk, family page). */
export async function sendToFamily(tx: Tx, actor: Actor, secret: Buffer, householdId: string): Promise<{ sent: number; phonesMasked: string[] }> {
  const h = await lockHouseholdOfOrganization(tx.trx, actor.organizationId, householdId);
  if (!h) throw notFound('Household');
  const guardians = await repo.textableGuardians(tx.trx, householdId);
  if (!guardians.length) throw new AppError(409, 'no_sms_recipient', 'No guardian of this family can receive texts (none opted in, or they replied STOP)');
  const l = newLink(secret, {
    organization_id: actor.organizationId,
    site_id: actor.siteId,
    household_id: householdId,
    reason: 'staff',
    created_by: actor.kind === 'user' ? actor.id : null,
  });
  const { token: _token, ...row } = l;
  await repo.insertLink(tx.trx, row);
  const site = await repo.siteName(tx.trx, actor.siteId);
  const rows = await insertNotifications(tx.trx, linkTexts(actor.siteId, site?.name ?? '', l.id, guardians));
  tx.afterCommit(notifyOutbox);
  await insertAudit(tx.trx, actor, {
    action: 'precheckin.link_sent',
    entity: 'household',
    entityId: householdId,
    details: { linkId: l.id, texts: rows.length },
  });
  return { sent: rows.length, phonesMasked: guardians.map((g) => maskPhone(g.phone)) };
}

/**
 * The weekly text of one campus, if due: a link to every family who checked in there in the last
 * 8 weeks and can be texted, once per family per send date (the unique index: a second run, a
 * restart or a second instance makes nothing twice). Returns how many families were sent one.
 */
export async function sendWeeklyForSite(
  tx: Tx,
  secret: Buffer,
  site: { id: string; organization_id: string; name: string; timezone: string; settings: unknown },
  now = new Date(),
) {
  const due = precheckinSmsDue(parseSettings(site.settings).preCheckinSms, site.timezone, now);
  if (!due) return 0;
  const since = addDays(dateInTimezone(now, site.timezone), -7 * PRECHECKIN_SMS_RECENT_WEEKS);
  const guardians = await repo.recentTextableGuardians(tx.trx, site.id, since);
  const families = [...new Set(guardians.map((g) => g.household_id))];
  if (!families.length) return 0;
  const links = families.map((householdId) => {
    const { token: _t, ...row } = newLink(
      secret,
      { organization_id: site.organization_id, site_id: site.id, household_id: householdId, reason: 'scheduled', send_date: due.sendDate },
      now,
    );
    return row;
  });
  const made = await repo.insertWeeklyLinks(tx.trx, links);
  if (!made.length) return 0;
  const texts = made.flatMap((m) =>
    linkTexts(
      site.id,
      site.name,
      m.id,
      guardians.filter((g) => g.household_id === m.household_id),
    ),
  );
  await insertNotifications(tx.trx, texts);
  tx.afterCommit(notifyOutbox);
  await insertAudit(tx.trx, null, {
    siteId: site.id,
    action: 'precheckin.weekly_sms',
    entity: 'site',
    entityId: site.id,
    details: { sendDate: due.sendDate, families: made.length, texts: texts.length },
  });
  return made.length;
}

/** One pass over every campus with the weekly text on (each in its own transaction). */
export async function sendDueWeekly(ctx: Pick<AppContext, 'db' | 'tx' | 'secret'>, now = new Date()): Promise<number> {
  let sent = 0;
  for (const site of await repo.sitesWithPrecheckinSms(ctx.db)) sent += await ctx.tx((tx) => sendWeeklyForSite(tx, ctx.secret, site, now));
  return sent;
}

/** The periodic pass (PRECHECKIN_SMS_MS; 0: never), like the schedules' top-up: safe on several instances. */
export function startPrecheckinSms(ctx: AppContext, everyMs: number): () => void {
  const run = async () => {
    try {
      const sent = await sendDueWeekly(ctx);
      if (sent) ctx.logger.info({ families: sent }, 'pre-check-in links texted');
    } catch (err) {
      ctx.logger.warn({ err }, 'pre-check-in texts failed; they are tried again later');
    }
  };
  return startPeriodic(everyMs, run);
}
