/** A new family at the desk: a guardian and the children, and "is this you?" when the phone is already a family's. */
import { useState, type FormEvent } from 'react';
import type { FamilySearchResult } from '../../../../contracts';
import { displayPhone } from '../../../../contracts/rules';
import { api, ApiError } from '../../api';
import { Link, navigate } from '../../router';
import { ErrorText } from '../../ui';
import { str, type Values } from '../../forms';
import { childBody, childFields, guardianBody, guardianFields } from './fields';

export function NewFamily() {
  const [guardian, setGuardian] = useState<Values>({ firstName: '', lastName: '', phone: '', smsOptIn: false });
  const [children, setChildren] = useState<Values[]>([{ firstName: '', lastName: '', birthdate: '', grade: '', allergies: '', medicalNotes: '' }]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const setChild = (i: number, k: string, v: string) => setChildren((cs) => cs.map((c, j) => (j === i ? { ...c, [k]: v } : c)));
  // "Is this you?" at the desk: the phone already belongs to a family of the site
  const [dups, setDups] = useState<FamilySearchResult[] | null>(null);
  const send = async (extra: { confirmNew?: boolean; joinHouseholdId?: string } = {}) => {
    setBusy(true);
    setError(null);
    const g = guardianBody(guardian);
    try {
      const r = await api('POST /api/households', {
        body: {
          guardians: [g],
          children: children.map((c) => ({ ...childBody(c), lastName: str(c.lastName) || g.lastName })),
          ...extra,
        },
      });
      navigate(`/families/${r.household.id}`, true);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'possible_duplicate') {
        const digits = g.phone.replace(/\D/g, '').slice(-7);
        const found = await api('GET /api/households/search', { query: { q: digits } }).catch(() => ({
          households: [],
        }));
        setDups(found.households);
        return;
      }
      setError(err);
    }
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await send();
  };
  return (
    <form className="families new-family" onSubmit={submit}>
      <div className="page-head">
        <h1 className="page-title">New family</h1>
        <Link to="/families" className="btn btn--ghost">
          Back
        </Link>
      </div>
      <section className="panel">
        <h2>Parent or guardian</h2>
        <div className="spec-fields">
          {guardianFields.map((f) =>
            f.type === 'checkbox' ? (
              <label key={f.name} className="check">
                <input type="checkbox" checked={!!guardian[f.name]} onChange={(e) => setGuardian({ ...guardian, [f.name]: e.target.checked })} />{' '}
                <span>{f.label}</span>
              </label>
            ) : (
              <label key={f.name} className="field">
                <span>{f.label}</span>
                <input
                  type={f.type ?? 'text'}
                  required={f.required}
                  placeholder={f.placeholder}
                  value={String(guardian[f.name] ?? '')}
                  onChange={(e) => setGuardian({ ...guardian, [f.name]: e.target.value })}
                />
              </label>
            ),
          )}
        </div>
      </section>
      {children.map((c, i) => (
        <section className="panel" key={i}>
          <h2>
            Child {i + 1}{' '}
            {children.length > 1 && (
              <button type="button" className="link small" onClick={() => setChildren((cs) => cs.filter((_, j) => j !== i))}>
                remove
              </button>
            )}
          </h2>
          <div className="spec-fields">
            {childFields.map((f) => (
              <label key={f.name} className={`field ${f.wide || f.type === 'textarea' ? 'field--wide' : ''}`}>
                <span>{f.label}</span>
                {f.type === 'select' ? (
                  <select value={String(c[f.name] ?? '')} onChange={(e) => setChild(i, f.name, e.target.value)}>
                    {f.options!.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    type={f.type === 'textarea' ? 'text' : (f.type ?? 'text')}
                    required={f.name === 'firstName'}
                    placeholder={f.name === 'lastName' ? 'Same as the parent' : f.placeholder}
                    value={String(c[f.name] ?? '')}
                    onChange={(e) => setChild(i, f.name, e.target.value)}
                  />
                )}
              </label>
            ))}
          </div>
        </section>
      ))}
      <p>
        <button
          type="button"
          className="btn"
          onClick={() => setChildren((cs) => [...cs, { firstName: '', lastName: '', birthdate: '', grade: '', allergies: '', medicalNotes: '' }])}
        >
          Add another child
        </button>
      </p>
      {dups && (
        <section className="panel panel--warn duplicate-panel" role="alert">
          <h2>Is this family already registered?</h2>
          <p>A family of this campus has this phone number. Add the children to it, or register a new family if it is not them.</p>
          <ul className="result-list">
            {dups.map((h) => (
              <li key={h.id} className="result">
                <strong>{h.name}</strong>
                <span className="muted small">{h.guardians.map((x) => `${x.firstName} ${x.lastName} ${displayPhone(x.phone)}`).join(' · ')}</span>
                <span className="small">{h.children.map((c) => c.firstName).join(', ')}</span>
                <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void send({ joinHouseholdId: h.id })}>
                  Add to {h.name}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="btn" disabled={busy} onClick={() => void send({ confirmNew: true })}>
            Register as a new family
          </button>
        </section>
      )}
      <ErrorText error={error} />
      <button type="submit" className="btn btn--primary" disabled={busy}>
        {busy ? 'Saving…' : 'Register family'}
      </button>
      <p className="muted small">Authorised pickups and custody alerts can be added on the next screen.</p>
    </form>
  );
}
