import type { Knex } from 'knex';

/**
 * The organisation's settings become the live defaults of its campuses (DESIGN §10): a campus's
 * effective settings are organizations.settings overlaid with sites.settings, key by key (each SMS
 * wording on its own), and sites.settings keeps only what the campus changed.
 *
 * Existing data: a campus's stored keys stay as its overrides, except those EQUAL to the
 * organisation's value, which are dropped — they were copied from the organisation when the campus
 * was made from its template (the old createCampus), not chosen at the campus, and from now on they
 * follow the organisation. Behaviour is unchanged either way (an equal key gives the same effective
 * value). Organisations had no way to set these keys until now (only roomsTemplate), so no campus
 * suddenly inherits a value it did not see before.
 *
 * The grade trigger (children_grade_school_year) reads the promotion date the same way: campus,
 * else organisation, else 08-01.
 *
 * down(): each campus gets back its full settings (the organisation's keys copied under its own),
 * as campuses held them when they copied at creation; the trigger reads the campus only.
 */
const KEYS = ['strategy', 'softThresholdPct', 'enforceRatios', 'checkinWindowMinutes', 'labelFooter', 'phoneCountry', 'gradePromotionDate'];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function eachSite(knex: Knex, f: (site: Obj, org: Obj) => Obj) {
  const rows: { id: string; settings: unknown; org_settings: unknown }[] = await knex('sites as s')
    .join('organizations as o', 'o.id', 's.organization_id')
    .select('s.id', 's.settings', 'o.settings as org_settings');
  for (const r of rows) {
    const before = obj(r.settings);
    const after = f(before, obj(r.org_settings));
    if (!same(before, after))
      await knex('sites')
        .where({ id: r.id })
        .update({ settings: JSON.stringify(after) });
  }
}

const gradeTrigger = (promo: string, from: string) => `
  CREATE OR REPLACE FUNCTION children_grade_school_year() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE tz text; promo text; d date;
  BEGIN
    IF NEW.grade IS NULL THEN
      NEW.grade_school_year := NULL;
      RETURN NEW;
    END IF;
    -- the promotion job sets grade and year together; an unchanged grade keeps its year
    IF TG_OP = 'UPDATE' AND (NEW.grade_school_year IS DISTINCT FROM OLD.grade_school_year OR NEW.grade IS NOT DISTINCT FROM OLD.grade) THEN
      RETURN NEW;
    END IF;
    SELECT s.timezone, ${promo} INTO tz, promo
      FROM ${from} WHERE h.id = NEW.household_id;
    d := (now() AT TIME ZONE COALESCE(tz, 'UTC'))::date;
    NEW.grade_school_year := CASE WHEN to_char(d, 'MM-DD') >= COALESCE(promo, '08-01') THEN extract(year FROM d)::int ELSE extract(year FROM d)::int - 1 END;
    RETURN NEW;
  END $$`;

export async function up(knex: Knex): Promise<void> {
  await eachSite(knex, (site, org) => {
    const next: Obj = { ...site };
    for (const k of KEYS) if (k in next && k in org && same(next[k], org[k])) delete next[k];
    if ('smsTemplates' in next) {
      const t: Obj = { ...obj(next.smsTemplates) };
      const o = obj(org.smsTemplates);
      for (const k of Object.keys(t)) if (k in o && same(t[k], o[k])) delete t[k];
      if (Object.keys(t).length) next.smsTemplates = t;
      else delete next.smsTemplates;
    }
    return next;
  });
  await knex.raw(
    gradeTrigger(
      "COALESCE(s.settings->>'gradePromotionDate', o.settings->>'gradePromotionDate', '08-01')",
      'households h JOIN sites s ON s.id = h.site_id JOIN organizations o ON o.id = s.organization_id',
    ),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(gradeTrigger("COALESCE(s.settings->>'gradePromotionDate', '08-01')", 'households h JOIN sites s ON s.id = h.site_id'));
  await eachSite(knex, (site, org) => {
    const next: Obj = { ...site };
    for (const k of KEYS) if (!(k in next) && k in org) next[k] = org[k];
    const t = { ...obj(org.smsTemplates), ...obj(next.smsTemplates) };
    if (Object.keys(t).length) next.smsTemplates = t;
    return next;
  });
}
