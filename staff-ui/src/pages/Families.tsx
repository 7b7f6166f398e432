/** Families (staff): search by name or phone, register a family, edit everything about it. */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { ExpressCodeIssued, FamilyDetail, FamilySearchResult, ImportJob } from '../../../contracts';
import { MAX_GRADE, MIN_GRADE } from '../../../contracts/limits';
import { code128BBars, FAMILY_LANG_NAMES, FAMILY_LANGS, formatPhone, smsConsentText, type FamilyLang } from '../../../contracts/rules';
import type { CallArgs, RequestQuery } from '../../../contracts/client/http';
import type { EndpointKey, Reply } from '../../../contracts/endpoints';
import { api, ApiError, messageOf, upload } from '../api';
import { Link, navigate } from '../router';
import { atLeast, useSignedIn } from '../session';
import { Badge, Empty, ErrorText, Loading } from '../ui';
import { keys, useApiQuery, useFamilySearch } from '../query';
import { SpecForm, numOrNull, orNull, str, type FieldSpec, type Values } from '../forms';
import { dateTimeIn, gradeName } from '../format';
import { PersonPhoto } from './PersonPhoto';
import { MergeFamily } from './families/MergeFamily';
import { ChildCare } from './families/ChildCare';
import { FamilyPrivacy } from './FamilyPrivacy';

/** The family edits: each answers with the whole family. */
type FamilyEdit = {
  [K in EndpointKey]: K extends `${'POST' | 'PATCH' | 'DELETE'} /api/households/:id${string}`
    ? Reply<K> extends { household: FamilyDetail }
      ? K
      : never
    : never;
}[EndpointKey];
type ImportFormat = NonNullable<RequestQuery<'POST /api/imports'>['format']>;

export default function Families({ id, mode }: { id?: string; mode?: 'new' }) {
  if (mode === 'new') return <NewFamily />;
  if (id) return <Family id={id} />;
  return <Search />;
}

