/**
 * Flow 2 (DESIGN §1): the volunteer at the door scans the parent's QR (or types the code), sees
 * the children, allergies, who may pick up and any custody alert, and checks them out.
 */
import { Suspense, lazy, useRef, useState, type FormEvent } from 'react';
import type { PickupVerification } from '../../../contracts';
import { decideRelease } from '../../../contracts/rules';
import { SECURITY_CODE_ALPHABET, SECURITY_CODE_LENGTH } from '../../../contracts/limits';
import type { RequestBody } from '../../../contracts/client/http';
import { ApiError, api, messageOf } from '../api';
import { atLeast, useSignedIn } from '../session';
import { useCurrentService } from '../services';
import { Badge, ErrorText, Face, Loading } from '../ui';
import { ageLabel, timeIn } from '../format';
import { CareBadges } from './families/ChildCare';

const Scanner = lazy(() => import('../../../ui-shared/Scanner'));

type Proof = { token: string } | { securityCode: string };
type Stage = { kind: 'find' } | { kind: 'verified'; v: PickupVerification; proof: Proof } | { kind: 'done'; names: string[]; by: string };

/** A scanned value worth asking the server about: a pickup pass URL or a bare token. */
const looksLikePass = (text: string) => /\/pass\/[A-Za-z0-9_-]{16,}/.test(text) || /^[A-Za-z0-9_-]{32,100}$/.test(text.trim());

export function Pickup() {
  useSignedIn();
  const cur = useCurrentService();
  const [mode, setMode] = useState<'scan' | 'code'>('scan');
  const [stage, setStage] = useState<Stage>({ kind: 'find' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lastScan = useRef<{ text: string; at: number } | null>(null);

  const verify = async (proof: Proof, body: RequestBody<'POST /api/pickups/verify'>) => {
    setBusy(true);
    setError(null);
    try {
      const v = await api('POST /api/pickups/verify', { body });
      setStage({ kind: 'verified', v, proof });
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 404 ? 'No check-in matches that pass or code. It may be picked up already, or from another day.' : messageOf(e),
      );
    } finally {
      setBusy(false);
    }
  };

  const onScan = (text: string) => {
    if (busy || stage.kind !== 'find') return;
    const now = Date.now();
    // the same wrong code in front of the camera is reported once, not ten times a second
    if (lastScan.current && lastScan.current.text === text && now - lastScan.current.at < 4000) return;
    lastScan.current = { text, at: now };
    if (!looksLikePass(text)) {
      setError('That QR code is not a Kids’ Club pickup pass.');
      return;
    }
    void verify({ token: text }, { token: text });
  };

  const reset = () => {
    setStage({ kind: 'find' });
    setError(null);
    lastScan.current = null;
  };

  return (
    <div className="pickup">
      {stage.kind === 'find' && (
        <>
          <h1 className="page-title">Pickup</h1>
          <div className="segmented" role="tablist" aria-label="How to find the family">
            <button
              type="button"
              role="tab"
              aria-selected={mode === 'scan'}
              className={mode === 'scan' ? 'on' : ''}
              onClick={() => {
                setMode('scan');
                setError(null);
              }}
            >
              Scan QR
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={mode === 'code'}
              className={mode === 'code' ? 'on' : ''}
              onClick={() => {
                setMode('code');
                setError(null);
              }}
            >
              Type code
            </button>
          </div>
          {mode === 'scan' ? (
            <Suspense fallback={<Loading what="Starting the scanner" />}>
              <Scanner onScan={onScan} paused={busy} />
            </Suspense>
          ) : (
            <CodeForm services={cur.services} busy={busy} onSubmit={(code, serviceId) => verify({ securityCode: code }, { securityCode: code, serviceId })} />
          )}
          {busy && <Loading what="Checking" />}
          <ErrorText error={error} />
        </>
      )}
      {stage.kind === 'verified' && <Verified v={stage.v} proof={stage.proof} onCancel={reset} onDone={(names, by) => setStage({ kind: 'done', names, by })} />}
      {stage.kind === 'done' && (
        <section className="done panel" role="status" data-testid="checkout-done">
          <div className="done-mark" aria-hidden>
            ✓
          </div>
          <h1>Checked out</h1>
          <p>
            <strong>{stage.names.join(', ')}</strong>
          </p>
          <p>picked up by {stage.by}</p>
          <button type="button" className="btn btn--primary btn--block" onClick={reset} autoFocus>
            Next pickup
          </button>
        </section>
      )}
    </div>
  );
}

function CodeForm({
  services,
  busy,
  onSubmit,
}: {
  services: { id: string; name: string }[];
  busy: boolean;
  onSubmit: (code: string, serviceId: string) => void;
}) {
  const [code, setCode] = useState('');
  const [serviceId, setServiceId] = useState('');
  const sid = serviceId || services[0]?.id || '';
  const clean = (s: string) =>
    [...s.toUpperCase()]
      .filter((c) => SECURITY_CODE_ALPHABET.includes(c))
      .join('')
      .slice(0, SECURITY_CODE_LENGTH);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (code.length === SECURITY_CODE_LENGTH && sid) onSubmit(code, sid);
  };
  if (!services.length) return <p className="muted">No service today has children checked in, so there is nothing to pick up by code.</p>;
  return (
    <form className="code-form" onSubmit={submit}>
      <label className="field">
        <span>Security code from the parent’s tag</span>
        <input
          className="code-input mono"
          value={code}
          onChange={(e) => setCode(clean(e.target.value))}
          inputMode="text"
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          placeholder="••••"
          aria-describedby="code-help"
          autoFocus
        />
      </label>
      <p id="code-help" className="muted small">
        {SECURITY_CODE_LENGTH} characters; codes never use vowels, 0, 1 or O.
      </p>
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
      <button type="submit" className="btn btn--primary btn--block" disabled={busy || code.length !== SECURITY_CODE_LENGTH}>
        Find children
      </button>
    </form>
  );
}

