/** What every phase of a run against the server gets: the database, the server, the seeded data and the meters. */
import type { Seeded } from './db';
import type { Req } from './load';
import type { Usage, usageMeter } from './proc';
import type { settle } from './repeat';
import type { Pair } from './work';

export interface RunCtx {
  /** the bench database */
  url: string;
  /** the server under test */
  baseUrl: string;
  seeded: Seeded;
  meter: ReturnType<typeof usageMeter>;
  /** CPU and memory per phase, filled in as the phases run (the report reads them) */
  usages: Record<string, Usage>;
  checkinReq: (q: Pair[]) => () => Req | null;
  /** every repetition starts from the state the first one did (check-in tables emptied, rooms as seeded, settled) */
  fresh: (what: string) => Promise<Awaited<ReturnType<typeof settle>>>;
}
