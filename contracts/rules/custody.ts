/**
 * The release rule's name matching (DESIGN §4), zod-free so both UIs import it at no bundle cost.
 * This is the only copy: the server decides with it, the UIs only warn early with it.
 */

/**
 * Folds a name to comparable tokens: NFKD, combining marks stripped, case-folded, punctuation,
 * symbols and invisible characters (zero-width, bidi controls) removed, split on whitespace.
 * Letters and digits of every script survive, so "Иван" stays "иван" and never folds to "".
 */
export function nameTokens(name: string): string[] {
  const folded = String(name ?? '')
    .normalize('NFKD')
    .toLowerCase()
    // lower-casing can produce new combining marks (İ → i + U+0307): decompose and strip again
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    // control characters (tabs, newlines) separate words; everything else that is not a letter,
    // a digit or a space (punctuation, symbols, format characters such as U+200B or U+202E) goes
    .replace(/\p{Cc}/gu, ' ')
    .replace(/[^\p{L}\p{N}\s\p{Z}]/gu, '');
  return folded.split(/[\s\p{Z}]+/u).filter(Boolean);
}

/** The folded name as one string (tokens in order, one space apart), for display or keys. */
export const foldName = (name: string) => nameTokens(name).join(' ');

/**
 * The same person's name: the same tokens in any order, after folding ("Pérez José" is
 * "Jose Perez"). Also true when only the spacing differs ("Mary Ann" / "MaryAnn").
 */
export function sameName(a: string, b: string): boolean {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (!ta.length || !tb.length) return false;
  if ([...ta].sort().join(' ') === [...tb].sort().join(' ')) return true;
  return ta.join('') === tb.join('');
}

export type CustodyMatch = 'full' | 'partial' | 'none';

const isInitialOf = (short: string, long: string) => short.length === 1 && long.startsWith(short);
const tokenMatches = (t: string, a: string) => t === a || isInitialOf(t, a) || isInitialOf(a, t);

/**
 * How a name given at pickup relates to a custody alert's name:
 * - `full`: every token of the alert's name is in the given name, in any order, extra tokens
 *   (middle names) allowed — or the same letters with the spaces moved or hidden
 *   ("Jordan\u200BKim"). A hard stop no override lifts.
 * - `partial`: the alert's surname (last token) and one other of its tokens or an initial
 *   ("J. Kim"), or a name made only of the alert's tokens or initials ("Jordan", "Kim").
 *   Stops; a staff override with a reason may lift it.
 * - `none` otherwise ("Pat Kim" shares only a surname with another person's name).
 */
export function custodyMatch(given: string, alertName: string): CustodyMatch {
  const alert = nameTokens(alertName);
  const typed = nameTokens(given);
  if (!alert.length || !typed.length) return 'none';
  const typedSet = new Set(typed);
  if (alert.every((a) => typedSet.has(a))) return 'full';
  const joinedTyped = typed.join('');
  if (joinedTyped === alert.join('') || joinedTyped === [...alert].reverse().join('')) return 'full';
  // a name of only the alert's own tokens or initials: the same person, named incompletely
  if (typed.every((t) => alert.some((a) => tokenMatches(t, a)))) return 'partial';
  const surname = alert[alert.length - 1]!;
  const others = alert.slice(0, -1);
  if (typedSet.has(surname) && typed.some((t) => t !== surname && others.some((a) => tokenMatches(t, a)))) return 'partial';
  return 'none';
}

/** The strongest match of a name against a family's custody alerts (full beats partial). */
export function worstCustodyMatch<A extends { name: string }>(given: string, alerts: readonly A[]): { match: CustodyMatch; alert: A | null } {
  let best: { match: CustodyMatch; alert: A | null } = { match: 'none', alert: null };
  for (const alert of alerts) {
    const m = custodyMatch(given, alert.name);
    if (m === 'full') return { match: m, alert };
    if (m === 'partial' && best.match === 'none') best = { match: m, alert };
  }
  return best;
}
