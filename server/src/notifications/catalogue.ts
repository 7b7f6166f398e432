/**
 * The built-in SMS wording in each family language (DESIGN §12). English is the site settings'
 * default; a campus that customised a template keeps its English wording, and Spanish families
 * get the Spanish catalogue below (no Spanish template field exists, so nothing else to prefer).
 * The Spanish text avoids characters outside GSM-7 (á, í, ó, ú), so a message keeps 306 characters,
 * and avoids agreeing with the children's number and gender ("entrada registrada para Ana y Luis").
 */
import { SmsTemplatesSchema, type SiteSettings } from '../../../contracts';
import type { FamilyLang } from '../../../contracts/rules';

type Templates = SiteSettings['smsTemplates'];

export interface SmsWords {
  templates: Templates;
  and: string;
  children(n: number): string;
  locale: string;
  /** the weekly pre-check-in text (fixed wording; the link is {{precheckUrl}}) */
  precheckinLink(site: string): string;
  /** a staff broadcast: the campus's name, then the staff's own words */
  broadcast(site: string, message: string): string;
}

export const SMS_WORDS: Record<FamilyLang, SmsWords> = {
  en: {
    templates: SmsTemplatesSchema.parse({}),
    and: 'and',
    children: (n) => (n === 1 ? '1 child' : `${n} children`),
    locale: 'en-US',
    broadcast: (site, message) => `Message from ${site}: ${message}`,
    precheckinLink: (site) => `${site}: pre-check in your children for this week's service; at the kiosk one scan prints their labels: {{precheckUrl}}`,
  },
  es: {
    templates: {
      checkinReceipt: '{{site}}: entrada registrada para {{children}}. Clave de recogida {{code}}. Pase de recogida: {{pickupUrl}}',
      checkinAdded: '{{site}}: entrada registrada para {{children}}, con la misma clave de recogida {{code}}. Pase de recogida: {{pickupUrl}}',
      checkoutConfirmation: '{{site}}: recogida de {{children}} por {{pickedUpBy}} a las {{time}}.',
      page: '{{site}}: por favor venga a {{room}} por {{child}}. {{message}}',
    },
    and: 'y',
    children: (n) => (n === 1 ? '1 niño' : `${n} niños`),
    locale: 'es-US',
    broadcast: (site, message) => `Mensaje de ${site}: ${message}`,
    precheckinLink: (site) =>
      `${site}: registre desde ahora la entrada de sus niños para el servicio de esta semana; en el kiosco un escaneo imprime las etiquetas: {{precheckUrl}}`,
  },
};

/** The campus's wording for English; the Spanish catalogue for Spanish. */
export const templatesFor = (site: Templates, lang: FamilyLang): Templates => (lang === 'en' ? site : SMS_WORDS.es.templates);
