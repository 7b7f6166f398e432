/**
 * The release decision (DESIGN §4), zod-free: the server decides with it and both pickup screens
 * (staff and kiosk) warn early with it, so the three can no longer drift apart.
 */
import { sameName, worstCustodyMatch, type CustodyMatch } from './custody';

export interface ReleaseChoice<P extends { id: string; name: string }, A extends { name: string }> {
  /** the family's list: guardians and authorised pickups */
  people: readonly P[];
  /** the adult picked from the list (the usual way) */
  personId?: string | null;
  /** a typed name (the exception); a listed person's name, folded and in any order, counts as that person */
  typed?: string | null;
  custodyAlerts: readonly A[];
}

export interface ReleaseDecision<P, A> {
  /** the listed adult taking the child (picked, or named by the typed name), or null */
  person: P | null;
  /** the name the release is recorded under ('' when nobody is chosen yet) */
  name: string;
  /** a personId that is not on the family's list: refused whatever the override */
  unknownPerson: boolean;
  custody: { match: CustodyMatch; alert: A | null };
  notOnList: boolean;
  /**
   * `release`: go ahead; `override`: a staff override with a reason is needed (a possible custody
   * match, or someone not on the list); `stop`: a custody alert names this person, or the id is
   * not on the list — no override lifts it; `none`: nobody chosen yet.
   */
  verdict: 'release' | 'override' | 'stop' | 'none';
}

export function decideRelease<P extends { id: string; name: string }, A extends { name: string }>(c: ReleaseChoice<P, A>): ReleaseDecision<P, A> {
  const typed = (c.typed ?? '').trim();
  if (c.personId) {
    const person = c.people.find((p) => p.id === c.personId) ?? null;
    if (!person) return { person: null, name: typed, unknownPerson: true, custody: { match: 'none', alert: null }, notOnList: true, verdict: 'stop' };
  }
  const person = c.personId ? c.people.find((p) => p.id === c.personId)! : typed ? (c.people.find((p) => sameName(p.name, typed)) ?? null) : null;
  const name = person?.name ?? typed;
  if (!name) return { person: null, name: '', unknownPerson: false, custody: { match: 'none', alert: null }, notOnList: false, verdict: 'none' };
  // the custody alert wins over the list: a listed guardian named in an alert is still stopped
  const names = [name, ...(typed && typed !== name ? [typed] : [])];
  const matches = names.map((n) => worstCustodyMatch(n, c.custodyAlerts));
  const custody = matches.find((m) => m.match === 'full') ?? matches.find((m) => m.match === 'partial') ?? { match: 'none' as const, alert: null };
  const notOnList = !person;
  const verdict = custody.match === 'full' ? 'stop' : custody.match === 'partial' || notOnList ? 'override' : 'release';
  return { person, name, unknownPerson: false, custody, notOnList, verdict };
}
