/**
 * Part of the endpoint map (assembled in ./index.ts). Safety: room alerts, medical notes, emergency
 * roll call, broadcasts, campus alerts of no one service.
 */
import * as E from '../accounted';
import * as A from '../api';
import type { Broadcast, Emergency } from '../accounted';
import type { AlertEvent } from '../events';
import type { MedicalNote } from '../staff';
import type { ContentMap, EndpointSpec } from './shared';

export const safetyEndpoints = {
  'GET /api/alerts': { summary: 'Open-a-room and turned-away alerts of a service', query: A.AlertListQuerySchema },
  'POST /api/alerts/:id/ack': { summary: 'Acknowledge an alert' },
  'POST /api/alerts/:id/clear': { summary: 'Clear a headcount alarm by hand, with a note (staff, audited)', body: E.AlertClearSchema },
  'GET /api/checkins/:id/medical-notes': { summary: "Open a child's medical note (staff, or a volunteer checked in to the child's room; audited)" },
  'POST /api/emergency': { summary: "Start an emergency roll call for the caller's campus (staff; one at a time, audited)", body: E.EmergencyStartSchema },
  'GET /api/emergency/current': {
    summary: "The campus's running emergency roll call: totals per room and the children not yet accounted for (a volunteer: their room)",
  },
  'POST /api/emergency/:id/accounted': {
    summary: "Mark a child accounted for (a volunteer checked in to the child's room, or staff)",
    body: E.EmergencyAccountedSchema,
  },
  'POST /api/emergency/:id/end': { summary: 'End the emergency roll call (staff, audited)' },
  'POST /api/broadcasts': {
    summary: 'Text the guardians of every child present in a room, a service or the campus (staff; rate-limited, audited)',
    body: E.BroadcastCreateSchema,
  },
  'GET /api/broadcasts': { summary: "The campus's broadcasts with their texts' delivery counts (staff)" },
  'GET /api/site-alerts': { summary: "The campus's alerts of no one service (label printers), standing and cleared in the last day" },
} satisfies Record<string, EndpointSpec>;

export interface SafetyResponses {
  'GET /api/alerts': { alerts: AlertEvent[] };
  'POST /api/alerts/:id/ack': { alert: AlertEvent };
  'POST /api/alerts/:id/clear': { alert: AlertEvent };
  'GET /api/checkins/:id/medical-notes': { note: MedicalNote };
  'POST /api/emergency': { emergency: Emergency };
  'GET /api/emergency/current': { emergency: Emergency | null };
  'POST /api/emergency/:id/accounted': { emergency: Emergency };
  'POST /api/emergency/:id/end': { emergency: Emergency };
  'POST /api/broadcasts': { id: string; recipients: number };
  'GET /api/broadcasts': { broadcasts: Broadcast[] };
  'GET /api/site-alerts': { alerts: AlertEvent[] };
}

export const safetyReplyContent = {
  'GET /api/alerts': 'json',
  'POST /api/alerts/:id/ack': 'json',
  'POST /api/alerts/:id/clear': 'json',
  'GET /api/checkins/:id/medical-notes': 'json',
  'POST /api/emergency': 'json',
  'GET /api/emergency/current': 'json',
  'POST /api/emergency/:id/accounted': 'json',
  'POST /api/emergency/:id/end': 'json',
  'POST /api/broadcasts': 'json',
  'GET /api/broadcasts': 'json',
  'GET /api/site-alerts': 'json',
} satisfies ContentMap<typeof safetyEndpoints, SafetyResponses>;
