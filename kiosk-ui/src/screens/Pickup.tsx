/**
 * A kiosk paired in `pickup` mode is a door station (DESIGN §4): scan the parent's QR or type the
 * code, see the children and any custody alert, choose who is picking up from the family's list,
 * confirm. Same rules and same API as the staff pickup station; a kiosk has no staff sign-in, so
 * an override (someone not on the list, a possible custody match) needs a staff member's PIN.
 */
import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import type { PickupVerification, TodayService } from '../../../contracts';
import { SECURITY_CODE_ALPHABET, SECURITY_CODE_LENGTH } from '../../../contracts/limits';
import { decideRelease } from '../../../contracts/rules';
import type { RequestBody } from '../../../contracts/client/http';
import { api, ApiError } from '../api';
import { Face, Screen, Spinner } from '../ui';
import { allergyMark, SEVERE_ALLERGY_SYMBOL } from '../../../contracts/rules/care';

// the staff pickup station's camera scanner (getUserMedia + jsQR), shared rather than copied
const Scanner = lazy(() => import('../../../ui-shared/Scanner'));

type Proof = { token: string } | { securityCode: string };
type Stage = { kind: 'find' } | { kind: 'verified'; v: PickupVerification; proof: Proof } | { kind: 'done'; names: string[]; by: string };
const DONE_RESET_MS = 8000;
/** On the campus's clock (its time zone), not the browser's. */
const timeOf = (iso: string | null, timeZone: string) =>
  iso ? new Intl.DateTimeFormat(undefined, { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso)) : '';
const messageOf = (e: unknown) => (e instanceof ApiError ? e.message : 'Something went wrong; try again or ask a volunteer.');

