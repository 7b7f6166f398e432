import { useState } from 'react';
import { ImportForm, useImport } from '../../imports';
import { atLeast, useSignedIn } from '../../session';

/**
 * Import families from a CSV export (admins): a dry run first lists every row's problems; the
 * import itself runs as a job on the server, its progress polled into a real progress bar
 * (the form and job are imports.tsx's, shared with the attendance import).
 */
export function ImportPanel() {
  const session = useSignedIn();
  const imp = useImport('households');
  const [open, setOpen] = useState(false);
  if (!atLeast(session.user, 'admin')) return null;
  return (
    <section className="panel import-panel">
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        Import families from a CSV file
      </button>
      {open && (
        <div className="import-body">
          <p className="muted small">
            People exports of Planning Center, Rock RMS or Breeze, or a CSV with our column names. Try a dry run first: nothing is written, every row's problems
            are listed.
          </p>
          <ImportForm
            imp={imp}
            formats={[
              ['pco', 'Planning Center'],
              ['rock', 'Rock RMS'],
              ['breeze', 'Breeze'],
              ['generic', 'Generic'],
            ]}
            rerunnable
            unit="households"
            summaryNote={(job) => (job.summary.unchangedHouseholds ? ` (${job.summary.unchangedHouseholds} already imported, unchanged)` : '')}
          />
        </div>
      )}
    </section>
  );
}
