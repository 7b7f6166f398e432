/** One child on the roster: the facts, the actions (present, page, move, reprint, undo a checkout) and the form each opens. */
import { useState } from 'react';
import type { PageStatus, PrinterStatus, RosterEntry, ServiceRoom } from '../../../../contracts';
import { api, messageOf } from '../../api';
import { MoveForm, PageForm, ReprintForm, UndoForm } from './LineForms';
import { RosterDetails } from './RosterDetails';
import { useLineAction } from './useLineAction';

export function RosterLine({
  entry: c,
  tz,
  staff,
  showRoom,
  rooms,
  setPages,
  onMoved,
  canMark,
  onPresent,
}: {
  entry: RosterEntry;
  tz?: string;
  staff: boolean;
  showRoom: boolean;
  rooms: ServiceRoom[];
  setPages: (f: (p: PageStatus[]) => PageStatus[]) => void;
  onMoved: () => void;
  canMark: boolean;
  onPresent: (presentAt: string | null) => void;
}) {
  const action = useLineAction();
  const { busy, error, notice, setError } = action;
  const [paging, setPaging] = useState(false);
  const [moving, setMoving] = useState(false);
  const out = c.status !== 'checked_in';
  // mistakes mended from the roster (staff): undo a checkout within 15 minutes, reprint the family's labels
  const [mending, setMending] = useState<null | 'undo' | 'reprint'>(null);
  const [printers, setPrinters] = useState<PrinterStatus[] | null>(null);

  const openReprint = async () => {
    setMending((m) => (m === 'reprint' ? null : 'reprint'));
    setError(null);
    if (printers) return;
    try {
      const r = await api('GET /api/printers');
      setPrinters(r.printers.filter((x) => x.printerHost));
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const togglePresent = () =>
    void action.run(async () => {
      const r = await api('PUT /api/checkins/:id/present', { params: { id: c.id }, body: { present: !c.presentAt } });
      onPresent(r.present ? new Date().toISOString() : null);
    });

  return (
    <li className={`roster-line ${out ? 'roster-line--out' : ''}`} data-checkin-id={c.id} data-present={out ? undefined : c.presentAt ? 'yes' : 'no'}>
      <RosterDetails entry={c} tz={tz} showRoom={showRoom} onError={setError} />
      {!out && (
        <div className="roster-actions">
          {canMark && (
            <button
              type="button"
              className={`btn btn--small present-toggle ${c.presentAt ? 'btn--primary' : ''}`}
              aria-pressed={!!c.presentAt}
              disabled={busy}
              onClick={togglePresent}
            >
              {c.presentAt ? 'Present ✓' : 'Mark present'}
            </button>
          )}
          <button
            type="button"
            className="btn btn--small"
            onClick={() => {
              setPaging((p) => !p);
              setMoving(false);
              setError(null);
            }}
            aria-expanded={paging}
          >
            Page parent
          </button>
          {staff && (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              onClick={() => {
                setMoving((m) => !m);
                setPaging(false);
                setError(null);
              }}
              aria-expanded={moving}
            >
              Move
            </button>
          )}
          {staff && (
            <button type="button" className="btn btn--small btn--ghost" onClick={() => void openReprint()} aria-expanded={mending === 'reprint'}>
              Reprint labels
            </button>
          )}
        </div>
      )}
      {out && staff && (
        <div className="roster-actions">
          <button
            type="button"
            className="btn btn--small btn--ghost"
            onClick={() => {
              setMending((m) => (m === 'undo' ? null : 'undo'));
              setError(null);
            }}
            aria-expanded={mending === 'undo'}
          >
            Undo checkout
          </button>
        </div>
      )}
      {mending === 'undo' && <UndoForm entry={c} action={action} onDone={() => setMending(null)} onMoved={onMoved} />}
      {mending === 'reprint' && printers && <ReprintForm entry={c} action={action} onDone={() => setMending(null)} printers={printers} />}
      {paging && <PageForm entry={c} action={action} onDone={() => setPaging(false)} setPages={setPages} />}
      {moving && <MoveForm entry={c} action={action} onDone={() => setMoving(false)} rooms={rooms} onMoved={onMoved} />}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      {notice && !error && (
        <p className="notice small" role="status">
          {notice}
        </p>
      )}
    </li>
  );
}
