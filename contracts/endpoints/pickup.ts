/**
 * Part of the endpoint map (assembled in ./index.ts). Pickup and the family's own pages: verifying a
 * code, checkout and its undo, the pass page and pre-check-in links (with their photo uploads).
 */
import * as A from '../api';
import * as Ph from '../photos';
import type { CheckoutResult, PickupVerification } from '../api';
import type { Photo } from '../photos';
import type { ContentMap, EndpointSpec } from './shared';

export const pickupEndpoints = {
  'GET /pass/:token': { summary: "The parent's pickup pass page (with the family's express code for next time)" },
  'POST /pass/:token/precheck': { summary: 'From the pass page: open a pre-check-in link for the family (a redirect to it)' },
  'GET /precheck/:token': { summary: 'The pre-check-in page of a single-family, expiring link (public behind the link; rate-limited)' },
  'POST /precheck/:token': { summary: 'Choose children and services (form fields child, service); no seat is taken (rate-limited)' },
  'POST /api/households/:id/precheckin-link': { summary: 'Text the family a pre-check-in link now (staff, audited)' },
  'POST /api/pickups/verify': { summary: 'Verify a pickup code or pass: children, who may take them, custody alerts', body: A.PickupVerifySchema },
  'POST /api/checkouts': { summary: 'Release children to a listed adult (overrides where the rules require)', body: A.CheckoutCreateSchema },
  'POST /api/checkins/:id/undo-checkout': { summary: 'Undo a checkout within 15 minutes (staff)', body: A.UndoCheckoutSchema },
  'PUT /pass/:token/photos/:kind/:id': {
    summary:
      "The family's photo of one of its children or guardians (kind: child, guardian) from its live pickup pass: the image as the raw body (≤ 10 MB), ?consentBy=<one of the family's guardians> (rate-limited)",
    query: Ph.FamilyPhotoQuerySchema,
  },
  'PUT /precheck/:token/photos/:kind/:id': {
    summary:
      "The family's photo of one of its children or guardians (kind: child, guardian) from its pre-check-in link: the image as the raw body (≤ 10 MB), ?consentBy=<one of the family's guardians> (rate-limited)",
    query: Ph.FamilyPhotoQuerySchema,
  },
} satisfies Record<string, EndpointSpec>;

export interface PickupResponses {
  'GET /pass/:token': string;
  'POST /pass/:token/precheck': string;
  'GET /precheck/:token': string;
  'POST /precheck/:token': string;
  'POST /api/households/:id/precheckin-link': { sent: number; phonesMasked: string[] };
  'POST /api/pickups/verify': PickupVerification;
  'POST /api/checkouts': CheckoutResult;
  'POST /api/checkins/:id/undo-checkout': { checkin: { id: string; status: 'checked_in'; roomId: string; roomName: string } };
  'PUT /pass/:token/photos/:kind/:id': { photo: Photo };
  'PUT /precheck/:token/photos/:kind/:id': { photo: Photo };
}

export const pickupReplyContent = {
  'GET /pass/:token': 'html',
  'POST /pass/:token/precheck': 'html',
  'GET /precheck/:token': 'html',
  'POST /precheck/:token': 'html',
  'POST /api/households/:id/precheckin-link': 'json',
  'POST /api/pickups/verify': 'json',
  'POST /api/checkouts': 'json',
  'POST /api/checkins/:id/undo-checkout': 'json',
  'PUT /pass/:token/photos/:kind/:id': 'json',
  'PUT /precheck/:token/photos/:kind/:id': 'json',
} satisfies ContentMap<typeof pickupEndpoints, PickupResponses>;
