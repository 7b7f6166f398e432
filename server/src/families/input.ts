/**
 * The site's rules for data coming in (registration, staff edits, import): which country a
 * number typed without +CC belongs to, and which day is "today" for a birthdate.
 */
import type { Knex } from 'knex';
import { birthdateProblem, isoDateIn, sitePhoneCountry } from '../../../contracts/rules';
import { badRequest } from '../errors';
import { findSite } from '../sites/sites.repo';
import { normalizeContactPhone, normalizePhone } from './phone';

export interface SiteInputRules {
  country: string;
  today: string;
  timezone: string;
}

export async function siteInputRules(db: Knex | Knex.Transaction, siteId: string): Promise<SiteInputRules> {
  const site = await findSite(db, siteId);
  const timezone: string = site?.timezone ?? 'UTC';
  return { country: sitePhoneCountry({ timezone, phoneCountry: site?.settings.phoneCountry }), today: isoDateIn(timezone), timezone };
}

/** A textable number or a 400 naming the field. */
export function mobileOrThrow(rules: SiteInputRules, input: string, field: string): string {
  const e164 = normalizePhone(input, rules.country);
  if (!e164) throw badRequest(`${field}: must be a mobile number (with its area code, or +country code)`, field);
  return e164;
}
export function contactPhoneOrThrow(rules: SiteInputRules, input: string, field: string): string {
  const e164 = normalizeContactPhone(input, rules.country);
  if (!e164) throw badRequest(`${field}: must be a phone number with its area code`, field);
  return e164;
}
/** The schema allowed a day of slack either way; this is the site's own date. */
export function birthdateOrThrow(rules: SiteInputRules, birthdate: string | null | undefined, field: string): string | null {
  if (birthdate == null) return null;
  const problem = birthdateProblem(birthdate, rules.today);
  if (problem) throw badRequest(`${field}: ${problem}`, field);
  return birthdate;
}
