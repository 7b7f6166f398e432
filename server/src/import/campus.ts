/**
 * The campus an operator's import (households or attendance) writes to, named without doubt: by its
 * id, or by organisation and name, or by a name only one campus in the whole database has.
 */
import type { Knex } from 'knex';
import { nameTokens } from '../../../contracts/rules';
import { UuidSchema } from '../../../contracts/api';
import { findSite } from '../sites/sites.repo';
import * as repo from './import.repo';

/** The CLI's campus could not be named without doubt: nothing is read or written. */
export class CampusChoiceError extends Error {}

export interface CampusChoice {
  /** the campus's id: always unambiguous */
  campusId?: string;
  /** the organisation's name (or its id), with `campus` */
  org?: string;
  /** the campus's name: alone only when exactly one campus in the whole database has it */
  campus?: string;
}

/**
 * Names compare as everywhere else (contracts/rules' folding: case, accents, punctuation and
 * invisible characters aside), and with the spaces gone too, so "grace-church" names "Grace Church".
 */
const nameKey = (name: string) => nameTokens(name).join('');
const sameName = (a: string, b: string) => nameKey(a) !== '' && nameKey(a) === nameKey(b);

/**
 * The campus an import writes to. Names repeat across organisations (every church has a "North
 * Campus"), so a bare name is taken only when it matches exactly one campus in the whole
 * database; otherwise the candidates are listed (name, id, organisation) and nothing happens.
 */
export async function resolveCampus(db: Knex, o: CampusChoice) {
  const all = await repo.campusesWithOrganizations(db);
  const describe = (rows: typeof all) => rows.map((r) => `  ${r.name}  --campus-id ${r.id}  (organisation "${r.org_name}")`).join('\n');
  let chosen: (typeof all)[number];
  if (o.campusId) {
    if (!UuidSchema.safeParse(o.campusId).success) throw new CampusChoiceError(`--campus-id must be a UUID, not "${o.campusId}"`);
    const hit = all.find((r) => r.id === o.campusId!.toLowerCase());
    if (!hit) throw new CampusChoiceError(`no campus has the id ${o.campusId}`);
    // a second way of naming it must name the same campus
    if ((o.campus && !sameName(hit.name, o.campus)) || (o.org && !(hit.org_id === o.org.toLowerCase() || sameName(hit.org_name, o.org))))
      throw new CampusChoiceError(`--campus-id ${hit.id} is "${hit.name}" of organisation "${hit.org_name}", not what --campus/--org name`);
    chosen = hit;
  } else {
    if (!o.campus?.trim()) throw new CampusChoiceError('name the campus: --campus-id UUID, or --org NAME --campus NAME');
    let pool = all;
    let within = '';
    if (o.org) {
      const orgs = new Map(all.filter((r) => r.org_id === o.org!.toLowerCase() || sameName(r.org_name, o.org!)).map((r) => [r.org_id, r.org_name]));
      if (orgs.size === 0) throw new CampusChoiceError(`no organisation named "${o.org}"`);
      if (orgs.size > 1)
        throw new CampusChoiceError(
          `"${o.org}" names ${orgs.size} organisations; give the organisation's id with --org (or the campus's with --campus-id):\n${[...orgs]
            .map(([id, name]) => `  ${name}  --org ${id}`)
            .join('\n')}`,
        );
      const [orgId, orgName] = [...orgs][0]!;
      pool = all.filter((r) => r.org_id === orgId);
      within = ` in organisation "${orgName}"`;
    }
    const hits = pool.filter((r) => sameName(r.name, o.campus!));
    if (hits.length === 0) throw new CampusChoiceError(`no campus named "${o.campus}"${within}${o.org ? `; its campuses:\n${describe(pool)}` : ''}`);
    if (hits.length > 1)
      throw new CampusChoiceError(
        `"${o.campus}" names ${hits.length} campuses${within}; nothing was imported. Name one with --campus-id${o.org ? '' : ' (or --org NAME with --campus)'}:\n${describe(hits)}`,
      );
    chosen = hits[0]!;
  }
  const site = await findSite(db, chosen.id);
  if (!site) throw new CampusChoiceError(`no campus has the id ${chosen.id}`);
  return { ...site, organizationName: chosen.org_name };
}
