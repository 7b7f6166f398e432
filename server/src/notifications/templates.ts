/** SMS wording from per-site templates; kept within two SMS segments. */
const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;
/** The link placeholder is rendered at send time, so no pickup token is ever stored. */
export const PICKUP_URL_PLACEHOLDER = '{{pickupUrl}}';
export const PICKUP_URL_RENDERED_LENGTH = 80;

export function render(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k === 'pickupUrl' ? m : (vars[k] ?? ''))).replace(/\s+/g, ' ').trim();
}

/** The most characters two segments hold: 306 in GSM-7, 134 in UCS-2. */
export const maxLength = (body: string) => (GSM7.test(body) ? 306 : 134);

/** Shortens the body to two segments, counting the link at its rendered length. */
export function fitTwoSegments(body: string): string {
  const linkExtra = body.includes(PICKUP_URL_PLACEHOLDER) ? PICKUP_URL_RENDERED_LENGTH - PICKUP_URL_PLACEHOLDER.length : 0;
  const max = maxLength(body) - linkExtra;
  if (body.length <= max) return body;
  const link = body.includes(PICKUP_URL_PLACEHOLDER) ? ` ${PICKUP_URL_PLACEHOLDER}` : '';
  const text = body.replace(PICKUP_URL_PLACEHOLDER, '').trim();
  return `${text.slice(0, max - link.length - 1).trimEnd()}…${link}`;
}

export const joinNames = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
