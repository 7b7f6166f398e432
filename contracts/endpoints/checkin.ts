/**
 * Part of the endpoint map (assembled in ./index.ts). Checking in: finding or registering a family at
 * the kiosk, joining one by texted code, express codes, check-ins and what follows them (move, page,
 * labels, cancel).
 */
import * as A from '../api';
import type * as RL from '../room-location';
import type { JoinCodeSent, KioskHouseholdSummary, ReprintResult } from '../api';
import type { NotificationList, PageResult } from '../sms';
import type { Audience, ContentMap, EndpointSpec, Households } from './shared';

export const checkinEndpoints = {
  'POST /api/checkins': { summary: 'Check children in to one or more services (idempotent by key and body)', body: A.CheckinCreateSchema },
  'POST /api/checkins/:id/move': { summary: 'Move a child to another room (staff)', body: A.CheckinMoveSchema },
  'GET /api/households': { summary: 'Families by full phone or last 4 digits', query: A.HouseholdLookupQuerySchema },
  'POST /api/households': { summary: 'Register a family', body: A.HouseholdCreateSchema },
  'POST /api/checkins/:id/page': { summary: 'Page the guardians by SMS', body: A.PageCreateSchema },
  'GET /api/checkins/:id/notifications': { summary: "The child's pages and the family's texts with delivery status" },
  'POST /api/checkins/:id/labels': { summary: "Reprint a family's labels (staff)", body: A.ReprintLabelsSchema },
  'POST /api/checkins/:id/cancel': { summary: 'Undo a mistaken check-in on its service day (staff; the seat is freed, audited)', body: A.CancelCheckinSchema },
  'POST /api/households/:id/join-code': {
    summary: "Text a one-time code to the family's own number (the proof for joining a family at the kiosk)",
    body: A.JoinCodeRequestSchema,
  },
  'POST /api/households/express': { summary: 'Express check-in: the family of a key-tag code (kiosk; rate-limited)', body: A.ExpressResolveSchema },
} satisfies Record<string, EndpointSpec>;

export interface CheckinResponses<A extends Audience = Audience> {
  'POST /api/checkins': RL.LocatedCheckinResult;
  'POST /api/checkins/:id/move': { checkin: { id: string; roomId: string; roomName: string } };
  'GET /api/households': { households: Households<A>[] };
  /** childIds: the children this registration named (a join: those added or matched, never the rest of the family) — the ones to check in */
  'POST /api/households': { household: Households<A>; joined: boolean; childIds: string[] };
  'POST /api/checkins/:id/page': PageResult;
  'GET /api/checkins/:id/notifications': NotificationList;
  'POST /api/checkins/:id/labels': ReprintResult;
  'POST /api/checkins/:id/cancel': { checkin: { id: string; status: 'cancelled' } };
  'POST /api/households/:id/join-code': JoinCodeSent;
  'POST /api/households/express': { households: KioskHouseholdSummary[] };
}

export const checkinReplyContent = {
  'POST /api/checkins': 'json',
  'POST /api/checkins/:id/move': 'json',
  'GET /api/households': 'json',
  'POST /api/households': 'json',
  'POST /api/checkins/:id/page': 'json',
  'GET /api/checkins/:id/notifications': 'json',
  'POST /api/checkins/:id/labels': 'json',
  'POST /api/checkins/:id/cancel': 'json',
  'POST /api/households/:id/join-code': 'json',
  'POST /api/households/express': 'json',
} satisfies ContentMap<typeof checkinEndpoints, CheckinResponses>;