function Search() {
  // a search remembered from before (back from a family page) shows again on arrival
  const [q, setQ] = useState(() => sessionStorage.getItem('kc.staff.familyq') ?? '');
  const { term, results, error, busy } = useFamilySearch(q);
  useEffect(() => {
    sessionStorage.setItem('kc.staff.familyq', term);
  }, [term]);

  return (
    <div className="families">
      <div className="page-head">
        <h1 className="page-title">Families</h1>
        <Link to="/families/new" className="btn btn--primary">
          New family
        </Link>
      </div>
      <ImportPanel />
      <label className="field search-field">
        <span>Search by family, parent or child name, or phone digits</span>
        <input type="search" value={q} autoFocus placeholder="e.g. Garcia, Liam, 0142" onChange={(e) => setQ(e.target.value)} />
      </label>
      <ErrorText error={error} />
      {busy && <Loading what="Searching" />}
      {results && results.length === 0 && (
        <Empty>
          <p>No family matches “{term}”.</p>
        </Empty>
      )}
      <ul className="result-list">
        {results?.map((h) => (
          <li key={h.id}>
            <Link to={`/families/${h.id}`} className="result">
              <strong>{h.name}</strong>
              <span className="muted small">{h.guardians.map((g) => `${g.firstName} ${g.lastName} ${formatPhone(g.phone)}`).join(' · ')}</span>
              <span className="small">{h.children.map((c) => c.firstName).join(', ')}</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

const gradeOptions = [
  { value: '', label: '— none —' },
  ...Array.from({ length: MAX_GRADE - MIN_GRADE + 1 }, (_, i) => i + MIN_GRADE).map((g) => ({
    value: String(g),
    label: g === -1 ? 'Pre-K' : g === 0 ? 'Kindergarten' : `Grade ${g}`,
  })),
];
const guardianFields: FieldSpec[] = [
  { name: 'firstName', label: 'First name', required: true },
  { name: 'lastName', label: 'Last name', required: true },
  { name: 'phone', label: 'Mobile', type: 'tel', required: true, placeholder: '(312) 555-0142' },
  // consent in plain words (DESIGN §19): tick only when the parent said yes
  { name: 'smsOptIn', label: 'The parent agreed to texts about check-in (pickup pass, pickup, pages); they can reply STOP', type: 'checkbox' },
];
const childFields: FieldSpec[] = [
  { name: 'firstName', label: 'First name', required: true },
  { name: 'lastName', label: 'Last name', required: true },
  { name: 'birthdate', label: 'Birthdate', type: 'date', hint: 'A birthdate or a grade places the child' },
  { name: 'grade', label: 'School grade', type: 'select', options: gradeOptions },
  { name: 'allergies', label: 'Allergies', placeholder: 'e.g. peanuts, tree nuts', wide: true },
  { name: 'medicalNotes', label: 'Medical notes (staff only)', type: 'textarea', maxLength: 1000 },
];
const pickupFields: FieldSpec[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'relationship', label: 'Relationship', placeholder: 'e.g. grandmother' },
  { name: 'phone', label: 'Phone', type: 'tel' },
];
const guardianBody = (v: Values) => ({ firstName: str(v.firstName), lastName: str(v.lastName), phone: str(v.phone), smsOptIn: !!v.smsOptIn });
const childBody = (v: Values) => ({
  firstName: str(v.firstName),
  lastName: str(v.lastName),
  birthdate: orNull(v.birthdate),
  grade: numOrNull(v.grade),
  allergies: str(v.allergies),
  medicalNotes: str(v.medicalNotes),
});

function NewFamily() {
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
                <span className="muted small">{h.guardians.map((x) => `${x.firstName} ${x.lastName} ${formatPhone(x.phone)}`).join(' · ')}</span>
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

/** The family's language: their texts, pickup pass and labels (set at the kiosk; staff can change it). */
function FamilyLanguage({ lang, onChange }: { lang: FamilyLang; onChange(lang: FamilyLang): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <p className="family-lang">
      <label>
        Language for texts, pickup pass and labels{' '}
        <select
          aria-label="Family language"
          value={lang}
          disabled={busy}
          onChange={async (e) => {
            setBusy(true);
            setError(null);
            try {
              await onChange(e.target.value as FamilyLang);
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          {FAMILY_LANGS.map((l) => (
            <option key={l} value={l}>
              {FAMILY_LANG_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      {error != null && <ErrorText error={error} />}
    </p>
  );
}

function Family({ id }: { id: string }) {
  const session = useSignedIn();
  const tz = session.site?.timezone;
  const fam = useApiQuery(keys.household(id), () => api('GET /api/households/:id', { params: { id } }).then((r) => r.household));
  const [editing, setEditing] = useState<string | null>(null);
  const h = fam.data;
  if (fam.error)
    return (
      <>
        <ErrorText error={fam.error} />
        <Link to="/families">Back to search</Link>
      </>
    );
  if (!h) return <Loading />;

  /** Every edit answers with the whole family: show exactly what was stored. */
  const save =
    <K extends FamilyEdit>(key: K, ...req: CallArgs<K>) =>
    async () => {
      const r = await api(key, ...req);
      fam.setData(r.household);
      setEditing(null);
    };
  const editor = (key: string, display: ReactNode, form: ReactNode) => (editing === key ? form : display);
  const childName = (cid: string | null) => (cid ? (h.children.find((c) => c.id === cid)?.firstName ?? 'a child') : 'all children');

  return (
    <div className="families family">
      <div className="page-head">
        {editor(
          'name',
          <h1 className="page-title">
            {h.name}{' '}
            <button type="button" className="link small" onClick={() => setEditing('name')}>
              rename
            </button>
          </h1>,
          <SpecForm
            className="inline"
            fields={[{ name: 'name', label: 'Family name', required: true }]}
            initial={{ name: h.name }}
            onSubmit={(v) => save('PATCH /api/households/:id', { params: { id }, body: { name: str(v.name) } })()}
            onCancel={() => setEditing(null)}
          />,
        )}
        <Link to="/families" className="btn btn--ghost">
          Search
        </Link>
      </div>

      <FamilyLanguage lang={h.lang} onChange={(lang) => save('PATCH /api/households/:id', { params: { id }, body: { lang } })()} />

      {h.custodyAlerts.length > 0 && (
        <div className="custody" role="alert">
          <strong>Custody alert:</strong> {h.custodyAlerts.map((a) => `do NOT release ${childName(a.childId)} to ${a.name}`).join('; ')}
        </div>
      )}

      <div className="family-grid">
        <Section
          title="Parents and guardians"
          onAdd={() => setEditing('guardian:new')}
          adding={editing === 'guardian:new'}
          addForm={
            <SpecForm
              fields={guardianFields}
              initial={{ firstName: '', lastName: h.guardians[0]?.lastName ?? '', phone: '', smsOptIn: false }}
              submitLabel="Add guardian"
              onSubmit={(v) => save('POST /api/households/:id/guardians', { params: { id }, body: guardianBody(v) })()}
              onCancel={() => setEditing(null)}
            />
          }
        >
          {h.guardians.map((g) => (
            <li key={g.id}>
              {editor(
                `g:${g.id}`,
                <Row onEdit={() => setEditing(`g:${g.id}`)}>
                  <PersonPhoto h={h} kind="guardian" personId={g.id} name={`${g.firstName} ${g.lastName}`} onChanged={fam.reload} />
                  <strong>
                    {g.firstName} {g.lastName}
                  </strong>{' '}
                  <span className="mono">{formatPhone(g.phone)}</span>{' '}
                  {g.smsOptedOut ? (
                    <Badge tone="red">Replied STOP</Badge>
                  ) : g.smsOptIn ? (
                    <Badge tone="green">Texts on</Badge>
                  ) : (
                    <Badge tone="grey">No texts</Badge>
                  )}{' '}
                  <span className="muted small" data-testid="sms-consent">
                    {smsConsentText(g.smsConsent, tz)}
                  </span>
                </Row>,
                <SpecForm
                  fields={guardianFields}
                  initial={{ firstName: g.firstName, lastName: g.lastName, phone: g.phone, smsOptIn: g.smsOptIn }}
                  onSubmit={(v) => save('PATCH /api/households/:id/guardians/:guardianId', { params: { id, guardianId: g.id }, body: guardianBody(v) })()}
                  onCancel={() => setEditing(null)}
                  onDelete={h.guardians.length > 1 ? save('DELETE /api/households/:id/guardians/:guardianId', { params: { id, guardianId: g.id } }) : undefined}
                  deleteConfirm={`Remove ${g.firstName} from this family?`}
                />,
              )}
            </li>
          ))}
        </Section>

        <Section
          title="Children"
          onAdd={() => setEditing('child:new')}
          adding={editing === 'child:new'}
          addForm={
            <SpecForm
              fields={childFields}
              initial={{
                firstName: '',
                lastName: h.children[0]?.lastName ?? h.guardians[0]?.lastName ?? '',
                birthdate: '',
                grade: '',
                allergies: '',
                medicalNotes: '',
              }}
              submitLabel="Add child"
              onSubmit={(v) => save('POST /api/households/:id/children', { params: { id }, body: childBody(v) })()}
              onCancel={() => setEditing(null)}
            />
          }
        >
          {h.children.map((c) => (
            <li key={c.id}>
              {editor(
                `c:${c.id}`,
                <Row onEdit={() => setEditing(`c:${c.id}`)}>
                  <PersonPhoto h={h} kind="child" personId={c.id} name={`${c.firstName} ${c.lastName}`} onChanged={fam.reload} />
                  <strong>
                    {c.firstName} {c.lastName}
                  </strong>{' '}
                  <span className="muted small">
                    {c.birthdate ? `born ${c.birthdate}` : ''}
                    {c.grade != null ? ` · grade ${gradeName(c.grade)}` : ''}
                  </span>{' '}
                  {/* no grade on record: the one the birthdate implies places them, until staff set one (DESIGN §15) */}
                  {c.grade == null && c.inferredGrade != null && (
                    <span className="muted small" data-testid="inferred-grade">
                      · grade {gradeName(c.inferredGrade)} (inferred from birthdate — edit to set it)
                    </span>
                  )}{' '}
                  {c.checkedIn && <Badge tone="blue">Checked in</Badge>}
                  {c.allergies && <Badge tone="red">Allergy: {c.allergies}</Badge>}
                  {c.medicalNotes && <Badge tone="amber">Medical: {c.medicalNotes}</Badge>}{' '}
                  <ChildCare householdId={id} child={c} onSaved={(f) => fam.setData(f)} />
                </Row>,
                <SpecForm
                  fields={childFields}
                  initial={{
                    firstName: c.firstName,
                    lastName: c.lastName,
                    birthdate: c.birthdate ?? '',
                    grade: c.grade == null ? '' : String(c.grade),
                    allergies: c.allergies,
                    medicalNotes: c.medicalNotes,
                  }}
                  onSubmit={(v) => save('PATCH /api/households/:id/children/:childId', { params: { id, childId: c.id }, body: childBody(v) })()}
                  onCancel={() => setEditing(null)}
                  onDelete={save('DELETE /api/households/:id/children/:childId', { params: { id, childId: c.id } })}
                  deleteLabel="Remove (entered by mistake)"
                  deleteConfirm={`Remove ${c.firstName}? Only possible if never checked in.`}
                />,
              )}
            </li>
          ))}
        </Section>

        <Section
          title="Authorised to pick up"
          onAdd={() => setEditing('pickup:new')}
          adding={editing === 'pickup:new'}
          addForm={
            <SpecForm
              fields={pickupFields}
              initial={{ name: '', relationship: '', phone: '' }}
              submitLabel="Add person"
              onSubmit={(v) =>
                save('POST /api/households/:id/pickups', {
                  params: { id },
                  body: { name: str(v.name), relationship: str(v.relationship), phone: orNull(v.phone) },
                })()
              }
              onCancel={() => setEditing(null)}
            />
          }
          empty="Only the guardians above."
        >
          {h.authorizedPickups.map((p) => (
            <li key={p.id}>
              {editor(
                `p:${p.id}`,
                <Row onEdit={() => setEditing(`p:${p.id}`)}>
                  <PersonPhoto h={h} kind="pickup" personId={p.id} name={p.name} onChanged={fam.reload} />
                  <strong>{p.name}</strong> <span className="muted">{p.relationship}</span> <span className="mono small">{formatPhone(p.phone)}</span>
                </Row>,
                <SpecForm
                  fields={pickupFields}
                  initial={{ name: p.name, relationship: p.relationship, phone: p.phone ?? '' }}
                  onSubmit={(v) =>
                    save('PATCH /api/households/:id/pickups/:pickupId', {
                      params: { id, pickupId: p.id },
                      body: { name: str(v.name), relationship: str(v.relationship), phone: orNull(v.phone) },
                    })()
                  }
                  onCancel={() => setEditing(null)}
                  onDelete={save('DELETE /api/households/:id/pickups/:pickupId', { params: { id, pickupId: p.id } })}
                  deleteConfirm={`Remove ${p.name} from the pickup list?`}
                />,
              )}
            </li>
          ))}
        </Section>

        <Section
          title="Custody alerts (may NOT pick up)"
          tone="danger"
          onAdd={() => setEditing('custody:new')}
          adding={editing === 'custody:new'}
          addForm={
            <SpecForm
              fields={custodyFields(h)}
              initial={{ name: '', note: '', childId: '' }}
              submitLabel="Add custody alert"
              onSubmit={(v) =>
                save('POST /api/households/:id/custody-alerts', {
                  params: { id },
                  body: { name: str(v.name), note: str(v.note), childId: orNull(v.childId) },
                })()
              }
              onCancel={() => setEditing(null)}
            />
          }
          empty="None."
        >
          {h.custodyAlerts.map((a) => (
            <li key={a.id}>
              {editor(
                `a:${a.id}`,
                <Row onEdit={() => setEditing(`a:${a.id}`)}>
                  <PersonPhoto h={h} kind="restricted" personId={a.id} name={a.name} onChanged={fam.reload} />
                  <strong>{a.name}</strong> <span className="muted small">({childName(a.childId)})</span> {a.note}
                </Row>,
                <SpecForm
                  fields={custodyFields(h)}
                  initial={{ name: a.name, note: a.note, childId: a.childId ?? '' }}
                  onSubmit={(v) =>
                    save('PATCH /api/households/:id/custody-alerts/:alertId', {
                      params: { id, alertId: a.id },
                      body: { name: str(v.name), note: str(v.note), childId: orNull(v.childId) },
                    })()
                  }
                  onCancel={() => setEditing(null)}
                  onDelete={save('DELETE /api/households/:id/custody-alerts/:alertId', { params: { id, alertId: a.id } })}
                  deleteConfirm="Remove this custody alert? Only do this when the court order or family instruction has ended."
                />,
              )}
            </li>
          ))}
        </Section>
      </div>

      <section className="panel">
        <h2>Recent check-ins</h2>
        {h.recentCheckins.length === 0 ? (
          <p className="muted">Never checked in yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>When</th>
                <th>Child</th>
                <th>Service</th>
                <th>Room</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {h.recentCheckins.map((r) => (
                <tr key={r.id}>
                  <td>{dateTimeIn(r.checkedInAt, tz)}</td>
                  <td>{h.children.find((c) => c.id === r.childId)?.firstName ?? ''}</td>
                  <td>{r.serviceName}</td>
                  <td>{r.roomName}</td>
                  <td>{r.status.replace('_', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ExpressCode h={h} />
      <PrecheckinLink h={h} />
      <MergeFamily h={h} tz={tz} onMerged={(merged) => fam.setData(merged)} />
      <FamilyPrivacy h={h} onErased={() => void api('GET /api/households/:id', { params: { id: h.id } }).then((r) => fam.setData(r.household))} />
    </div>
  );
}

/**
 * Express check-in (DESIGN §12): the family's key-tag code. Issuing (again) shows the code and
 * its QR this once — the server keeps only a hash — to print on a key tag or card; re-issuing or
 * revoking makes the old tag stop working at the kiosks.
 */
function ExpressCode({ h }: { h: FamilyDetail }) {
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

/** Pre-check-in (DESIGN §12): text the family a link now to choose children and services on the phone. */
function PrecheckinLink({ h }: { h: FamilyDetail }) {
  const [sent, setSent] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      setSent((await api('POST /api/households/:id/precheckin-link', { params: { id: h.id } })).phonesMasked);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="precheckin-title">
      <h2 id="precheckin-title">Pre-check-in</h2>
      <p className="muted small">A link (for a week) to choose who is coming; at the kiosk one scan and one tap print the labels.</p>
      <ErrorText error={error} />
      {sent && (
        <p className="notice" role="status">
          Link texted to {sent.join(', ')}.
        </p>
      )}
      <button type="button" className="btn" disabled={busy} onClick={() => void send()}>
        Text pre-check-in link
      </button>
    </section>
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

const custodyFields = (h: FamilyDetail): FieldSpec[] => [
  { name: 'name', label: 'Person who may NOT pick up', required: true },
  {
    name: 'childId',
    label: 'Applies to',
    type: 'select',
    options: [{ value: '', label: 'All children' }, ...h.children.map((c) => ({ value: c.id, label: c.firstName }))],
  },
  { name: 'note', label: 'Note (court order, who to call)', type: 'textarea', maxLength: 1000 },
];

function Section({
  title,
  children,
  onAdd,
  adding,
  addForm,
  empty,
  tone,
}: {
  title: string;
  children: ReactNode[];
  onAdd: () => void;
  adding: boolean;
  addForm: ReactNode;
  empty?: string;
  tone?: 'danger';
}) {
  return (
    <section className={`panel ${tone === 'danger' ? 'panel--danger' : ''}`}>
      <div className="section-head">
        <h2>{title}</h2>
        {!adding && (
          <button type="button" className="btn btn--small" onClick={onAdd}>
            Add
          </button>
        )}
      </div>
      {children.length === 0 && !adding && empty && <p className="muted">{empty}</p>}
      <ul className="edit-list">{children}</ul>
      {adding && addForm}
    </section>
  );
}

function Row({ children, onEdit }: { children: ReactNode; onEdit: () => void }) {
  return (
    <div className="edit-row">
      <div>{children}</div>
      <button type="button" className="link" onClick={onEdit}>
        Edit
      </button>
    </div>
  );
}

/**
 * Import families from a CSV export (admins): a dry run first lists every row's problems; the
 * import itself runs as a job on the server, its progress polled into a real progress bar.
 */
function ImportPanel() {
  const session = useSignedIn();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const timer = setTimeout(() => {
      api('GET /api/imports/:id', { params: { id: job.id } })
        .then((r) => setJob(r.import))
        .catch(() => {});
    }, 400);
    return () => clearTimeout(timer);
  }, [job]);
  if (!atLeast(session.user, 'admin')) return null;
  const start = async (dryRun: boolean) => {
    if (!file) return;
    setError(null);
    setJob(null);
    let body: Reply<'POST /api/imports'>;
    try {
      body = await upload({ dryRun: String(dryRun) as 'true' | 'false', format: format || undefined }, 'text/csv', file); // the bytes: an old Windows-1252 export read as UTF-8 here would be "Jos\uFFFD"
    } catch (e) {
      setError(messageOf(e));
      return;
    }
    setJob({
      id: body.import.jobId,
      status: 'running',
      format: body.import.format,
      dryRun,
      total: body.import.total,
      processed: 0,
      summary: {},
      problems: [],
      error: null,
      rerunOf: null,
      canRerun: true,
    });
  };
  /** An import the server could not finish (it restarted, or the import failed): run the kept file again. */
  const rerun = async () => {
    if (!job) return;
    setError(null);
    try {
      const body = await api('POST /api/imports/:id/rerun', { params: { id: job.id } });
      setJob({ ...job, id: body.import.jobId, status: 'running', processed: 0, summary: {}, problems: [], error: null, rerunOf: job.id });
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const pct = job && job.total ? Math.round((100 * job.processed) / job.total) : job?.status === 'done' ? 100 : 0;
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
          <label className="field">
            <span>CSV file</span>
            <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <label className="field">
            <span>Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as ImportFormat | '')}>
              <option value="">Detect from the header</option>
              <option value="pco">Planning Center</option>
              <option value="rock">Rock RMS</option>
              <option value="breeze">Breeze</option>
              <option value="generic">Generic</option>
            </select>
          </label>
          <p>
            <button type="button" className="btn" disabled={!file || job?.status === 'running'} onClick={() => void start(true)}>
              Dry run
            </button>{' '}
            <button type="button" className="btn btn--primary" disabled={!file || job?.status === 'running'} onClick={() => void start(false)}>
              Import
            </button>
          </p>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {job && (
            <div className="import-job">
              <progress className="import-progress" max={100} value={pct} aria-label="Import progress">
                {pct}%
              </progress>
              <span className="small">
                {' '}
                {job.processed} / {job.total} households
              </span>
              {job.status === 'done' && (
                <p className="import-summary">
                  <strong>{job.summary.line}</strong>
                  {job.summary.unchangedHouseholds ? ` (${job.summary.unchangedHouseholds} already imported, unchanged)` : ''}
                </p>
              )}
              {(job.status === 'failed' || job.status === 'interrupted') && (
                <div className="error" role="alert">
                  <p>The import stopped: {job.error}</p>
                  {job.canRerun && (
                    <button type="button" className="btn" onClick={() => void rerun()}>
                      Run it again
                    </button>
                  )}
                </div>
              )}
              {job.problems.length > 0 && (
                <table className="table import-problems">
                  <thead>
                    <tr>
                      <th>Row</th>
                      <th>Problem (row skipped)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {job.problems.map((p, i) => (
                      <tr key={i}>
                        <td>{p.row}</td>
                        <td>{p.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
