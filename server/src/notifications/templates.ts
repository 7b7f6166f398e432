/**
 * SMS wording from per-site templates, kept within two SMS segments: 306 GSM-7 characters
 * (extension characters such as € { } [ ] count twice), or 134 UCS-2 characters when the text
 * needs anything outside GSM-7. Typographic punctuation that has a GSM-7 twin (— – ’ “ … and
 * the narrow spaces in "9:05 AM") is swapped for it first, as Twilio's smart encoding would, so
 * a site called "St. Mark’s — North" does not cost the message half its room.
 */
const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;
const GSM7_EXTENSION = /[\^{}\\[~\]|€]/g;
/** The link placeholder is rendered at send time, so no pickup token is ever stored. */
export const PICKUP_URL_PLACEHOLDER = '{{pickupUrl}}';
export const PICKUP_URL_RENDERED_LENGTH = 80;
/** The pre-check-in link, likewise rendered at send time from the link's id (its token is never stored). */
export const PRECHECK_URL_PLACEHOLDER = '{{precheckUrl}}';
const TWO_SEGMENTS = { gsm: 306, ucs2: 134 };

const SMART: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u00B4': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00A0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u200A': ' ',
  '\u202F': ' ',
  '\u2022': '*',
};
const SMART_RE = new RegExp(`[${Object.keys(SMART).join('')}]`, 'g');
export const smartEncode = (s: string) => s.replace(SMART_RE, (c) => SMART[c] ?? c);

export function render(template: string, vars: Record<string, string>): string {
  return template
    .replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k === 'pickupUrl' ? m : (vars[k] ?? '')))
    .replace(/\s+/g, ' ')
    .trim();
}

export const isGsm7 = (body: string) => GSM7.test(body);

/** The most characters two segments hold: 306 in GSM-7, 134 in UCS-2. */
export const maxLength = (body: string) => (isGsm7(body) ? TWO_SEGMENTS.gsm : TWO_SEGMENTS.ucs2);

/** Characters the body costs, counting GSM-7 extension characters twice and the link at its rendered length. */
export function smsLength(body: string): number {
  const link = body.includes(PICKUP_URL_PLACEHOLDER) ? PICKUP_URL_RENDERED_LENGTH - PICKUP_URL_PLACEHOLDER.length : 0;
  const extension = isGsm7(body) ? (body.match(GSM7_EXTENSION)?.length ?? 0) : 0;
  return body.length + extension + link;
}

export const fitsTwoSegments = (body: string) => smsLength(body) <= maxLength(body);

/** Shortens the body to two segments (keeping the link whole), after smart encoding. */
export function fitTwoSegments(raw: string): string {
  const body = smartEncode(raw);
  if (fitsTwoSegments(body)) return body;
  const hasLink = body.includes(PICKUP_URL_PLACEHOLDER);
  const link = hasLink ? ` ${PICKUP_URL_PLACEHOLDER}` : '';
  const ellipsis = isGsm7(body) ? '...' : '…';
  let text = body.replace(PICKUP_URL_PLACEHOLDER, '').trim();
  while (text.length && !fitsTwoSegments(`${text}${ellipsis}${link}`)) text = text.slice(0, -1);
  return `${text.trimEnd()}${ellipsis}${link}`;
}

/**
 * Renders with the first of `variants` whose text fits two segments (say, children with rooms,
 * then first names only, then "3 children"), so a long family shortens the list, not the code.
 */
export function renderFitted(template: string, variants: Record<string, string>[]): string {
  for (const vars of variants) {
    const body = smartEncode(render(template, vars));
    if (fitsTwoSegments(body)) return body;
  }
  return fitTwoSegments(render(template, variants[variants.length - 1] ?? {}));
}

export const joinNames = (names: string[], and = 'and') =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
