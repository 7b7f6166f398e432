/** API keys' scopes and the shape of their secrets (DESIGN §20), without zod: the staff UI imports them. */

/** What a key may do; every route a scope opens is listed in server/src/apikeys/api-key-scopes.ts (anything else: 403). */
export const API_SCOPES = ['checkins:read', 'checkins:write', 'families:read', 'families:write', 'reports:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** What each scope is for, in words (the staff UI and the OpenAPI document show these). */
export const API_SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  'checkins:read': "Today's services, rooms with their counts, rosters, open alerts and an emergency roll call's totals",
  'checkins:write': "Check children in (the answer carries the family's code and pass to hand on) and move them between rooms",
  'families:read': 'Look up and read families (no medical notes, photos or security codes)',
  'families:write': 'Register families and change their guardians, children and authorised pickups',
  'reports:read': 'Attendance, service and volunteer reports',
};

/** The visible start of every secret: `kc_live_` and 43 base64url characters (256 random bits). */
export const API_KEY_SECRET_PREFIX = 'kc_live_';

/** The header an organisation-wide key names the campus it acts at with (without it: the organisation's first campus). */
export const API_KEY_SITE_HEADER = 'X-Site-Id';
