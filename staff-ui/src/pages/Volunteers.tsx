/**
 * Volunteers (staff, DESIGN §13): each volunteer's background check — those running out within 30
 * days highlighted — recorded here by staff (never their own), with the phone number a kiosk knows
 * them by; and who served where and when.
 */
import { useState } from 'react';
import type { BackgroundCheckStatus, VolunteerPerson } from '../../../contracts';
import { BACKGROUND_CHECK_STATUSES, daysUntilExpiry, displayPhone } from '../../../contracts/rules';
import { api } from '../api';
import { useSignedIn } from '../session';
import { ActionButton, Badge, Empty, ErrorText, Loading } from '../ui';
import { useApiQuery } from '../query';
import { dateIn, timeIn } from '../format';

const STATUS_LABEL: Record<BackgroundCheckStatus, string> = { none: 'None', pending: 'Pending', cleared: 'Cleared', failed: 'Failed' };

function CheckBadge({ v, today }: { v: VolunteerPerson; today: string }) {
  const c = v.backgroundCheck;
  if (c.current && v.expiresSoon) return <Badge tone="amber">Expires in {daysUntilExpiry(c.expiresOn, today)} days</Badge>;
  if (c.current) return <Badge tone="green">Cleared</Badge>;
  if (c.status === 'cleared') return <Badge tone="red">Expired</Badge>;
  return <Badge tone={c.status === 'failed' ? 'red' : 'grey'}>{STATUS_LABEL[c.status]}</Badge>;
}

function RecordCheck({ v, onSaved, onCancel }: { v: VolunteerPerson; onSaved: (v: VolunteerPerson) => void; onCancel: () => void }) {
  const [status, setStatus] = useState<BackgroundCheckStatus>(v.backgroundCheck.status === 'none' ? 'cleared' : v.backgroundCheck.status);
  const [expiresOn, setExpiresOn] = useState(v.backgroundCheck.expiresOn ?? '');
  const [phone, setPhone] = useState(v.phone ? displayPhone(v.phone) : '');
  const save = async () => {
    let r = (await api('PUT /api/volunteers/:id/background-check', { params: { id: v.userId }, body: { status, expiresOn: expiresOn || null } })).volunteer;
    if ((phone.trim() || null) !== (v.phone ? displayPhone(v.phone) : null))
      r = (await api('PUT /api/volunteers/:id/phone', { params: { id: v.userId }, body: { phone: phone.trim() || null } })).volunteer;
    onSaved(r);
  };
  return (
    <div className="record-check" role="group" aria-label={`Background check of ${v.name}`}>
      <label className="field">
        <span>Status</span>
        <select value={status} onChange={(e) => setStatus(e.target.value as BackgroundCheckStatus)}>
          {BACKGROUND_CHECK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Expires on</span>
        <input type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />
      </label>
      <label className="field">
        <span>Phone (kiosk check-in)</span>
        <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} autoComplete="off" />
      </label>
      <div className="record-check-actions">
        <ActionButton onClick={save}>Save</ActionButton>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export default function Volunteers() {
  const session = useSignedIn();
  const tz = session.site?.timezone;
  const today = dateIn(new Date().toISOString(), tz);
  const [from, setFrom] = useState(() => dateIn(new Date(Date.now() - 28 * 86_400_000).toISOString(), tz));
  const [to, setTo] = useState(today);
  const [editing, setEditing] = useState<string | null>(null);
  const people = useApiQuery(['volunteers', 'people'], () => api('GET /api/volunteers'));
  const report = useApiQuery(['volunteers', 'report', from, to], () => api('GET /api/reports/volunteers', { query: { from, to } }), {
    keepPrevious: true,
  });
  const list = people.data?.volunteers ?? [];
  const soon = list.filter((v) => v.expiresSoon).length;

  return (
    <div className="volunteers-page">
      <div className="page-head">
        <h1 className="page-title">Volunteers</h1>
      </div>
      <section className="panel" aria-labelledby="checks-title">
        <h2 id="checks-title">Background checks</h2>
        {soon > 0 && (
          <p className="warn" role="status">
            {soon === 1 ? '1 check expires' : `${soon} checks expire`} within 30 days.
          </p>
        )}
        <ErrorText error={people.error} />
        {people.loading && !people.data && <Loading />}
        {people.data && (
          <table className="table" data-testid="checks-table">
            <thead>
              <tr>
                <th>Volunteer</th>
                <th>Phone</th>
                <th>Check</th>
                <th>Expires</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((v) => (
                <tr key={v.userId} data-user-id={v.userId} className={v.expiresSoon ? 'row--expiring' : ''}>
                  <td>
                    <strong>{v.name}</strong>
                  </td>
                  <td>{v.phone ? displayPhone(v.phone) : <span className="muted">—</span>}</td>
                  <td>
                    <CheckBadge v={v} today={today} />
                  </td>
                  <td>{v.backgroundCheck.expiresOn ?? <span className="muted">—</span>}</td>
                  <td>
                    {editing === v.userId ? (
                      <RecordCheck
                        v={v}
                        onCancel={() => setEditing(null)}
                        onSaved={(saved) => {
                          people.setData({ volunteers: list.map((p) => (p.userId === saved.userId ? saved : p)) });
                          setEditing(null);
                        }}
                      />
                    ) : (
                      v.userId !== session.user.id && (
                        <button
                          type="button"
                          className="btn btn--small btn--ghost"
                          onClick={() => setEditing(v.userId)}
                          aria-label={`Record check for ${v.name}`}
                        >
                          Record check
                        </button>
                      )
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-labelledby="served-title">
        <div className="page-head">
          <h2 id="served-title">Who served</h2>
          <div className="range">
            <label className="field">
              <span>From</span>
              <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} />
            </label>
            <label className="field">
              <span>To</span>
              <input type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} />
            </label>
          </div>
        </div>
        <ErrorText error={report.error} />
        {report.loading && !report.data && <Loading />}
        {report.data && report.data.shifts.length === 0 && (
          <Empty>
            <p>
              Nobody served between {from} and {to}.
            </p>
          </Empty>
        )}
        {report.data && report.data.shifts.length > 0 && (
          <table className="table" data-testid="served-table">
            <thead>
              <tr>
                <th>Date</th>
                <th>Service</th>
                <th>Room</th>
                <th>Volunteer</th>
                <th>In</th>
                <th>Out</th>
                <th className="num">Minutes</th>
              </tr>
            </thead>
            <tbody>
              {report.data.shifts.map((s) => (
                <tr key={s.id}>
                  <td>{s.serviceDate}</td>
                  <td>{s.serviceName}</td>
                  <td>{s.roomName}</td>
                  <td>{s.name}</td>
                  <td>{timeIn(s.checkedInAt, tz)}</td>
                  <td>{s.checkedOutAt ? timeIn(s.checkedOutAt, tz) : <Badge tone="blue">In the room</Badge>}</td>
                  <td className="num">{s.minutes ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
