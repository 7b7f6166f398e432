/**
 * Part of the endpoint map (assembled in ./index.ts). The organisation: its campuses, rooms template,
 * settings, retention, reports across campuses, API keys and webhooks.
 */
import * as AK from '../apikeys';
import * as P from '../people';
import * as PR from '../privacy';
import * as S from '../staff';
import * as WH from '../webhooks';
import type { ApiKey, ApiKeyCreated, ApiKeyList } from '../apikeys';
import type { CampusCreated, OrganizationInfo } from '../people';
import type { RetentionSettings } from '../privacy';
import type { RollupReport, SiteInfo } from '../staff';
import type { Webhook, WebhookCreated, WebhookDelivery, WebhookDeliveryList, WebhookList } from '../webhooks';
import type { ContentMap, EndpointSpec } from './shared';

export const orgEndpoints = {
  'GET /api/org/reports/attendance': { summary: 'Every campus: attendance by weekend and age group (organisation admins)', query: S.ReportRangeQuerySchema },
  'GET /api/org/reports/attendance.csv': { summary: 'The same, as CSV (organisation admins)', query: S.ReportRangeQuerySchema },
  'GET /api/org': { summary: 'The organisation, its campuses and rooms template' },
  'POST /api/org/campuses': { summary: "Create a campus from the organisation's template or as a copy of another", body: P.CampusCreateSchema },
  'PATCH /api/org/campuses/:id': { summary: 'Rename a campus of the organisation or change its time zone (organisation admins)', body: S.SitePatchSchema },
  'PUT /api/org/rooms-template': { summary: "The organisation's rooms template", body: P.RoomsTemplateUpdateSchema },
  'PATCH /api/org/settings': {
    summary: "The organisation's default settings, live at every campus that did not change the key (null: the built-in default)",
    body: S.OrgSettingsUpdateSchema,
  },
  'GET /api/org/retention': { summary: "The organisation's retention: import files, message bodies, inactive families (admin)" },
  'PATCH /api/org/retention': {
    summary: "Change the organisation's retention (organisation admin; null: the built-in default)",
    body: PR.RetentionUpdateSchema,
  },
  'POST /api/org/api-keys': {
    summary: 'Create an API key for an integration: scoped, optionally limited to one campus; the secret is answered this once (organisation admin, audited)',
    body: AK.ApiKeyCreateSchema,
  },
  'GET /api/org/api-keys': { summary: "The organisation's API keys, revoked ones included, never their secrets (organisation admin)" },
  'DELETE /api/org/api-keys/:id': { summary: 'Revoke an API key: refused from the next request on, on every instance (organisation admin, audited)' },
  'POST /api/org/webhooks': {
    summary: 'Subscribe a URL to events (signed Standard Webhooks deliveries); the signing secret is answered this once (organisation admin, audited)',
    body: WH.WebhookCreateSchema,
  },
  'GET /api/org/webhooks': { summary: "The organisation's webhook endpoints, never their secrets (organisation admin)" },
  'PATCH /api/org/webhooks/:id': {
    summary: "Change a webhook endpoint's URL, events, campus or pause it (organisation admin, audited)",
    body: WH.WebhookUpdateSchema,
  },
  'DELETE /api/org/webhooks/:id': { summary: 'Delete a webhook endpoint and its delivery log (organisation admin, audited)' },
  'POST /api/org/webhooks/:id/rotate-secret': {
    summary: 'A new signing secret, answered this once; the previous one keeps signing for 24 hours (organisation admin, audited)',
  },
  'POST /api/org/webhooks/:id/test': { summary: 'Queue a webhook.test ping to this endpoint (organisation admin)' },
  'GET /api/org/webhooks/:id/deliveries': { summary: "An endpoint's latest 100 deliveries: status, attempts, last answer, next attempt (organisation admin)" },
} satisfies Record<string, EndpointSpec>;

export interface OrgResponses {
  'GET /api/org/reports/attendance': RollupReport;
  'GET /api/org/reports/attendance.csv': string;
  'GET /api/org': { organization: OrganizationInfo };
  'POST /api/org/campuses': { campus: CampusCreated };
  'PATCH /api/org/campuses/:id': { site: SiteInfo };
  'PUT /api/org/rooms-template': { organization: OrganizationInfo };
  'PATCH /api/org/settings': { organization: OrganizationInfo };
  'GET /api/org/retention': { retention: RetentionSettings };
  'PATCH /api/org/retention': { retention: RetentionSettings };
  'POST /api/org/api-keys': ApiKeyCreated;
  'GET /api/org/api-keys': ApiKeyList;
  'DELETE /api/org/api-keys/:id': { apiKey: ApiKey };
  'POST /api/org/webhooks': WebhookCreated;
  'GET /api/org/webhooks': WebhookList;
  'PATCH /api/org/webhooks/:id': { webhook: Webhook };
  'DELETE /api/org/webhooks/:id': void;
  'POST /api/org/webhooks/:id/rotate-secret': WebhookCreated;
  'POST /api/org/webhooks/:id/test': { delivery: WebhookDelivery };
  'GET /api/org/webhooks/:id/deliveries': WebhookDeliveryList;
}

export const orgReplyContent = {
  'GET /api/org/reports/attendance': 'json',
  'GET /api/org/reports/attendance.csv': 'csv',
  'GET /api/org': 'json',
  'POST /api/org/campuses': 'json',
  'PATCH /api/org/campuses/:id': 'json',
  'PUT /api/org/rooms-template': 'json',
  'PATCH /api/org/settings': 'json',
  'GET /api/org/retention': 'json',
  'PATCH /api/org/retention': 'json',
  'POST /api/org/api-keys': 'json',
  'GET /api/org/api-keys': 'json',
  'DELETE /api/org/api-keys/:id': 'json',
  'POST /api/org/webhooks': 'json',
  'GET /api/org/webhooks': 'json',
  'PATCH /api/org/webhooks/:id': 'json',
  'DELETE /api/org/webhooks/:id': 'none',
  'POST /api/org/webhooks/:id/rotate-secret': 'json',
  'POST /api/org/webhooks/:id/test': 'json',
  'GET /api/org/webhooks/:id/deliveries': 'json',
} satisfies ContentMap<typeof orgEndpoints, OrgResponses>;
