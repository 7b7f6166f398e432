/**
 * Merge a duplicate into this family (DESIGN §16): the likely duplicates are offered at once (a
 * guardian's number or name in common), each with its guardians and masked numbers; the preview
 * says exactly what moves and warns in red when the two share neither; a merge can be undone for
 * 24 hours (the family page lists the undoable merges).
 */
import { useState, type FormEvent } from 'react';
import type { FamilyDetail, MergeCandidate, MergePreview } from '../../../../contracts';
import { api } from '../../api';
import { navigate } from '../../router';
import { Badge, ErrorText } from '../../ui';
import { useApiQuery } from '../../query';
import { dateTimeIn } from '../../format';

function Shares({ shares }: { shares: MergeCandidate['shares'] }) {
  return (
    <>
      {shares.phone && <Badge tone="green">Same phone</Badge>} {shares.guardianName && <Badge tone="green">Same guardian name</Badge>}
    </>
  );
}

export function MergeFamily({ h, tz, onMerged }: { h: FamilyDetail; tz?: string; onMerged(f: FamilyDetail): void }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const found = useApiQuery(['household', h.id, 'merge-candidates', query], () =>
    api('GET /api/households/:id/merge/candidates', { params: { id: h.id }, query: query ? { q: query } : {} }).then((r) => r.candidates),
  );
  const undoable = useApiQuery(['household', h.id, 'merges'], () => api('GET /api/households/:id/merges', { params: { id: h.id } }).then((r) => r.merges));
  const find = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setPreview(null);
    setQuery(q.trim());
  };
  const ask = async (fromHouseholdId: string) => {
    setError(null);
    try {
      setPreview((await api('POST /api/households/:id/merge/preview', { params: { id: h.id }, body: { fromHouseholdId } })).preview);
    } catch (err) {
      setError(err);
    }
  };
  const confirm = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api('POST /api/households/:id/merge', { params: { id: h.id }, body: { fromHouseholdId: preview.from.id } });
      onMerged(r.household);
      setPreview(null);
      setQ('');
      setQuery('');
      void undoable.reload();
      void found.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const undo = async (mergeId: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api('POST /api/household-merges/:id/undo', { params: { id: mergeId } });
      onMerged(r.into);
      void undoable.reload();
      void found.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const m = preview?.moves;
  const unrelated = preview && !preview.shares.phone && !preview.shares.guardianName;
  const list = found.data ?? [];
  return (
    <section className="panel merge-family">
      <h2>Merge a duplicate into this family</h2>
      {(undoable.data ?? []).length > 0 && (
        <ul className="edit-list merge-undo" aria-label="Recent merges">
          {undoable.data!.map((u) => (
            <li key={u.id}>
              Merged <strong>{u.fromName}</strong> into this family on {dateTimeIn(u.mergedAt, tz)}.{' '}
              <button type="button" className="btn btn--small" disabled={busy} onClick={() => void undo(u.id)}>
                Undo merge of {u.fromName}
              </button>{' '}
              <span className="muted small">possible until {dateTimeIn(u.undoUntil, tz)}</span>
            </li>
          ))}
        </ul>
      )}
      <form className="inline" onSubmit={find}>
        <label className="field">
          <span>Find the other family</span>
          <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name or phone digits" minLength={2} />
        </label>
        <button type="submit" className="btn">
          Find
        </button>
      </form>
      {!query && list.length > 0 && <p className="muted small">Families with the same phone or a guardian of the same name:</p>}
      {query && found.data && list.length === 0 && <p className="muted">No other family matches.</p>}
      {list.length > 0 && !preview && (
        <ul className="result-list merge-candidates">
          {list.map((x) => (
            <li key={x.id} className="result">
              <div>
                <strong>{x.name}</strong> <Shares shares={x.shares} />
                <div className="small">
                  {x.guardians.map((g) => (
                    <span key={g.id} className="merge-guardian">
                      {g.firstName} {g.lastName} <span className="mono">{g.phoneMasked}</span>
                    </span>
                  ))}
                </div>
                <div className="small muted">{x.children.map((c) => c.firstName).join(', ')}</div>
              </div>
              <button type="button" className="btn btn--small" onClick={() => void ask(x.id)}>
                Preview merge of {x.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {preview && m && (
        <div className={`merge-preview${unrelated ? ' merge-preview--unrelated' : ''}`} role="region" aria-label="Merge preview">
          {unrelated && (
            <p className="merge-warning" role="alert">
              These two families share no phone number and no guardian name. They are probably different families: check with the parents before merging.
            </p>
          )}
          <p>
            Everything of <strong>{preview.from.name}</strong> moves to <strong>{preview.into.name}</strong>, and {preview.from.name} is removed (you can undo
            this for 24 hours):
          </p>
          <ul className="small">
            <li>
              {m.children} children, {m.guardians} guardians ({m.smsOptOuts} who replied STOP stay opted out), {m.authorizedPickups} authorised pickups,{' '}
              {m.custodyAlerts} custody alerts
            </li>
            <li>
              {m.checkins} check-ins ({m.checkinBatches} family codes, {m.checkinRequests} check-in requests), {m.externalIds} imported ids
            </li>
            <li>
              {m.expressCodes} key-tag codes (when both families have one, this family&apos;s stays), {m.precheckins} pre-check-ins, {m.precheckinLinks}{' '}
              pre-check-in links, {m.joinCodes} join codes
            </li>
            {preview.guardiansJoined.length > 0 && (
              <li>{preview.guardiansJoined.map((g) => g.phoneMasked).join(', ')}: the same number in both families becomes one guardian</li>
            )}
            {preview.sameDayCodes.length > 0 && <li>Both families have pickup codes on {preview.sameDayCodes.join(', ')}: both codes keep working</li>}
          </ul>
          <button type="button" className="btn btn--danger" disabled={busy} onClick={() => void confirm()}>
            {busy ? 'Merging…' : `Merge ${preview.from.name} into this family`}
          </button>{' '}
          <button type="button" className="btn btn--ghost" onClick={() => setPreview(null)}>
            Cancel
          </button>{' '}
          <button type="button" className="link small" onClick={() => navigate(`/families/${preview.from.id}`)}>
            Open {preview.from.name}
          </button>
        </div>
      )}
      <ErrorText error={error ?? found.error} />
    </section>
  );
}
