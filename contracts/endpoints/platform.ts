/**
 * Part of the endpoint map (assembled in ./index.ts). Plumbing: health, metrics, this OpenAPI
 * document, Twilio's webhooks, photos and the photo form script.
 */
import * as Ph from '../photos';
import type { Health } from '../api';
import type { Photo } from '../photos';
import type { ContentMap, EndpointSpec } from './shared';

export const platformEndpoints = {
  'POST /webhooks/twilio/status': { summary: 'Twilio delivery status (signed)' },
  'POST /webhooks/twilio/inbound': { summary: 'Inbound SMS: STOP, START, HELP (signed)' },
  'GET /healthz': { summary: 'Liveness with a database check' },
  'GET /metrics': { summary: 'Prometheus metrics' },
  'GET /api/openapi.json': { summary: 'This document' },
  'PUT /api/photos/:kind/:id': {
    summary:
      "Take or replace a person's photo (kind: child, guardian, pickup, restricted): the image as the raw body (image/jpeg, image/png or image/webp, ≤ 10 MB); a child's needs ?consentBy=<guardianId>",
    query: Ph.PhotoPutQuerySchema,
  },
  'DELETE /api/photos/:kind/:id': { summary: "Delete a person's photo" },
  'GET /api/photos/:photoId': { summary: 'A photo (JPEG), for a caller allowed to see it; Cache-Control: private, no-store' },
  'GET /family-photo.js': { summary: "The pass and pre-check-in pages' photo form script (same origin)" },
} satisfies Record<string, EndpointSpec>;

export interface PlatformResponses {
  'POST /webhooks/twilio/status': void;
  'POST /webhooks/twilio/inbound': string;
  'GET /healthz': Health;
  'GET /metrics': string;
  'GET /api/openapi.json': { openapi: string; info: Record<string, unknown>; paths: Record<string, unknown>; webhooks?: Record<string, unknown> };
  'PUT /api/photos/:kind/:id': { photo: Photo };
  'DELETE /api/photos/:kind/:id': void;
  /** the JPEG's bytes (a screen fetches it with its token and shows a blob URL) */
  'GET /api/photos/:photoId': string;
  /** JavaScript */
  'GET /family-photo.js': string;
}

export const platformReplyContent = {
  'POST /webhooks/twilio/status': 'none',
  'POST /webhooks/twilio/inbound': 'xml',
  'GET /healthz': 'json',
  'GET /metrics': 'text',
  'GET /api/openapi.json': 'json',
  'PUT /api/photos/:kind/:id': 'json',
  'DELETE /api/photos/:kind/:id': 'none',
  'GET /api/photos/:photoId': 'jpeg',
  'GET /family-photo.js': 'js',
} satisfies ContentMap<typeof platformEndpoints, PlatformResponses>;
