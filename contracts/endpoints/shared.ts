/** What every part of the endpoint map shares: an entry's shape, the audiences, the answers' content kinds. */
import type { ZodType } from 'zod';
import type { HouseholdSummary, KioskHouseholdSummary } from '../api';
import type { FamilyDetail } from '../staff';

export interface EndpointSpec {
  summary: string;
  body?: ZodType;
  query?: ZodType;
}

/**
 * Who reads an answer: a few routes answer a kiosk with less than staff (no surnames, birthdates
 * or full phones — registration.presenter.ts). Each UI reads the map for its own audience; the
 * server's answer must fit either (the union).
 */
export type Audience = 'staff' | 'kiosk';
type ByAudience<A extends Audience, Staff, Kiosk> = A extends 'kiosk' ? Kiosk : Staff;
export type Households<A extends Audience> = ByAudience<A, HouseholdSummary, KioskHouseholdSummary>;
export type Family = { household: FamilyDetail };

/** How a route answers: JSON, no body (204), or a text format. */
export type ReplyContent = 'json' | 'none' | 'csv' | 'html' | 'xml' | 'text' | 'jpeg' | 'js';
export type ContentOf<T> = [T] extends [void] ? 'none' : [T] extends [string] ? Exclude<ReplyContent, 'json' | 'none'> : 'json';
/**
 * A part's answer kinds: one per route of its map, and a kind that contradicts the route's answer type
 * ('json' for a 204) fails the typecheck. The assembled REPLY_CONTENT is checked again against the whole map.
 */
export type ContentMap<E, R> = { [K in keyof E]: K extends keyof R ? ContentOf<R[K]> : never };
