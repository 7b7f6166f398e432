/** The family page's edits: each answers with the whole family, which the page then shows as stored. */
import type { FamilyDetail } from '../../../../contracts';
import type { CallArgs } from '../../../../contracts/client/http';
import type { EndpointKey, Reply } from '../../../../contracts/endpoints';

/** The family edits: each answers with the whole family. */
export type FamilyEdit = {
  [K in EndpointKey]: K extends `${'POST' | 'PATCH' | 'DELETE'} /api/households/:id${string}`
    ? Reply<K> extends { household: FamilyDetail }
      ? K
      : never
    : never;
}[EndpointKey];

/** Sends one edit and shows the family it answers with (see Family). */
export type SaveEdit = <K extends FamilyEdit>(key: K, ...req: CallArgs<K>) => () => Promise<void>;

/** Whom a custody alert is about: one child by first name, or all of them. */
export const childName = (h: FamilyDetail, childId: string | null) =>
  childId ? (h.children.find((c) => c.id === childId)?.firstName ?? 'a child') : 'all children';