type Chosen = { kind: 'person'; id: string; name: string } | { kind: 'typed'; name: string } | null;
/** On the campus's clock (its time zone), as every other time on the staff screens, not the browser's. */
const timeOf = (iso: string | null, tz: string | undefined) => (iso ? timeIn(iso, tz) : '');

/** A used code or pass: who took each child, when, and who verified it. */
function AlreadyPickedUp({ v, onCancel }: { v: PickupVerification; onCancel: () => void }) {
  const tz = useSignedIn().site?.timezone;
  return (
    <section className="verified" aria-label="Already picked up" data-testid="already-picked-up">
      <div className="verified-head">
        <h1 className="page-title">{v.householdName}</h1>
      </div>
      <p className="notice">Everyone on this code or pass has already been picked up.</p>
      <ul className="pick-list">
        {v.checkins.map((c) => (
          <li key={c.id} className="pick pick--out">
            <span className="pick-body">
              <span className="pick-name">
                {c.firstName} {c.lastName}
              </span>
              <span className="small" data-testid="picked-up-by">
                Picked up by {c.pickedUpBy ?? 'unknown'} at {timeOf(c.checkedOutAt, tz)}
                {c.verifiedBy ? `, verified by ${c.verifiedBy}` : ''}
              </span>
            </span>
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn--primary btn--block" onClick={onCancel} autoFocus>
        Next pickup
      </button>
    </section>
  );
}

function Verified({
  v,
  proof,
  onCancel,
  onDone,
}: {
  v: PickupVerification;
  proof: Proof;
  onCancel: () => void;
  onDone: (names: string[], by: string) => void;
}) {
  const { user, site } = useSignedIn();
  const isStaff = atLeast(user, 'staff');
  const waiting = v.checkins.filter((c) => c.status === 'checked_in');
  const [selected, setSelected] = useState<Set<string>>(() => new Set(waiting.map((c) => c.id)));
  const [chosen, setChosen] = useState<Chosen>(null);
  const [typed, setTyped] = useState('');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [serverStop, setServerStop] = useState<string | null>(null);
  // a second tap releases: the volunteer reads who goes home with whom before it happens
  const [confirming, setConfirming] = useState(false);
  const people = [
    ...v.guardians.map((g) => ({ id: g.id, name: `${g.firstName} ${g.lastName}`, note: 'guardian', photoUrl: g.photoUrl })),
    ...v.authorizedPickups.map((p) => ({ id: p.id, name: p.name, note: p.relationship || 'authorised pickup', photoUrl: p.photoUrl })),
  ];
  if (v.allPickedUp) return <AlreadyPickedUp v={v} onCancel={onCancel} />;

  // the one release rule (contracts/rules decideRelease): the server decides, this only warns early
  const decision = decideRelease({
    people,
    personId: chosen?.kind === 'person' ? chosen.id : null,
    typed: chosen?.kind === 'typed' ? chosen.name : null,
    custodyAlerts: v.custodyAlerts,
  });
  const name = decision.name;
  const custody = decision.custody;
  const hardStop = decision.verdict === 'stop' || serverStop === 'custody_alert';
  const possible = custody.match === 'partial' || serverStop === 'possible_custody_match';
  const notOnList = decision.notOnList && !!name;
  const needsOverride = !hardStop && (decision.verdict === 'override' || possible || serverStop === 'not_authorized_pickup');
  const overrideReady = !needsOverride || (reason.trim().length >= 3 && (isStaff || /^[0-9]{4,8}$/.test(pin)));

  const typeName = (text: string) => {
    setConfirming(false);
    setTyped(text);
    setServerStop(null);
    setError(null);
    // a listed person's name, typed, counts as that person: decideRelease finds them
    setChosen(text.trim() ? { kind: 'typed', name: text.trim() } : null);
  };
  const toggle = (id: string) => {
    setConfirming(false);
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  };
  const confirm = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const ids = [...selected];
      const who = decision.person ? { pickupPersonId: decision.person.id } : { pickedUpBy: name };
      const override = needsOverride ? { override: { reason: reason.trim(), ...(pin ? { pin } : {}) } } : {};
      const r = await api('POST /api/checkouts', { body: { checkinIds: ids, ...who, ...override, ...proof } });
      onDone(
        v.checkins.filter((c) => ids.includes(c.id)).map((c) => c.firstName),
        r.pickedUpBy,
      );
    } catch (e) {
      if (e instanceof ApiError && ['custody_alert', 'possible_custody_match', 'not_authorized_pickup'].includes(e.code)) setServerStop(e.code);
      setError(messageOf(e));
      setBusy(false);
      setConfirming(false);
    }
  };
  const releasing = v.checkins.filter((c) => selected.has(c.id) && c.status === 'checked_in').map((c) => c.firstName);
  const ready = !busy && selected.size > 0 && !!chosen && !hardStop && overrideReady;

  return (
    <section className="verified" aria-label="Children to pick up">
      {v.custodyAlerts.length > 0 && (
        <div className="custody" role="alert" data-testid="custody-alert">
          <h2>Custody alert</h2>
          {v.custodyAlerts.map((a) => (
            <div key={a.id} className="custody-person">
              <Face url={a.photoUrl} alt={`${a.name} (custody alert)`} />
              <p>
                <strong>Do NOT release to {a.name}.</strong>
                {a.note ? ` ${a.note}` : ''}
              </p>
            </div>
          ))}
        </div>
      )}
      <div className="verified-head">
        <h1 className="page-title">{v.householdName}</h1>
        <span className="code-pill mono" title="Security code">
          {v.securityCode}
        </span>
      </div>
      <ul className="pick-list">
        {v.checkins.map((c) => {
          const out = c.status !== 'checked_in';
          return (
            <li key={c.id} className={`pick ${out ? 'pick--out' : ''}`}>
              <label>
                <input
                  type="checkbox"
                  checked={!out && selected.has(c.id)}
                  disabled={out}
                  onChange={() => toggle(c.id)}
                  aria-label={`Pick up ${c.firstName}`}
                />
                <Face url={c.photoUrl} alt={`${c.firstName} ${c.lastName}`} />
                <span className="pick-body">
                  <span className="pick-name">
                    {c.firstName} {c.lastName}
                  </span>
                  <span className="muted small">
                    {ageLabel(c.ageMonths, c.grade)} · {c.roomName}
                    {out ? ` · picked up by ${c.pickedUpBy ?? '?'} at ${timeOf(c.checkedOutAt, site?.timezone)}` : ''}
                  </span>
                  {c.allergies && <Badge tone="red">Allergy: {c.allergies}</Badge>}
                  <CareBadges child={{ allergySeverity: c.allergySeverity ?? null, careNeeds: c.careNeeds ?? [] }} />
                </span>
              </label>
            </li>
          );
        })}
      </ul>
      <div className="who-picks">
        <h2>Who is picking up?</h2>
        <div className="people" role="group" aria-label="The family's list">
          {people.map((p) => (
            <button
              type="button"
              key={p.id}
              className={`chip chip--person ${decision.person?.id === p.id ? 'chip--active' : ''}`}
              aria-pressed={decision.person?.id === p.id}
              onClick={() => {
                setConfirming(false);
                setChosen({ kind: 'person', id: p.id, name: p.name });
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
        {v.authorizedPickups.length > 0 && (
          <p className="muted small">Authorised: {v.authorizedPickups.map((p) => `${p.name}${p.relationship ? ` (${p.relationship})` : ''}`).join(', ')}</p>
        )}
        <label className="field">
          <span>Someone else? Type their name (check their ID)</span>
          <input value={typed} onChange={(e) => typeName(e.target.value)} autoComplete="off" placeholder="Full name" />
        </label>
        {hardStop && (
          <p className="custody" role="alert" data-testid="custody-stop">
            <strong>STOP — {custody.alert?.name ?? name} is named in a custody alert. Do not release.</strong> No override can allow this; call a staff lead.
          </p>
        )}
        {!hardStop && possible && (
          <p className="warn" role="alert" data-testid="possible-match">
            {name} resembles {custody.alert?.name ?? 'a name in a custody alert'}. A staff member must check ID and override.
          </p>
        )}
        {!hardStop && !possible && notOnList && (
          <p className="warn small" data-testid="not-on-list">
            {name} is not on this family’s list. Release needs a staff override.
          </p>
        )}
        {needsOverride && (
          <fieldset className="override" data-testid="override">
            <legend>Staff override</legend>
            {!isStaff && (
              <label className="field">
                <span>Staff PIN</span>
                <input
                  value={pin}
                  onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
                  inputMode="numeric"
                  type="password"
                  autoComplete="off"
                />
              </label>
            )}
            {isStaff && <p className="muted small">Your staff sign-in is the override; a PIN is not needed.</p>}
            <label className="field">
              <span>Reason</span>
              <input value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" placeholder="e.g. aunt, ID checked, parent phoned" />
            </label>
          </fieldset>
        )}
      </div>
      <ErrorText error={error} />
      {confirming && ready ? (
        <div className="verified-actions confirm-release" role="group" aria-label="Confirm the release" data-testid="confirm-release">
          <p>
            Release <strong>{releasing.join(', ')}</strong> to <strong>{name}</strong>?
          </p>
          <button type="button" className="btn btn--primary btn--block btn--big" onClick={() => void confirm()} autoFocus>
            Yes, release {releasing.length === 1 ? releasing[0] : `${releasing.length} children`}
          </button>
          <button type="button" className="btn btn--ghost btn--block" onClick={() => setConfirming(false)}>
            Back
          </button>
        </div>
      ) : (
        <div className="verified-actions">
          <button type="button" className="btn btn--primary btn--block btn--big" disabled={!ready} onClick={() => setConfirming(true)}>
            {busy ? 'Checking out…' : `Check out ${selected.size} ${selected.size === 1 ? 'child' : 'children'}`}
          </button>
          <button type="button" className="btn btn--ghost btn--block" onClick={onCancel}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
