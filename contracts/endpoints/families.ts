/**
 * Part of the endpoint map (assembled in ./index.ts). Families at the desk and in admin: search, the
 * full family and its edits, export and erasure, express codes and key tags, merges and CSV imports, a
 * child's audit trail.
 */
import * as KT from '../keytags';
import * as PR from '../privacy';
import * as S from '../staff';
import type { AuditEntry, ExpressCodeIssued, ExpressCodeStatus } from '../api';
import type { KeyTagPrinted } from '../keytags';
import type { FamilyErased, FamilyExport } from '../privacy';
import type { FamilyDetail, FamilySearchResult, ImportJob, ImportStarted, MergeCandidate, MergePreview, MergeUndoable } from '../staff';
import type { ContentMap, EndpointSpec, Family } from './shared';

export const familiesEndpoints = {
  'GET /api/children/:id/audit': { summary: "A child's audit trail (staff)" },
  'GET /api/households/search': { summary: 'Find families by name, phone or child (staff)', query: S.FamilySearchQuerySchema },
  'GET /api/households/:id': { summary: 'A family, in full (staff)' },
  'PATCH /api/households/:id': { summary: 'Change a family (name, language)', body: S.HouseholdPatchSchema },
  'DELETE /api/households/:id/children/:childId': { summary: 'Remove a child' },
  'DELETE /api/households/:id/custody-alerts/:alertId': { summary: 'Remove a custody alert' },
  'DELETE /api/households/:id/guardians/:guardianId': { summary: 'Remove a guardian' },
  'DELETE /api/households/:id/pickups/:pickupId': { summary: 'Remove an authorised pickup' },
  'PATCH /api/households/:id/children/:childId': { summary: 'Change a child', body: S.ChildPatchSchema },
  'PATCH /api/households/:id/custody-alerts/:alertId': { summary: 'Change a custody alert', body: S.CustodyAlertPatchSchema },
  'PATCH /api/households/:id/guardians/:guardianId': { summary: 'Change a guardian', body: S.GuardianPatchSchema },
  'PATCH /api/households/:id/pickups/:pickupId': { summary: 'Change an authorised pickup', body: S.AuthorizedPickupPatchSchema },
  'POST /api/households/:id/children': { summary: 'Add a child', body: S.ChildCreateSchema },
  'POST /api/households/:id/custody-alerts': { summary: 'Add a custody alert', body: S.CustodyAlertCreateSchema },
  'POST /api/households/:id/guardians': { summary: 'Add a guardian', body: S.GuardianCreateSchema },
  'POST /api/households/:id/pickups': { summary: 'Add an authorised pickup', body: S.AuthorizedPickupCreateSchema },
  'GET /api/households/:id/export': { summary: 'Everything held about a family, as one JSON document (admin, audited)' },
  'DELETE /api/households/:id': {
    summary: "Erase a family's personal data; the attendance record stays under a pseudonym (admin, audited, idempotent)",
    body: PR.HouseholdEraseSchema,
  },
  'GET /api/households/:id/express-code': { summary: 'Whether a family has an active express check-in code (staff)' },
  'POST /api/households/:id/express-code': { summary: 'Issue or re-issue a family express code: returned once, with its QR (staff, audited)' },
  'DELETE /api/households/:id/express-code': { summary: "Revoke a family's express code (staff, audited)" },
  'POST /api/households/:id/merge/preview': { summary: 'What merging another family into this one would move (staff)', body: S.HouseholdMergeSchema },
  'POST /api/households/:id/merge': { summary: 'Merge another family into this one: nothing lost, audited (staff)', body: S.HouseholdMergeSchema },
  'GET /api/households/:id/merge/candidates': {
    summary: 'Families that may be the same as this one: guardians with masked numbers, those sharing a number or a guardian name first (staff)',
    query: S.MergeCandidatesQuerySchema,
  },
  'GET /api/households/:id/merges': { summary: 'Merges into this family that can still be undone (24 hours; staff)' },
  'POST /api/household-merges/:id/undo': { summary: 'Undo a merge within 24 hours: both families exactly as before, audited (staff)' },
  'POST /api/imports': { summary: 'Start a CSV import of households (text/csv body; admin)', query: S.ImportStartQuerySchema },
  'GET /api/imports/:id': { summary: "An import's progress and summary" },
  'POST /api/imports/:id/rerun': {
    summary: 'Run an import again from its kept file (after it was interrupted by a restart or failed; re-import changes nothing already imported)',
  },
  'POST /api/households/:id/key-tag': {
    summary: "Print a family's key tag (its express code, a first one made if it has none): to a kiosk's printer, or HTML for the browser (staff, audited)",
    body: KT.KeyTagPrintSchema,
  },
} satisfies Record<string, EndpointSpec>;

