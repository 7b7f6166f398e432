import type { FamilyLang } from '../../../contracts/rules';

/**
 * The pickup pass a parent opens from the SMS: server-rendered, no inline script (the CSP forbids
 * it; inline styles are allowed; the photo form's one script is served, family-photos.view.ts),
 * every interpolated value escaped.
 */
export const escapeHtml = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
  *{box-sizing:border-box} body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6fb;color:#1c2333}
  main{max-width:420px;margin:0 auto;padding:20px 16px 32px}
  .card{background:#fff;border-radius:16px;box-shadow:0 2px 10px rgba(20,30,60,.08);padding:20px;text-align:center}
  h1{font-size:1.25rem;margin:0 0 4px} .muted{color:#5b6478;font-size:.95rem;margin:0}
  .code{font:700 2.6rem/1.1 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.35em;margin:14px 0 4px;padding-left:.35em}
  .qr{width:100%;max-width:300px;height:auto;image-rendering:pixelated;margin:12px auto 4px;display:block}
  ul{list-style:none;padding:0;margin:16px 0 0;text-align:left} li{display:flex;justify-content:space-between;gap:12px;padding:10px 0;border-top:1px solid #e7eaf1}
  li .room{color:#5b6478} li.out{color:#8a91a3;text-decoration:line-through}
  .note{font-size:.9rem;color:#5b6478;margin-top:16px} .big{font-size:3rem;margin:8px 0}
  .card+.card{margin-top:14px} h2{font-size:1.05rem;margin:0 0 4px}
  .family-qr{width:100%;max-width:220px;height:auto;image-rendering:pixelated;margin:10px auto 2px;display:block}
  .family-code{font:700 1.1rem/1.2 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.06em;margin:4px 0}
  form button{margin-top:14px;width:100%;font-size:1rem;font-weight:700;padding:12px;border:0;border-radius:10px;background:#2f5bd3;color:#fff}
`;

/** Every fixed word of the pass pages, in each family language (DESIGN §12). */
export const PASS_WORDS: Record<
  FamilyLang,
  {
    locale: string;
    passTitle: string;
    pickupPass: string;
    securityCode: string;
    qrAlt: string;
    showAtPickup: string;
    pickedUp: string;
    validThrough(until: string): string;
    gone: Record<'expired' | 'picked_up' | 'unknown', [string, string]>;
    familyCodeTitle: string;
    familyCodeHelp: string;
    familyQrAlt: string;
    precheckNext: string;
  }
> = {
  en: {
    locale: 'en-US',
    passTitle: 'Pickup pass',
    pickupPass: 'pickup pass',
    securityCode: 'Security code',
    qrAlt: 'Pickup QR code',
    showAtPickup: 'Show this code at pickup',
    pickedUp: 'picked up',
    validThrough: (until) => `Valid through ${until}, until your children are picked up.`,
    gone: {
      picked_up: ['Children already picked up', 'Everyone on this pass has been picked up, so the pass no longer works. See you next time!'],
      expired: ['This pass has expired', "Pickup passes work until the end of the service day. Ask a Kids' Club volunteer if you need help."],
      unknown: ['Pass not found', "This link is not a valid pickup pass. Check the link in your text message, or ask a Kids' Club volunteer."],
    },
    familyCodeTitle: 'Next time: express check-in',
    familyCodeHelp: 'Show this family code to the kiosk camera (or your key tag) and go straight to your children.',
    familyQrAlt: 'Family check-in QR code',
    precheckNext: 'Pre-check in for next time',
  },
  es: {
    locale: 'es-US',
    passTitle: 'Pase de recogida',
    pickupPass: 'pase de recogida',
    securityCode: 'Código de seguridad',
    qrAlt: 'Código QR de recogida',
    showAtPickup: 'Muestre este código al recoger',
    pickedUp: 'recogido',
    validThrough: (until) => `Válido hasta el ${until}, hasta que recojan a sus niños.`,
    gone: {
      picked_up: ['Los niños ya fueron recogidos', 'Todos los niños de este pase ya fueron recogidos, así que el pase ya no sirve. ¡Hasta la próxima!'],
      expired: ['Este pase ha vencido', 'Los pases de recogida sirven hasta el final del día del servicio. Pida ayuda a un voluntario de Kids’ Club.'],
      unknown: [
        'Pase no encontrado',
        'Este enlace no es un pase de recogida válido. Revise el enlace de su mensaje de texto o pida ayuda a un voluntario de Kids’ Club.',
      ],
    },
    familyCodeTitle: 'La próxima vez: entrada rápida',
    familyCodeHelp: 'Muestre este código familiar a la cámara del kiosco (o su llavero) y pase directo a sus niños.',
    familyQrAlt: 'Código QR de la familia',
    precheckNext: 'Registro previo para la próxima vez',
  },
};

function page(title: string, inner: string, lang: FamilyLang = 'en'): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${inner}</main></body></html>`;
}

export interface PassView {
  siteName: string;
  serviceName: string;
  securityCode: string;
  qrDataUrl: string;
  pickupUrl: string;
  validUntil: string;
  children: { firstName: string; roomName: string; pickedUp: boolean }[];
  /** the family's language */
  lang: FamilyLang;
  /** the family's express check-in code (null: an old code that cannot be shown again) */
  familyCode?: { text: string; qrDataUrl: string } | null;
  /** where "pre-check in for next time" posts */
  precheckAction?: string;
  /** the family's photo form (family-photos.view.ts), already rendered */
  photosHtml?: string;
}

export function renderPass(v: PassView): string {
  const w = PASS_WORDS[v.lang];
  const rows = v.children
    .map(
      (c) =>
        `<li class="${c.pickedUp ? 'out' : ''}"><span>${escapeHtml(c.firstName)}</span><span class="room">${escapeHtml(c.pickedUp ? w.pickedUp : c.roomName)}</span></li>`,
    )
    .join('');
  return page(
    `${w.passTitle} — ${v.siteName}`,
    `
<div class="card">
  <h1>${escapeHtml(v.siteName)}</h1>
  <p class="muted">${escapeHtml(v.serviceName)} · ${escapeHtml(w.pickupPass)}</p>
  <div class="code" aria-label="${escapeHtml(w.securityCode)}">${escapeHtml(v.securityCode)}</div>
  <p class="muted">${escapeHtml(w.securityCode)}</p>
  <img class="qr" src="${escapeHtml(v.qrDataUrl)}" alt="${escapeHtml(w.qrAlt)}" width="300" height="300">
  <p class="muted">${escapeHtml(w.showAtPickup)}</p>
  <ul>${rows}</ul>
  <p class="note">${escapeHtml(w.validThrough(v.validUntil))}</p>
</div>${
      v.familyCode || v.precheckAction
        ? `
<div class="card">
  <h2>${escapeHtml(w.familyCodeTitle)}</h2>
  ${
    v.familyCode
      ? `<p class="muted">${escapeHtml(w.familyCodeHelp)}</p>
  <img class="family-qr" src="${escapeHtml(v.familyCode.qrDataUrl)}" alt="${escapeHtml(w.familyQrAlt)}" width="220" height="220">
  <p class="family-code">${escapeHtml(v.familyCode.text)}</p>`
      : ''
  }
  ${v.precheckAction ? `<form method="post" action="${escapeHtml(v.precheckAction)}"><button type="submit">${escapeHtml(w.precheckNext)}</button></form>` : ''}
</div>`
        : ''
    }${v.photosHtml ?? ''}`,
    v.lang,
  );
}

export function renderGone(kind: 'expired' | 'picked_up' | 'unknown', lang: FamilyLang = 'en'): string {
  const [title, text] = PASS_WORDS[lang].gone[kind];
  return page(
    title,
    `<div class="card"><div class="big" aria-hidden="true">${kind === 'picked_up' ? '&#10003;' : '&#8987;'}</div><h1>${escapeHtml(title)}</h1><p class="muted">${escapeHtml(text)}</p></div>`,
    lang,
  );
}
