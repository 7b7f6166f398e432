/**
 * The pre-check-in page a parent opens from the SMS link (or the pass page): server-rendered, no
 * script (the CSP forbids inline scripts), a plain form, every interpolated value escaped, in the
 * family's language. Built for a phone: one column, big tap targets.
 */
import type { FamilyLang } from '../../../contracts/rules';
import { escapeHtml } from '../pass/pass.view';

const STYLE = `
  *{box-sizing:border-box} body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6fb;color:#1c2333}
  main{max-width:440px;margin:0 auto;padding:16px 14px 32px}
  .card{background:#fff;border-radius:16px;box-shadow:0 2px 10px rgba(20,30,60,.08);padding:18px;margin-bottom:14px}
  h1{font-size:1.3rem;margin:0 0 4px} h2{font-size:1.05rem;margin:0 0 8px} .muted{color:#5b6478;font-size:.95rem;margin:0}
  fieldset{border:0;padding:0;margin:14px 0 0} legend{font-weight:700;margin-bottom:6px;padding:0}
  label.opt{display:flex;align-items:center;gap:12px;padding:12px;border:2px solid #dfe3ec;border-radius:12px;margin:8px 0;font-size:1.05rem;min-height:52px}
  label.opt input{width:26px;height:26px;flex:none;accent-color:#2f5bd3}
  label.opt .sub{display:block;color:#5b6478;font-size:.9rem}
  button{margin-top:16px;width:100%;font-size:1.1rem;font-weight:700;padding:14px;border:0;border-radius:12px;background:#2f5bd3;color:#fff;min-height:52px}
  .error{color:#b3261e;font-weight:600} .ok{color:#1b6e3a;font-weight:700;margin:0 0 6px}
  .qr{width:100%;max-width:260px;height:auto;image-rendering:pixelated;margin:10px auto 2px;display:block}
  .code{font:700 1.15rem/1.2 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.08em;text-align:center;margin:4px 0}
  ul{padding-left:20px;margin:8px 0} .center{text-align:center} .big{font-size:3rem;margin:8px 0}
`;

export interface PrecheckWords {
  locale: string;
  title: string;
  intro(family: string): string;
  whoIsComing: string;
  whichServices: string;
  submit: string;
  update: string;
  doneTitle: string;
  doneText: string;
  showAtKiosk: string;
  qrAlt: string;
  noCode: string;
  chooseChild: string;
  chooseService: string;
  noServices: string;
  validUntil(d: string): string;
  gone: Record<'expired' | 'unknown' | 'not_found' | 'bad_input', [string, string]>;
}

export const PRECHECK_WORDS: Record<FamilyLang, PrecheckWords> = {
  en: {
    locale: 'en-US',
    title: 'Pre-check-in',
    intro: (family) => `${family}: choose who is coming and when. At the kiosk, one scan prints the labels.`,
    whoIsComing: 'Who is coming?',
    whichServices: 'Which service?',
    submit: 'Pre-check in',
    update: 'Save changes',
    doneTitle: 'You are pre-checked in',
    doneText: 'Rooms are given at the kiosk when you arrive. Scan this code there and tap Check in.',
    showAtKiosk: 'Show this code to the kiosk camera',
    qrAlt: 'Family check-in QR code',
    noCode: 'At the kiosk, scan your key tag or type your phone number: your choices will be waiting.',
    chooseChild: 'Choose at least one child.',
    chooseService: 'Choose at least one service.',
    noServices: 'There is no service to pre-check in for this week. See you soon!',
    validUntil: (d) => `This link works until ${d}.`,
    gone: {
      expired: ['This link has expired', "Pre-check-in links work for a week. Ask a Kids' Club volunteer, or check in at the kiosk."],
      unknown: ['Link not found', 'This is not a valid pre-check-in link. Check the link in your text message, or check in at the kiosk.'],
      not_found: ['Not found', 'That child or service is not part of this pre-check-in. Open the link again and choose from the list.'],
      bad_input: ['Something was wrong', 'Open the link again and choose from the list.'],
    },
  },
  es: {
    locale: 'es-US',
    title: 'Registro previo',
    intro: (family) => `${family}: elija quién viene y cuándo. En el kiosco, un escaneo imprime las etiquetas.`,
    whoIsComing: '¿Quién viene?',
    whichServices: '¿A qué servicio?',
    submit: 'Registrar',
    update: 'Guardar cambios',
    doneTitle: 'Registro previo listo',
    doneText: 'Las salas se asignan en el kiosco al llegar. Escanee este código allí y toque Registrar entrada.',
    showAtKiosk: 'Muestre este código a la cámara del kiosco',
    qrAlt: 'Código QR de la familia',
    noCode: 'En el kiosco, escanee su llavero o escriba su teléfono: su selección estará esperando.',
    chooseChild: 'Elija al menos un niño.',
    chooseService: 'Elija al menos un servicio.',
    noServices: 'No hay servicio para registrar esta semana. ¡Hasta pronto!',
    validUntil: (d) => `Este enlace sirve hasta el ${d}.`,
    gone: {
      expired: [
        'Este enlace ha vencido',
        'Los enlaces de registro previo sirven una semana. Pida ayuda a un voluntario de Kids’ Club o regístrese en el kiosco.',
      ],
      unknown: ['Enlace no encontrado', 'Este enlace de registro previo no es válido. Revise su mensaje de texto o regístrese en el kiosco.'],
      not_found: ['No encontrado', 'Ese niño o servicio no es parte de este registro. Abra el enlace otra vez y elija de la lista.'],
      bad_input: ['Algo salió mal', 'Abra el enlace otra vez y elija de la lista.'],
    },
  },
};