export interface FamiliesResponses {
  'GET /api/children/:id/audit': { entries: AuditEntry[] };
  'GET /api/households/search': { households: FamilySearchResult[] };
  'GET /api/households/:id': Family;
  'PATCH /api/households/:id': Family;
  'DELETE /api/households/:id/children/:childId': Family;
  'DELETE /api/households/:id/custody-alerts/:alertId': Family;
  'DELETE /api/households/:id/guardians/:guardianId': Family;
  'DELETE /api/households/:id/pickups/:pickupId': Family;
  'PATCH /api/households/:id/children/:childId': Family;
  'PATCH /api/households/:id/custody-alerts/:alertId': Family;
  'PATCH /api/households/:id/guardians/:guardianId': Family;
  'PATCH /api/households/:id/pickups/:pickupId': Family;
  'POST /api/households/:id/children': Family;
  'POST /api/households/:id/custody-alerts': Family;
  'POST /api/households/:id/guardians': Family;
  'POST /api/households/:id/pickups': Family;
  'GET /api/households/:id/export': FamilyExport;
  'DELETE /api/households/:id': FamilyErased;
  'GET /api/households/:id/express-code': ExpressCodeStatus;
  'POST /api/households/:id/express-code': ExpressCodeIssued;
  'DELETE /api/households/:id/express-code': ExpressCodeStatus;
  'POST /api/households/:id/merge/preview': { preview: MergePreview };
  'POST /api/households/:id/merge': Family & { merge: { id: string; undoUntil: string } };
  'GET /api/households/:id/merge/candidates': { candidates: MergeCandidate[] };
  'GET /api/households/:id/merges': { merges: MergeUndoable[] };
  'POST /api/household-merges/:id/undo': { into: FamilyDetail; from: FamilyDetail };
  'POST /api/imports': { import: ImportStarted };
  'GET /api/imports/:id': { import: ImportJob };
  'POST /api/imports/:id/rerun': { import: ImportStarted };
  'POST /api/households/:id/key-tag': KeyTagPrinted;
}

export const familiesReplyContent = {
  'GET /api/children/:id/audit': 'json',
  'GET /api/households/search': 'json',
  'GET /api/households/:id': 'json',
  'PATCH /api/households/:id': 'json',
  'DELETE /api/households/:id/children/:childId': 'json',
  'DELETE /api/households/:id/custody-alerts/:alertId': 'json',
  'DELETE /api/households/:id/guardians/:guardianId': 'json',
  'DELETE /api/households/:id/pickups/:pickupId': 'json',
  'PATCH /api/households/:id/children/:childId': 'json',
  'PATCH /api/households/:id/custody-alerts/:alertId': 'json',
  'PATCH /api/households/:id/guardians/:guardianId': 'json',
  'PATCH /api/households/:id/pickups/:pickupId': 'json',
  'POST /api/households/:id/children': 'json',
  'POST /api/households/:id/custody-alerts': 'json',
  'POST /api/households/:id/guardians': 'json',
  'POST /api/households/:id/pickups': 'json',
  'GET /api/households/:id/export': 'json',
  'DELETE /api/households/:id': 'json',
  'GET /api/households/:id/express-code': 'json',
  'POST /api/households/:id/express-code': 'json',
  'DELETE /api/households/:id/express-code': 'json',
  'POST /api/households/:id/merge/preview': 'json',
  'POST /api/households/:id/merge': 'json',
  'GET /api/households/:id/merge/candidates': 'json',
  'GET /api/households/:id/merges': 'json',
  'POST /api/household-merges/:id/undo': 'json',
  'POST /api/imports': 'json',
  'GET /api/imports/:id': 'json',
  'POST /api/imports/:id/rerun': 'json',
  'POST /api/households/:id/key-tag': 'json',
} satisfies ContentMap<typeof familiesEndpoints, FamiliesResponses>;
