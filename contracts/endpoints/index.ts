/**
 * The endpoint map: each route's request schemas (body, query), shared by the server (which
 * validates with them and publishes them as OpenAPI at /api/openapi.json) and the UIs (which
 * import its types only, so zod stays out of their bundles). A route that takes no input is
 * listed with its summary alone; `tests/api/openapi.test.ts` fails when a served route is missing
 * here or an entry names a route that is not served.
 *
 * One file per area beside this one (campus, checkin, pickup, families, people, devices, volunteers,
 * safety, reports, org, platform); this module assembles them and is what everyone imports
 * (`contracts/endpoints`). A new route goes into its area's three parts:
 * the entry, its answer type and its answer's content kind.
 */
import type { Audience, ContentOf } from './shared';
import { campusEndpoints, campusReplyContent, type CampusResponses } from './campus';
import { checkinEndpoints, checkinReplyContent, type CheckinResponses } from './checkin';
import { pickupEndpoints, pickupReplyContent, type PickupResponses } from './pickup';
import { familiesEndpoints, familiesReplyContent, type FamiliesResponses } from './families';
import { peopleEndpoints, peopleReplyContent, type PeopleResponses } from './people';
import { devicesEndpoints, devicesReplyContent, type DevicesResponses } from './devices';
import { volunteersEndpoints, volunteersReplyContent, type VolunteersResponses } from './volunteers';
import { safetyEndpoints, safetyReplyContent, type SafetyResponses } from './safety';
import { reportsEndpoints, reportsReplyContent, type ReportsResponses } from './reports';
import { orgEndpoints, orgReplyContent, type OrgResponses } from './org';
import { platformEndpoints, platformReplyContent, type PlatformResponses } from './platform';

export type { Audience, EndpointSpec, ReplyContent } from './shared';

// a route listed in two parts would be overwritten by the spread below without a word: refuse it at load
const listed = [
  campusEndpoints,
  checkinEndpoints,
  pickupEndpoints,
  familiesEndpoints,
  peopleEndpoints,
  devicesEndpoints,
  volunteersEndpoints,
  safetyEndpoints,
  reportsEndpoints,
  orgEndpoints,
  platformEndpoints,
].flatMap((part) => Object.keys(part));
const twice = listed.filter((key, i) => listed.indexOf(key) !== i);
if (twice.length) throw new Error(`endpoint map: listed in two parts: ${twice.join(', ')}`);

export const ENDPOINTS = {
  ...campusEndpoints,
  ...checkinEndpoints,
  ...pickupEndpoints,
  ...familiesEndpoints,
  ...peopleEndpoints,
  ...devicesEndpoints,
  ...volunteersEndpoints,
  ...safetyEndpoints,
  ...reportsEndpoints,
  ...orgEndpoints,
  ...platformEndpoints,
};
export type EndpointKey = keyof typeof ENDPOINTS;

/**
 * Each route's 2xx answer, keyed like ENDPOINTS (types only: nothing of it reaches a bundle).
 * `void`: 204, no body; `string`: not JSON (CSV, HTML, TwiML, Prometheus text). The routes state
 * their answer with `satisfies Reply<'METHOD /path'>`, the UIs' fetch helper
 * (contracts/client/http.ts) reads it by the same key: a field renamed on one side fails the
 * typecheck of the other. `tests/unit/endpoint-types.test.ts` holds the map to ENDPOINTS.
 */
export interface EndpointResponses<A extends Audience = Audience>
  extends
    CampusResponses,
    CheckinResponses<A>,
    PickupResponses,
    FamiliesResponses,
    PeopleResponses,
    DevicesResponses,
    VolunteersResponses,
    SafetyResponses,
    ReportsResponses,
    OrgResponses,
    PlatformResponses {}

/** The answer of one route, for the server's `satisfies` and the UIs' helper. */
export type Reply<K extends EndpointKey, A extends Audience = Audience> = EndpointResponses<A>[K];

/**
 * The answer's content per route, at run time (OpenAPI documents it; the map test compares its keys
 * with ENDPOINTS'). Typed against EndpointResponses: a route missing here, one that is not in the
 * map, or a kind that contradicts its answer type ('json' for a 204) fails the typecheck.
 */
export const REPLY_CONTENT = {
  ...campusReplyContent,
  ...checkinReplyContent,
  ...pickupReplyContent,
  ...familiesReplyContent,
  ...peopleReplyContent,
  ...devicesReplyContent,
  ...volunteersReplyContent,
  ...safetyReplyContent,
  ...reportsReplyContent,
  ...orgReplyContent,
  ...platformReplyContent,
} satisfies { [K in EndpointKey]: ContentOf<Reply<K>> };
