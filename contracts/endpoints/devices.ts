/**
 * Part of the endpoint map (assembled in ./index.ts). Devices: kiosks and their pairing, wall
 * displays, label printing, printers and label templates.
 */
import * as A from '../api';
import * as LT from '../label-templates';
import * as PRN from '../printers';
import type {
  Display,
  DisplayPairResult,
  DisplayPairing,
  DisplaySelf,
  Kiosk,
  KioskPairResult,
  KioskPairing,
  KioskSelf,
  PrintLabelsResult,
  PrinterStatus,
} from '../api';
import type { LabelTemplateList, LabelTemplatePreview, LabelTemplateSlot, StoredLabelTemplate } from '../label-templates';
import type { Printer } from '../printers';
import type { ContentMap, EndpointSpec } from './shared';

export const devicesEndpoints = {
  'POST /api/kiosks': { summary: 'Create a kiosk and its pairing code (admin)', body: A.KioskCreateSchema },
  'POST /api/kiosks/pair': { summary: 'Pair a tablet with a pairing code', body: A.KioskPairSchema },
  'GET /api/kiosks': { summary: "The campus's kiosks (admin)" },
  'POST /api/kiosks/:id/pairing-code': { summary: 'A new pairing code (re-pair)' },
  'DELETE /api/kiosks/:id': { summary: 'Unpair a kiosk (its token and sockets end)' },
  'GET /api/kiosk/me': { summary: 'The kiosk and its site' },
  'POST /api/print/labels': { summary: "Send a check-in's labels to the kiosk's Zebra printer", body: A.PrintLabelsSchema },
  'POST /api/print/family-labels': {
    summary: "A parent reprints the family's labels at a kiosk, proved by the tag's code or the pass",
    body: A.FamilyReprintSchema,
  },
  'POST /api/kiosks/:id/test-print': { summary: "Send a test label to a kiosk's printer (staff)" },
  'GET /api/printers': { summary: "Each kiosk printer and its last job's result (staff)" },
  'GET /api/displays': { summary: "The campus's wall displays (admin)" },
  'POST /api/displays': { summary: 'Create a wall display and its pairing code (admin)', body: A.DisplayCreateSchema },
  'DELETE /api/displays/:id': { summary: 'Unpair a wall display (its token and socket end)' },
  'POST /api/displays/pair': { summary: 'Pair a screen as a read-only wall display', body: A.KioskPairSchema },
  'GET /api/display/me': { summary: 'The display and its campus' },
  'GET /api/label-templates': {
    summary: "The campus's label template of each kind as it prints (campus override → organisation → default), with both stored levels (admin)",
  },
  'GET /api/label-templates/:id': { summary: "One stored label template: the organisation's, or this campus's override (admin)" },
  'PUT /api/label-templates/:kind': {
    summary: "Store the organisation's (organisation admin) or this campus's (campus admin) template of a kind: stock and elements in mm (audited)",
    body: LT.LabelTemplatePutSchema,
  },
  'POST /api/label-templates/:kind/reset': {
    summary: "Drop the organisation's or this campus's template of a kind, back to what it inherits (audited)",
    body: LT.LabelTemplateResetSchema,
  },
  'POST /api/label-templates/preview': {
    summary: 'A template rendered for a sample child: the HTML with print CSS and the ZPL (admin; nothing is stored)',
    body: LT.LabelTemplatePreviewSchema,
  },
  'GET /api/label-printers': { summary: "The campus's label printers with their health and kiosks (staff)" },
  'POST /api/label-printers': { summary: 'Add a label printer: name, host:port, type, stock (admin, audited)', body: PRN.PrinterCreateSchema },
  'PATCH /api/label-printers/:id': { summary: "Change a printer's name, address, type or stock (admin, audited)", body: PRN.PrinterUpdateSchema },
  'POST /api/label-printers/:id/test-print': { summary: 'Send a test label to this printer (staff, audited; 502 when it is not ready)' },
  'PUT /api/kiosks/:id/printer': { summary: 'Say which of the campus printers a kiosk uses, or none (admin, audited)', body: PRN.KioskPrinterSchema },
} satisfies Record<string, EndpointSpec>;

export interface DevicesResponses {
  'POST /api/kiosks': KioskPairing;
  'POST /api/kiosks/pair': KioskPairResult;
  'GET /api/kiosks': { kiosks: Kiosk[] };
  'POST /api/kiosks/:id/pairing-code': KioskPairing;
  'DELETE /api/kiosks/:id': void;
  'GET /api/kiosk/me': KioskSelf;
  'POST /api/print/labels': PrintLabelsResult;
  'POST /api/print/family-labels': PrintLabelsResult;
  'POST /api/kiosks/:id/test-print': { printed: true; kiosk: string };
  'GET /api/printers': { printers: PrinterStatus[] };
  'GET /api/displays': { displays: Display[] };
  'POST /api/displays': DisplayPairing;
  'DELETE /api/displays/:id': void;
  'POST /api/displays/pair': DisplayPairResult;
  'GET /api/display/me': DisplaySelf;
  'GET /api/label-templates': LabelTemplateList;
  'GET /api/label-templates/:id': { template: StoredLabelTemplate };
  'PUT /api/label-templates/:kind': { template: StoredLabelTemplate };
  'POST /api/label-templates/:kind/reset': { slot: LabelTemplateSlot };
  'POST /api/label-templates/preview': LabelTemplatePreview;
  'GET /api/label-printers': { printers: Printer[] };
  'POST /api/label-printers': { printer: Printer };
  'PATCH /api/label-printers/:id': { printer: Printer };
  'POST /api/label-printers/:id/test-print': { printed: true; printer: string };
  'PUT /api/kiosks/:id/printer': { kiosk: Kiosk };
}

export const devicesReplyContent = {
  'POST /api/kiosks': 'json',
  'POST /api/kiosks/pair': 'json',
  'GET /api/kiosks': 'json',
  'POST /api/kiosks/:id/pairing-code': 'json',
  'DELETE /api/kiosks/:id': 'none',
  'GET /api/kiosk/me': 'json',
  'POST /api/print/labels': 'json',
  'POST /api/print/family-labels': 'json',
  'POST /api/kiosks/:id/test-print': 'json',
  'GET /api/printers': 'json',
  'GET /api/displays': 'json',
  'POST /api/displays': 'json',
  'DELETE /api/displays/:id': 'none',
  'POST /api/displays/pair': 'json',
  'GET /api/display/me': 'json',
  'GET /api/label-templates': 'json',
  'GET /api/label-templates/:id': 'json',
  'PUT /api/label-templates/:kind': 'json',
  'POST /api/label-templates/:kind/reset': 'json',
  'POST /api/label-templates/preview': 'json',
  'GET /api/label-printers': 'json',
  'POST /api/label-printers': 'json',
  'PATCH /api/label-printers/:id': 'json',
  'POST /api/label-printers/:id/test-print': 'json',
  'PUT /api/kiosks/:id/printer': 'json',
} satisfies ContentMap<typeof devicesEndpoints, DevicesResponses>;
