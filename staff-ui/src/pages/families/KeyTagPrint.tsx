/**
 * A family's key tag at the desk (DESIGN §12, §18; #29): printed from the campus's key tag
 * template — the express code as barcode and QR with the family's name — to a kiosk's label
 * printer, or through this browser's print dialog (the template's HTML with its @page size).
 * A family without a code gets its first one; an active code is kept (the old tag still works).
 */
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { api } from '../../api';
import { useApiQuery } from '../../query';
import { ErrorText } from '../../ui';

export function KeyTagPrint({ householdId, onPrinted }: { householdId: string; onPrinted?: () => void }) {
  const printers = useApiQuery(['printers', 'kiosks'], () => api('GET /api/printers').then((r) => r.printers));
  const [where, setWhere] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [html, setHtml] = useState<string | null>(null);
  const print = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await api('POST /api/households/:id/key-tag', { params: { id: householdId }, body: where ? { kioskId: where } : {} });
      onPrinted?.();
      if (r.printed) {
        setDone(`Key tag ${r.codeText} sent to ${r.printed.printer}`);
      } else {
        setHtml(r.html);
        setDone(`Key tag ${r.codeText} ready in this browser's print dialog`);
        // the sheet is in the page on the next frame; then the print dialog
        requestAnimationFrame(() => window.print());
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="inline key-tag-print" data-testid="key-tag-print">
      <label className="field">
        <span>Print the key tag on</span>
        <select value={where} onChange={(e) => setWhere(e.target.value)} data-testid="key-tag-where">
          <option value="">This browser’s printer</option>
          {(printers.data ?? []).map((p) => (
            <option key={p.kioskId} value={p.kioskId}>
              {p.kioskName} ({p.printerName ?? p.printerHost})
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn" disabled={busy} onClick={() => void print()}>
        Print key tag
      </button>
      {done && (
        <p role="status" data-testid="key-tag-done">
          {done}
        </p>
      )}
      <ErrorText error={error} />
      {html &&
        createPortal(<div className="print-sheet" aria-hidden="true" data-testid="key-tag-sheet" dangerouslySetInnerHTML={{ __html: html }} />, document.body)}
    </div>
  );
}
