/** One family (staff): its name and language, its people, recent check-ins, express code, pre-check-in, merge and privacy. */
import { useState, type ReactNode } from 'react';
import { api } from '../../api';
import { Link } from '../../router';
import { useSignedIn } from '../../session';
import { ErrorText, Loading } from '../../ui';
import { keys, useApiQuery } from '../../query';
import { SpecForm, str } from '../../forms';
import { dateTimeIn } from '../../format';
import { FamilyPrivacy } from '../FamilyPrivacy';
import { childName, type SaveEdit } from './edit';
import { ExpressCode } from './ExpressCode';
import { FamilyLanguage } from './FamilyLanguage';
import { FamilyPeople } from './FamilyPeople';
import { MergeFamily } from './MergeFamily';
import { PrecheckinLink } from './PrecheckinLink';

export function Family({ id }: { id: string }) {
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
  const save: SaveEdit =
    (key, ...req) =>
    async () => {
      const r = await api(key, ...req);
      fam.setData(r.household);
      setEditing(null);
    };
  const editor = (key: string, display: ReactNode, form: ReactNode) => (editing === key ? form : display);

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
          <strong>Custody alert:</strong> {h.custodyAlerts.map((a) => `do NOT release ${childName(h, a.childId)} to ${a.name}`).join('; ')}
        </div>
      )}

      <FamilyPeople id={id} h={h} tz={tz} editing={editing} setEditing={setEditing} save={save} reload={fam.reload} setData={fam.setData} />

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
