/** GET /pass/:token — the mobile pickup pass linked from the check-in SMS (DESIGN §4, §5). */
import { Router, type Response } from 'express';
import QRCode from 'qrcode';
import type { AppContext } from '../context';
import { pickupUrl } from '../checkin/pickup-token';
import { passChildrenOf, passPhotoPeople } from './pass.service';
import { PASS_WORDS, renderGone, renderPass } from './pass.view';
import { openPass } from './pass-life';
import { byAddress } from '../limits/rate-limit';
import { familyLang, formatExpressCode } from '../../../contracts/rules';
import { codeForFamilyPage, expressQrDataUrl } from '../families/express.service';
import { renderFamilyPhotos } from '../photos/family-photos.view';

/** The QR on the pass: the same pickup URL as the link, so scanning either works at the door. */
export const passQrDataUrl = (url: string) => QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, scale: 8 });

function send(res: Response, status: number, html: string) {
  res.status(status).set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow' }).type('html').send(html);
}

export function passRoutes(ctx: AppContext): Router {
  const r = Router();
  // Tokens carry 256 bits, so guessing is hopeless; this only keeps scanners from hammering the database.
  const failures = ctx.limits.failures('passFailures', {
    key: byAddress,
    failed: (res) => res.statusCode >= 400,
    refused: (_req, res) => send(res, 429, renderGone('unknown')),
  });
  r.get('/pass/:token', failures, async (req, res) => {
    const token = String(req.params.token ?? '');
    const open = await openPass(ctx.db, token, 'page');
    // a used or expired pass says so and nothing more: whoever photographed the tag learns no names
    if (!open.ok)
      return send(res, open.why === 'unknown' ? 404 : 410, renderGone(open.why === 'used' ? 'picked_up' : open.why, familyLang(open.pass?.language)));
    const pass = open.pass;
    const { children, allPickedUp } = await passChildrenOf(ctx.db, pass.batch_id);
    const lang = familyLang(pass.language);
    const locale = PASS_WORDS[lang].locale;
    if (allPickedUp) return send(res, 410, renderGone('picked_up', lang));
    const url = pickupUrl(ctx.baseUrl(req), token);
    const validUntil = new Intl.DateTimeFormat(locale, { timeZone: pass.timezone, weekday: 'long', month: 'short', day: 'numeric' }).format(
      new Date(new Date(pass.expires_at).getTime() - 1),
    );
    // the family's express code, for the kiosk next time (made now if they have none; a printed tag is never replaced)
    const code = await ctx.tx((tx) => codeForFamilyPage(tx.trx, ctx.secret, pass.organization_id, pass.household_id));
    send(
      res,
      200,
      renderPass({
        familyCode: code ? { text: formatExpressCode(code), qrDataUrl: await expressQrDataUrl(code) } : null,
        precheckAction: `/pass/${token}/precheck`,
        siteName: pass.site_name,
        serviceName: pass.service_name,
        securityCode: pass.security_code ?? '',
        pickupUrl: url,
        qrDataUrl: await passQrDataUrl(url),
        validUntil,
        children: children.map((c) => ({ firstName: c.first_name, roomName: c.room_name, pickedUp: c.status !== 'checked_in' })),
        lang,
        photosHtml: renderFamilyPhotos(await passPhotoPeople(ctx.db, pass.household_id), `/pass/${token}`, lang),
      }),
    );
  });
  return r;
}
