import { useState } from 'react';
import { createPortal } from 'react-dom';
import type { ExpressCodeIssued, FamilyDetail } from '../../../../contracts';
import { code128BBars } from '../../../../contracts/rules';
import { api } from '../../api';
import { useSignedIn } from '../../session';
import { Badge, ErrorText } from '../../ui';
import { useApiQuery } from '../../query';
import { KeyTagPrint } from './KeyTagPrint';

/**
 * Express check-in (DESIGN §12): the family's key-tag code. Issuing (again) shows the code and
 * its QR this once — the server keeps only a hash — to print on a key tag or card; re-issuing or
 * revoking makes the old tag stop working at the kiosks.
 */
export function ExpressCode({ h }: { h: FamilyDetail }) {
  const tz = useSignedIn().site?.timezone; // the campus's date, not the browser's
  const state = useApiQuery(['household', h.id, 'express-code'], () => api('GET /api/households/:id/express-code', { params: { id: h.id } }));
  const [issued, setIssued] = useState<ExpressCodeIssued | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const act = (method: 'POST' | 'DELETE', confirmText?: string) => async () => {
    if (confirmText && !window.confirm(confirmText)) return;
    setBusy(true);
    setError(null);
    try {
      if (method === 'POST') {
        const r = await api('POST /api/households/:id/express-code', { params: { id: h.id } });
        setIssued(r);
        state.setData({ active: true, createdAt: r.createdAt });
      } else {
        state.setData(await api('DELETE /api/households/:id/express-code', { params: { id: h.id } }));
        setIssued(null);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const active = state.data?.active ?? false;
  return (
    <section className="panel express-code" aria-labelledby="express-code-title">
      <h2 id="express-code-title">Express code</h2>
      <p className="muted small">A key tag or card the family scans at a kiosk to skip typing their phone number.</p>
      {state.error && <ErrorText error={state.error} />}
      <ErrorText error={error} />
      {state.data && (
        <p data-testid="express-status">
          {active ? (
            <>
              <Badge tone="green">Active</Badge> since {new Date(state.data.createdAt!).toLocaleDateString(undefined, { timeZone: tz })}
            </>
          ) : (
            <Badge tone="grey">None</Badge>
          )}
        </p>
      )}
      {issued && (
        <div className="express-issued">
          <img src={issued.qrDataUrl} alt={`QR code for ${issued.codeText}`} width={160} height={160} />
          <div>
            <p>
              Code: <strong className="express-code-text">{issued.codeText}</strong>
            </p>
            <p className="muted small">Shown only now: print the tag or card before leaving this page.</p>
            <button type="button" className="btn" onClick={() => window.print()}>
              Print key tag
            </button>
          </div>
          <ExpressTagSheet name={h.name} issued={issued} />
        </div>
      )}
      {/* the key tag from the campus's template, to a kiosk's printer or this browser (#29) */}
      {!issued && <KeyTagPrint householdId={h.id} onPrinted={() => void state.reload()} />}
      <div className="inline">
        <button
          type="button"
          className="btn"
          disabled={busy || !state.data}
          onClick={() => void act('POST', active ? 'Issue a new code? The family’s current key tag stops working.' : undefined)()}
        >
          {active ? 'Re-issue code' : 'Issue code'}
        </button>
        {active && (
          <button
            type="button"
            className="btn btn--danger"
            disabled={busy}
            onClick={() => void act('DELETE', 'Revoke this code? The family’s key tag stops working.')()}
          >
            Revoke
          </button>
        )}
      </div>
    </section>
  );
}

/** The key tag for this browser's print dialog: the QR and the code as text (for barcode or hand typing); only it prints. */
function ExpressTagSheet({ name, issued }: { name: string; issued: ExpressCodeIssued }) {
  return createPortal(
    <div className="print-sheet" aria-hidden="true" data-testid="express-tag-sheet">
      <div className="express-tag">
        <img src={issued.qrDataUrl} alt="" />
        <div>
          <div className="express-tag-name">{name}</div>
          <Code128 text={issued.code} />
          <div className="express-tag-code">{issued.code}</div>
          <div className="express-tag-help">Scan at the check-in kiosk</div>
        </div>
      </div>
    </div>,
    document.body,
  );
}

/** The code as a Code 128 barcode (for a laser or CCD scanner), in modules; the print CSS sets its size. */
function Code128({ text }: { text: string }) {
  const { bars, total } = code128BBars(text);
  return (
    <svg className="express-tag-barcode" viewBox={`0 0 ${total} 40`} preserveAspectRatio="none" shapeRendering="crispEdges" data-code128={text}>
      <rect x={0} y={0} width={total} height={40} fill="#fff" />
      {bars.map(([x, w]) => (
        <rect key={x} x={x} y={0} width={w} height={40} fill="#000" />
      ))}
    </svg>
  );
}
