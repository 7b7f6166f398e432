/**
 * Which scope opens which route to an API key (DESIGN §20). Default deny: a route not listed here
 * answers an API key 403, whatever its scopes — sign-in, kiosk and display routes, people and
 * roles, settings, imports, merges, erasure, exports, photos, medical notes, the API keys
 * themselves. tests/security/access.test.ts checks every served route against this map (scopeForRoute).
 *
 * Families belong to the organisation (DESIGN §10), so a campus-limited key reads and changes them
 * as that campus's staff do; campus data (services, rooms, rosters, check-ins, reports) is its own
 * campus's only.
 */
import type { ApiScope } from '../../../contracts';

export const API_KEY_ROUTES = {
  // what is happening now, for signage, security desks and door controllers
  'GET /api/services/current': 'checkins:read',
  'GET /api/services/today': 'checkins:read',
  'GET /api/services/:id/rooms': 'checkins:read',
  'GET /api/services/:id/roster': 'checkins:read',
  'GET /api/alerts': 'checkins:read',
  'GET /api/emergency/current': 'checkins:read',
  // check-ins as the desk makes them (not undoing one, nor a roll call: those need a person)
  'POST /api/checkins': 'checkins:write',
  'POST /api/checkins/:id/move': 'checkins:write',
  // the church database's sync
  'GET /api/households/search': 'families:read',
  'GET /api/households/:id': 'families:read',
  'POST /api/households': 'families:write',
  'PATCH /api/households/:id': 'families:write',
  'POST /api/households/:id/guardians': 'families:write',
  'PATCH /api/households/:id/guardians/:guardianId': 'families:write',
  'DELETE /api/households/:id/guardians/:guardianId': 'families:write',
  'POST /api/households/:id/children': 'families:write',
  'PATCH /api/households/:id/children/:childId': 'families:write',
  'DELETE /api/households/:id/children/:childId': 'families:write',
  'POST /api/households/:id/pickups': 'families:write',
  'PATCH /api/households/:id/pickups/:pickupId': 'families:write',
  'DELETE /api/households/:id/pickups/:pickupId': 'families:write',
  // reports for dashboards and the church database
  'GET /api/reports/attendance': 'reports:read',
  'GET /api/reports/attendance.csv': 'reports:read',
  'GET /api/reports/services/:id': 'reports:read',
  'GET /api/reports/services/:id/timeline': 'reports:read',
  'GET /api/reports/volunteers': 'reports:read',
} as const satisfies Record<string, ApiScope>;

/** The scope that opens a route (`GET /api/alerts`, HEAD as GET) to an API key, or undefined: closed to keys. */
export function scopeForRoute(method: string, path: string | undefined): ApiScope | undefined {
  if (!path) return undefined;
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return (API_KEY_ROUTES as Record<string, ApiScope>)[`${m} ${path}`];
}
