/**
 * The attended station (DESIGN §12): the welcome desk finds a family by name, phone or child,
 * checks children in under the kiosk's rules (a soft limit overridden with a reason, never
 * capacity), adds a guest child, reprints a family's labels, undoes a mistaken check-in, and sees
 * each kiosk printer's last result.
 */
import { useState } from 'react';
import type { CheckinResult } from '../../../contracts';
import { displayPhone } from '../../../contracts/rules';
import { api } from '../api';
import { useCurrentService, ServicePicker } from '../services';
import { useSignedIn } from '../session';
import { ActionButton, Badge, Empty, ErrorText, Loading } from '../ui';
import { keys, useApiQuery, useFamilySearch } from '../query';
import { ago } from '../format';

const newKey = () => crypto.randomUUID();

export default function Desk() {
  const session = useSignedIn();
  const { services, service, choose } = useCurrentService();
  const [q, setQ] = useState('');
  const { term, results, error } = useFamilySearch(q, 200);
  const [familyId, setFamilyId] = useState<string | null>(null);

  return (
    <div className="desk">
      <div className="page-head">
        <h1 className="page-title">Welcome desk</h1>
        <ServicePicker services={services} service={service} choose={choose} tz={session.site?.timezone} />
      </div>
      <div className="desk-grid">
        <section className="panel">
          <label className="field search-field">
            <span>Find a family: name, parent, child or phone digits</span>
            <input type="search" value={q} autoFocus placeholder="e.g. Garcia, Liam, 0142" onChange={(e) => setQ(e.target.value)} />
          </label>
          <ErrorText error={error} />
          {results && results.length === 0 && (
            <Empty>
              <p>No family matches “{term}”.</p>
            </Empty>
          )}
          <ul className="result-list">
            {results?.map((h) => (
              <li key={h.id}>
                <button type="button" className={`result ${familyId === h.id ? 'result--active' : ''}`} onClick={() => setFamilyId(h.id)}>
                  <strong>{h.name}</strong>
                  <span className="muted small">{h.guardians.map((g) => `${g.firstName} ${g.lastName} ${displayPhone(g.phone)}`).join(' · ')}</span>
                  <span className="small">{h.children.map((c) => c.firstName).join(', ')}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        {familyId && service && <FamilyDesk key={familyId} id={familyId} serviceId={service.id} />}
      </div>
      <Printers />
    </div>
  );
}

function FamilyDesk({ id, serviceId }: { id: string; serviceId: string }) {
  const family = useApiQuery(keys.household(id), () => api('GET /api/households/:id', { params: { id } }).then((r) => r.household));
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const [override, setOverride] = useState('');
  const [result, setResult] = useState<CheckinResult | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const f = family.data;
  if (!f)
    return (
      <section className="panel">
        <ErrorText error={family.error} />
        {family.loading && <Loading />}
      </section>
    );
  const waiting = f.children.filter((c) => !c.checkedIn);
  const chosen = picked ?? new Set(waiting.map((c) => c.id));
  const toggle = (cid: string) => {
    const n = new Set(chosen);
    if (n.has(cid)) n.delete(cid);
    else n.add(cid);
    setPicked(n);
  };
  const inNow = f.recentCheckins.filter((c) => c.status === 'checked_in');
  const nameOf = (childId: string) => f.children.find((c) => c.id === childId)?.firstName ?? '';

  const checkIn = async () => {
    const body = {
      serviceId,
      householdId: f.id,
      childIds: [...chosen],
      idempotencyKey: newKey(),
      ...(override.trim() ? { softOverride: { reason: override.trim() } } : {}),
    };
    const r = await api('POST /api/checkins', { body });
    setResult(r);
    setPicked(null);
    setOverride('');
    setNote(null);
    await family.reload();
  };

  return (
    <section className="panel desk-family" aria-label={`Family ${f.name}`}>
      <h2>{f.name}</h2>
      <p className="muted small">{f.guardians.map((g) => `${g.firstName} ${g.lastName} ${displayPhone(g.phone)}`).join(' · ')}</p>
      {waiting.length > 0 ? (
        <fieldset className="desk-children">
          <legend>Who is here today?</legend>
          {waiting.map((c) => (
            <label key={c.id} className="check">
              <input type="checkbox" checked={chosen.has(c.id)} onChange={() => toggle(c.id)} /> {c.firstName} {c.lastName}
              {c.allergies && <Badge tone="red">Allergy</Badge>}
            </label>
          ))}
          <label className="field">
            <span>Over the volunteer ratio? Reason (staff override; capacity still holds)</span>
            <input value={override} onChange={(e) => setOverride(e.target.value)} placeholder="e.g. second volunteer arriving" />
          </label>
          <ActionButton className="btn--primary" disabled={chosen.size === 0} onClick={checkIn}>
            Check in {chosen.size} {chosen.size === 1 ? 'child' : 'children'}
          </ActionButton>
        </fieldset>
      ) : (
        <p>Everyone in this family is checked in.</p>
      )}
      {result && (
        <div className="desk-result" role="status">
          {result.securityCode && (
            <p>
              Code <strong className="mono">{result.securityCode}</strong>
            </p>
          )}
          <ul>
            {result.checkins.map((c) => (
              <li key={c.id}>
                {c.firstName} → {c.roomName}
              </li>
            ))}
          </ul>
          {result.refused.length > 0 && (
            <ul className="error">
              {result.refused.map((r) => (
                <li key={`${r.childId}${r.serviceId ?? ''}`}>
                  {r.firstName ?? nameOf(r.childId)}: {r.reason.replace(/_/g, ' ')}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {inNow.length > 0 && (
        <div className="desk-in">
          <h3>Checked in now</h3>
          <ul className="plain">
            {inNow.map((c) => (
              <li key={c.id} className="desk-in-row">
                <span>
                  {nameOf(c.childId)} · {c.roomName} · {c.serviceName}
                </span>
                <ActionButton
                  className="btn--small"
                  onClick={async () => {
                    const r = await api('POST /api/checkins/:id/labels', { params: { id: c.id }, body: {} });
                    setNote(`Labels ready for the family: ${r.labels.children.length + 1} labels${r.printed ? ` sent to ${r.printed.kiosk}` : ''}.`);
                  }}
                >
                  Reprint labels
                </ActionButton>
                <UndoButton
                  onUndo={async (reason) => {
                    await api('POST /api/checkins/:id/cancel', { params: { id: c.id }, body: { reason } });
                    setNote(`${nameOf(c.childId)}’s check-in was undone.`);
                    setResult(null);
                    await family.reload();
                  }}
                />
              </li>
            ))}
          </ul>
        </div>
      )}
      {note && (
        <p className="ok" role="status">
          {note}
        </p>
      )}
      <GuestChild householdId={f.id} lastName={f.children[0]?.lastName ?? f.name} onAdded={() => family.reload()} />
      {/* pre-check-in for next time: the family chooses on the phone, the kiosk then needs one scan and one tap */}
      <ActionButton
        className="btn--small"
        onClick={async () => {
          const r = await api('POST /api/households/:id/precheckin-link', { params: { id: f.id } });
          setNote(`Pre-check-in link texted to ${r.phonesMasked.join(', ')}.`);
        }}
      >
        Text pre-check-in link
      </ActionButton>
    </section>
  );
}

function UndoButton({ onUndo }: { onUndo: (reason: string) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open)
    return (
      <button type="button" className="btn btn--small btn--danger" onClick={() => setOpen(true)}>
        Undo check-in
      </button>
    );
  return (
    <span className="undo-form">
      <label className="sr-only" htmlFor="undo-reason">
        Why undo?
      </label>
      <input id="undo-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why? e.g. wrong family" aria-label="Why undo?" />
      <ActionButton className="btn--small btn--danger" disabled={reason.trim().length < 3} onClick={() => onUndo(reason.trim())}>
        Confirm undo
      </ActionButton>
    </span>
  );
}

function GuestChild({ householdId, lastName, onAdded }: { householdId: string; lastName: string; onAdded: () => Promise<unknown> }) {
  const [firstName, setFirstName] = useState('');
  const [birthdate, setBirthdate] = useState('');
  return (
    <form className="desk-guest" onSubmit={(e) => e.preventDefault()}>
      <h3>Add a guest child</h3>
      <label className="field">
        <span>First name</span>
        <input value={firstName} onChange={(e) => setFirstName(e.target.value)} />
      </label>
      <label className="field">
        <span>Birthdate</span>
        <input type="date" value={birthdate} onChange={(e) => setBirthdate(e.target.value)} />
      </label>
      <ActionButton
        disabled={!firstName.trim() || !birthdate}
        onClick={async () => {
          await api('POST /api/households/:id/children', { params: { id: householdId }, body: { firstName: firstName.trim(), lastName, birthdate } });
          setFirstName('');
          setBirthdate('');
          await onAdded();
        }}
      >
        Add child
      </ActionButton>
    </form>
  );
}

function Printers() {
  const list = useApiQuery(['printers'], () => api('GET /api/printers').then((r) => r.printers));
  if (!list.data?.length) return null;
  return (
    <section className="panel desk-printers">
      <h2>Label printers</h2>
      <table className="table" data-testid="printer-table">
        <thead>
          <tr>
            <th>Kiosk</th>
            <th>Printer</th>
            <th>Last job</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.data.map((p) => (
            <tr key={p.kioskId}>
              <td>{p.kioskName}</td>
              <td className="mono small">{p.printerHost}</td>
              <td>
                {p.lastOk === null ? (
                  <Badge tone="grey">Nothing sent yet</Badge>
                ) : p.lastOk ? (
                  <Badge tone="green">Printed {p.lastAt ? ago(p.lastAt) : ''}</Badge>
                ) : (
                  <Badge tone="red" title={p.lastError ?? ''}>
                    Failed {p.lastAt ? ago(p.lastAt) : ''}
                  </Badge>
                )}
              </td>
              <td>
                <ActionButton
                  className="btn--small"
                  onClick={async () => {
                    try {
                      await api('POST /api/kiosks/:id/test-print', { params: { id: p.kioskId } });
                    } finally {
                      await list.reload();
                    }
                  }}
                >
                  Test print
                </ActionButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
