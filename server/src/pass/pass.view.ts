/**
 * The pickup pass a parent opens from the SMS: server-rendered, no script (the CSP forbids
 * inline scripts; inline styles are allowed), every interpolated value escaped.
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
`;

function page(title: string, inner: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
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
}

export function renderPass(v: PassView): string {
  const rows = v.children
    .map(
      (c) =>
        `<li class="${c.pickedUp ? 'out' : ''}"><span>${escapeHtml(c.firstName)}</span><span class="room">${escapeHtml(c.pickedUp ? 'picked up' : c.roomName)}</span></li>`,
    )
    .join('');
  return page(
    `Pickup pass — ${v.siteName}`,
    `
<div class="card">
  <h1>${escapeHtml(v.siteName)}</h1>
  <p class="muted">${escapeHtml(v.serviceName)} · pickup pass</p>
  <div class="code" aria-label="Security code">${escapeHtml(v.securityCode)}</div>
  <p class="muted">Security code</p>
  <img class="qr" src="${escapeHtml(v.qrDataUrl)}" alt="Pickup QR code" width="300" height="300">
  <p class="muted">Show this code at pickup</p>
  <ul>${rows}</ul>
  <p class="note">Valid through ${escapeHtml(v.validUntil)}, until your children are picked up.</p>
</div>`,
  );
}

/** After the last checkout: who took each child, and when (the pass no longer works at the door). */
export function renderPickedUp(children: { firstName: string; pickedUpBy: string; at: string }[]): string {
  const rows = children
    .map((c) => `<li><span>${escapeHtml(c.firstName)}</span><span class="room">Picked up by ${escapeHtml(c.pickedUpBy)} at ${escapeHtml(c.at)}</span></li>`)
    .join('');
  return page(
    'Children picked up',
    `<div class="card"><div class="big" aria-hidden="true">&#10003;</div><h1>Children picked up</h1>
<p class="muted">Everyone on this pass has been picked up, so the pass no longer works at the door.</p><ul>${rows}</ul></div>`,
  );
}

export function renderGone(kind: 'expired' | 'picked_up' | 'unknown'): string {
  const [title, text] =
    kind === 'picked_up'
      ? ['Children already picked up', 'Everyone on this pass has been picked up, so the pass no longer works. See you next time!']
      : kind === 'expired'
        ? ['This pass has expired', "Pickup passes work until the end of the service day. Ask a Kids' Club volunteer if you need help."]
        : ['Pass not found', "This link is not a valid pickup pass. Check the link in your text message, or ask a Kids' Club volunteer."];
  return page(
    title,
    `<div class="card"><div class="big" aria-hidden="true">${kind === 'picked_up' ? '&#10003;' : '&#8987;'}</div><h1>${escapeHtml(title)}</h1><p class="muted">${escapeHtml(text)}</p></div>`,
  );
}