function page(title: string, inner: string, lang: FamilyLang): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${inner}</main></body></html>`;
}

export interface PrecheckView {
  lang: FamilyLang;
  token: string;
  siteName: string;
  familyName: string;
  validUntil: string;
  children: { id: string; firstName: string; checked: boolean }[];
  services: { id: string; label: string; checked: boolean }[];
  /** what is pre-checked in now (services with the children's names) */
  pending: { label: string; children: string[] }[];
  code: { text: string; qrDataUrl: string } | null;
  error?: string;
  /** the family's photo form (photos/family-photos.view.ts), already rendered */
  photosHtml?: string;
}

export function renderPrecheck(v: PrecheckView): string {
  const w = PRECHECK_WORDS[v.lang];
  const done = v.pending.length
    ? `<section class="card" aria-labelledby="done-title">
  <p class="ok" id="done-title" role="status">&#10003; ${escapeHtml(w.doneTitle)}</p>
  <ul>${v.pending.map((p) => `<li><strong>${escapeHtml(p.label)}</strong>: ${escapeHtml(p.children.join(', '))}</li>`).join('')}</ul>
  <p class="muted">${escapeHtml(w.doneText)}</p>
  ${
    v.code
      ? `<img class="qr" src="${escapeHtml(v.code.qrDataUrl)}" alt="${escapeHtml(w.qrAlt)}" width="260" height="260">
  <p class="code">${escapeHtml(v.code.text)}</p><p class="muted center">${escapeHtml(w.showAtKiosk)}</p>`
      : `<p class="muted">${escapeHtml(w.noCode)}</p>`
  }
</section>`
    : '';
  const form = v.services.length
    ? `<form method="post" action="/precheck/${escapeHtml(v.token)}">
  ${v.error ? `<p class="error" role="alert">${escapeHtml(v.error)}</p>` : ''}
  <fieldset><legend>${escapeHtml(w.whoIsComing)}</legend>
  ${v.children
    .map(
      (c) =>
        `<label class="opt"><input type="checkbox" name="child" value="${escapeHtml(c.id)}"${c.checked ? ' checked' : ''}> ${escapeHtml(c.firstName)}</label>`,
    )
    .join('\n  ')}
  </fieldset>
  <fieldset><legend>${escapeHtml(w.whichServices)}</legend>
  ${v.services
    .map(
      (s) =>
        `<label class="opt"><input type="checkbox" name="service" value="${escapeHtml(s.id)}"${s.checked ? ' checked' : ''}> ${escapeHtml(s.label)}</label>`,
    )
    .join('\n  ')}
  </fieldset>
  <button type="submit">${escapeHtml(v.pending.length ? w.update : w.submit)}</button>
</form>`
    : `<p class="muted">${escapeHtml(w.noServices)}</p>`;
  return page(
    `${w.title} — ${v.siteName}`,
    `${done}<section class="card">
  <h1>${escapeHtml(v.siteName)} · ${escapeHtml(w.title)}</h1>
  <p class="muted">${escapeHtml(w.intro(v.familyName))}</p>
  ${form}
  <p class="muted" style="margin-top:12px">${escapeHtml(w.validUntil(v.validUntil))}</p>
</section>${v.photosHtml ?? ''}`,
    v.lang,
  );
}

export function renderPrecheckGone(kind: keyof PrecheckWords['gone'], lang: FamilyLang = 'en'): string {
  const [title, text] = PRECHECK_WORDS[lang].gone[kind];
  return page(
    title,
    `<div class="card center"><div class="big" aria-hidden="true">&#8987;</div><h1>${escapeHtml(title)}</h1><p class="muted">${escapeHtml(text)}</p></div>`,
    lang,
  );
}
