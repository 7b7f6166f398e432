/**
 * Part of the endpoint map (assembled in ./index.ts). Signing in and who is who: sessions, the caller,
 * override PINs and passwords, people and their roles, invite and reset links.
 */
import * as A from '../api';
import * as P from '../people';
import type { LoginResult, Me } from '../api';
import type { Person, PersonLink } from '../people';
import type { ContentMap, EndpointSpec } from './shared';

export const peopleEndpoints = {
  'POST /api/auth/login': { summary: 'Sign in', body: A.LoginSchema },
  'POST /api/auth/logout': { summary: "Sign out (this sign-in's sockets end)" },
  'POST /api/users/:id/unlock': { summary: 'Lift a sign-in lock (admin)' },
  'GET /api/auth/me': { summary: 'Who am I (user or kiosk)' },
  'PUT /api/auth/me/override-pin': { summary: 'Set your override PIN (staff)', body: A.OverridePinSchema },
  'POST /api/auth/switch-campus': { summary: 'Act at another of your campuses (a new sign-in; the old one ends)', body: P.SwitchCampusSchema },
  'GET /api/people': { summary: 'People of the organisation or a campus, with their roles (admin)', query: P.PeopleQuerySchema },
  'POST /api/people': { summary: 'Invite a person (a single-use, expiring link to set a password)', body: P.PersonInviteSchema },
  'PUT /api/people/:id/role': { summary: "Change or remove a person's role at a campus", body: P.PersonRoleSchema },
  'POST /api/people/:id/deactivate': { summary: 'Deactivate a person (sign-ins and sockets end at once)' },
  'POST /api/people/:id/reactivate': { summary: 'Reactivate a person' },
  'POST /api/people/:id/reset-link': { summary: 'A single-use password-reset link' },
  'PUT /api/auth/me/password': { summary: 'Change your own password', body: P.PasswordChangeSchema },
  'POST /api/account/password': { summary: 'Set a password with an invite or reset link', body: P.AccountPasswordSchema },
  'GET /account/:token': { summary: 'The page behind an invite or reset link' },
  'POST /account/:token': { summary: 'The form of that page' },
} satisfies Record<string, EndpointSpec>;

export interface PeopleResponses {
  'POST /api/auth/login': LoginResult;
  'POST /api/auth/logout': void;
  'POST /api/users/:id/unlock': void;
  'GET /api/auth/me': Me;
  'PUT /api/auth/me/override-pin': void;
  'POST /api/auth/switch-campus': LoginResult;
  'GET /api/people': { people: Person[] };
  'POST /api/people': PersonLink;
  'PUT /api/people/:id/role': { person: Person };
  'POST /api/people/:id/deactivate': { person: Person };
  'POST /api/people/:id/reactivate': { person: Person };
  'POST /api/people/:id/reset-link': PersonLink;
  'PUT /api/auth/me/password': void;
  'POST /api/account/password': { email: string };
  'GET /account/:token': string;
  'POST /account/:token': string;
}

export const peopleReplyContent = {
  'POST /api/auth/login': 'json',
  'POST /api/auth/logout': 'none',
  'POST /api/users/:id/unlock': 'none',
  'GET /api/auth/me': 'json',
  'PUT /api/auth/me/override-pin': 'none',
  'POST /api/auth/switch-campus': 'json',
  'GET /api/people': 'json',
  'POST /api/people': 'json',
  'PUT /api/people/:id/role': 'json',
  'POST /api/people/:id/deactivate': 'json',
  'POST /api/people/:id/reactivate': 'json',
  'POST /api/people/:id/reset-link': 'json',
  'PUT /api/auth/me/password': 'none',
  'POST /api/account/password': 'json',
  'GET /account/:token': 'html',
  'POST /account/:token': 'html',
} satisfies ContentMap<typeof peopleEndpoints, PeopleResponses>;