export function Pickup({ timezone }: { timezone: string }) {
  const [services, setServices] = useState<TodayService[]>([]);
  const [stage, setStage] = useState<Stage>({ kind: 'find' });
  const [mode, setMode] = useState<'scan' | 'code'>('code');
  const [code, setCode] = useState('');
  const [serviceId, setServiceId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lastScan = useRef<{ text: string; at: number } | null>(null);

  const load = useCallback(() => {
    api('GET /api/services/today')
      .then((r) => setServices(r.services))
      .catch(() => {});
  }, []);
  useEffect(() => {
    load();
    const t = setInterval(load, 60_000);
    return () => clearInterval(t);
  }, [load]);
  const reset = useCallback(() => {
    setStage({ kind: 'find' });
    setCode('');
    setError(null);
    lastScan.current = null;
    load();
  }, [load]);
  useEffect(() => {
    if (stage.kind !== 'done') return;
    const t = setTimeout(reset, DONE_RESET_MS);
    return () => clearTimeout(t);
  }, [stage.kind, reset]);

  const verify = async (proof: Proof, body: RequestBody<'POST /api/pickups/verify'>) => {
    setBusy(true);
    setError(null);
    try {
      setStage({ kind: 'verified', v: await api('POST /api/pickups/verify', { body }), proof });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? 'No check-in matches that pass or code.' : messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const onScan = (text: string) => {
    if (busy || stage.kind !== 'find') return;
    const now = Date.now();
    if (lastScan.current && lastScan.current.text === text && now - lastScan.current.at < 4000) return;
    lastScan.current = { text, at: now };
    void verify({ token: text }, { token: text });
  };
  const sid = serviceId || services[0]?.id || '';

  if (stage.kind === 'verified')
    return <Verified v={stage.v} proof={stage.proof} timezone={timezone} onCancel={reset} onDone={(names, by) => setStage({ kind: 'done', names, by })} />;
  if (stage.kind === 'done') {
    return (
      <Screen title="Checked out" sub={`${stage.names.join(', ')} — picked up by ${stage.by}`}>
        <div data-testid="kiosk-checkout-done">
          <button type="button" className="btn btn-primary" onClick={reset}>
            Next pickup
          </button>
        </div>
      </Screen>
    );
  }
  return (
    <Screen title="Pickup" sub="Scan the parent’s QR code or type the code from their tag">
      <div className="pickup-find">
        <div className="segmented" role="tablist">
          <button type="button" role="tab" aria-selected={mode === 'scan'} onClick={() => setMode('scan')}>
            Scan QR
          </button>
          <button type="button" role="tab" aria-selected={mode === 'code'} onClick={() => setMode('code')}>
            Type code
          </button>
        </div>
        {mode === 'scan' ? (
          <Suspense fallback={<Spinner />}>
            <Scanner onScan={onScan} paused={busy} />
          </Suspense>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (code.length === SECURITY_CODE_LENGTH && sid) void verify({ securityCode: code }, { securityCode: code, serviceId: sid });
            }}
          >
            <label className="field">
              <span>Security code</span>
              <input
                aria-label="Security code"
                className="code-input"
                value={code}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) =>
                  setCode(
                    [...e.target.value.toUpperCase()]
                      .filter((c) => SECURITY_CODE_ALPHABET.includes(c))
                      .join('')
                      .slice(0, SECURITY_CODE_LENGTH),
                  )
                }
              />
            </label>
            {services.length > 1 && (
              <label className="field">
                <span>Service</span>
                <select value={sid} onChange={(e) => setServiceId(e.target.value)}>
                  {services.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {!services.length && <p>No service today has children checked in.</p>}
            <button type="submit" className="btn btn-primary" disabled={busy || code.length !== SECURITY_CODE_LENGTH || !sid}>
              Find children
            </button>
          </form>
        )}
        {busy && <Spinner />}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
    </Screen>
  );
}

function Verified({
  v,
  proof,
  timezone,
  onCancel,
  onDone,
}: {
  v: PickupVerification;
  proof: Proof;
  timezone: string;
  onCancel: () => void;
  onDone: (names: string[], by: string) => void;
}) {
  const waiting = v.checkins.filter((c) => c.status === 'checked_in');
  const [selected, setSelected] = useState<Set<string>>(() => new Set(waiting.map((c) => c.id)));
  const [person, setPerson] = useState<{ id: string; name: string } | null>(null);
  const [typed, setTyped] = useState('');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [serverStop, setServerStop] = useState<string | null>(null);
  // a second tap releases: who goes home with whom is read before it happens
  const [confirming, setConfirming] = useState(false);
  const people = [
    ...v.guardians.map((g) => ({ id: g.id, name: `${g.firstName} ${g.lastName}`, photoUrl: g.photoUrl })),
    ...v.authorizedPickups.map((p) => ({ id: p.id, name: p.name, photoUrl: p.photoUrl })),
  ];

  if (v.allPickedUp) {
    return (
      <Screen title="Already picked up" sub={v.householdName}>
        <ul className="pickup-list" data-testid="already-picked-up">
          {v.checkins.map((c) => (
            <li key={c.id}>
              {c.firstName}: picked up by {c.pickedUpBy} at {timeOf(c.checkedOutAt, timezone)}
              {c.verifiedBy ? `, verified by ${c.verifiedBy}` : ''}
            </li>
          ))}
        </ul>
        <button type="button" className="btn btn-primary" onClick={onCancel}>
          Next pickup
        </button>
      </Screen>
    );
  }
  // the one release rule (contracts/rules decideRelease): the server decides, this only warns early
  const decision = decideRelease({ people, personId: person?.id ?? null, typed: person ? null : typed, custodyAlerts: v.custodyAlerts });
  const name = decision.name;
  const hardStop = decision.verdict === 'stop' || serverStop === 'custody_alert';
  const needsOverride = !hardStop && (decision.verdict === 'override' || serverStop === 'possible_custody_match' || serverStop === 'not_authorized_pickup');
  const ready = !!name && selected.size > 0 && !hardStop && (!needsOverride || (/^[0-9]{4,8}$/.test(pin) && reason.trim().length >= 3));
  const toggle = (id: string) => {
    setConfirming(false);
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  };
  const releasing = v.checkins.filter((c) => selected.has(c.id) && c.status === 'checked_in').map((c) => c.firstName);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const ids = [...selected];
      const r = await api('POST /api/checkouts', {
        body: {
          checkinIds: ids,
          ...proof,
          ...(decision.person ? { pickupPersonId: decision.person.id } : { pickedUpBy: name }),
          ...(needsOverride ? { override: { pin, reason: reason.trim() } } : {}),
        },
      });
      onDone(
        v.checkins.filter((c) => ids.includes(c.id)).map((c) => c.firstName),
        r.pickedUpBy,
      );
    } catch (e) {
      if (e instanceof ApiError) setServerStop(e.code);
      setError(messageOf(e));
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <Screen title={v.householdName} sub="Who is picking up?" className="pickup-screen">
      {v.custodyAlerts.length > 0 && (
        <div className="custody" role="alert" data-testid="custody-alert">
          {v.custodyAlerts.map((a) => (
            <div key={a.id} className="custody-person">
              <Face url={a.photoUrl} alt={`${a.name} (custody alert)`} />
              <p>
                <strong>Do NOT release to {a.name}.</strong> {a.note}
              </p>
            </div>
          ))}
        </div>
      )}
      <ul className="pickup-list">
        {v.checkins.map((c) => (
          <li key={c.id}>
            <label>
              <input
                type="checkbox"
                disabled={c.status !== 'checked_in'}
                checked={c.status === 'checked_in' && selected.has(c.id)}
                onChange={() => toggle(c.id)}
                aria-label={`Pick up ${c.firstName}`}
              />{' '}
              <Face url={c.photoUrl} alt={`${c.firstName} ${c.lastName}`} />
              {c.firstName} {c.lastName} · {c.roomName}
              {c.allergies ? ` · Allergy: ${c.allergies}` : ''}
              {allergyMark(c.allergySeverity) && <strong className="severe-allergy">{` · ${SEVERE_ALLERGY_SYMBOL} ${allergyMark(c.allergySeverity)}`}</strong>}
              {c.status !== 'checked_in' ? ` · picked up by ${c.pickedUpBy}` : ''}
            </label>
          </li>
        ))}
      </ul>
      <div className="people" role="group" aria-label="The family's list">
        {people.map((p) => (
          <button
            type="button"
            key={p.id}
            className={`btn btn-person ${decision.person?.id === p.id ? 'btn-primary' : ''}`}
            aria-pressed={decision.person?.id === p.id}
            onClick={() => {
              setConfirming(false);
              setPerson(p);
              setTyped('');
              setServerStop(null);
              setError(null);
            }}
          >
            <Face url={p.photoUrl} alt="" />
            <span>{p.name}</span>
          </button>
        ))}
      </div>
      <label className="field">
        <span>Someone else (staff must approve)</span>
        <input
          value={typed}
          placeholder="Full name"
          autoComplete="off"
          onChange={(e) => {
            const text = e.target.value;
            setConfirming(false);
            setTyped(text);
            setServerStop(null);
            setError(null);
            // a listed person's name, typed, counts as that person: decideRelease finds them
            setPerson(null);
          }}
        />
      </label>
      {hardStop && (
        <p className="custody" role="alert" data-testid="custody-stop">
          <strong>STOP — named in a custody alert. Do not release; call a staff lead.</strong>
        </p>
      )}
      {needsOverride && (
        <fieldset data-testid="override">
          <legend>Staff override</legend>
          <label className="field">
            <span>Staff PIN</span>
            <input type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))} />
          </label>
          <label className="field">
            <span>Reason</span>
            <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
        </fieldset>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {confirming && ready && !busy ? (
        <div className="confirm-release" role="group" aria-label="Confirm the release" data-testid="confirm-release">
          <p>
            Release <strong>{releasing.join(', ')}</strong> to <strong>{name}</strong>?
          </p>
          <button type="button" className="btn btn-primary" onClick={() => void confirm()} autoFocus>
            Yes, release {releasing.length === 1 ? releasing[0] : `${releasing.length} children`}
          </button>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            Back
          </button>
        </div>
      ) : (
        <>
          <button type="button" className="btn btn-primary" disabled={busy || !ready} onClick={() => setConfirming(true)}>
            {busy ? 'Checking out…' : `Check out ${selected.size}`}
          </button>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        </>
      )}
    </Screen>
  );
}
