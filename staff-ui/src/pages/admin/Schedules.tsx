/**
 * Admin → Services: the campus's weekly service times. Each makes its services 8 weeks ahead at
 * that time on the campus's clock (DST included); a date can be skipped (Christmas on a Sunday)
 * and taken back; a change re-makes only the services nobody has used yet.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Schedule } from '../../../../contracts';
import { api } from '../../api';
import { ActionButton, Badge, ErrorText, Loading } from '../../ui';
import { useApiQuery } from '../../query';
import { SpecForm, str, type FieldSpec, type Values } from '../../forms';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const plural = (d: number) => `${DAYS[d]}s`;

export function WeeklySchedules({ windowMinutes }: { windowMinutes: number }) {
  const qc = useQueryClient();
  const list = useApiQuery(['schedules'], () => api('GET /api/schedules').then((r) => r.schedules));
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const changed = async () => {
    setError(null);
    await Promise.all([list.reload(), qc.invalidateQueries({ queryKey: ['services'] })]);
  };
  const fields: FieldSpec[] = [
    { name: 'name', label: 'Name', required: true, placeholder: 'e.g. Sunday 9:00' },
    { name: 'weekday', label: 'Every', type: 'select', options: DAYS.map((d, i) => ({ value: String(i), label: d })) },
    { name: 'time', label: 'Starts at (campus time)', required: true, placeholder: '09:00' },
    { name: 'opensBefore', label: 'Check-in opens (minutes before)', type: 'number', min: 0, max: 720 },
    { name: 'closesAfter', label: 'Check-in closes (minutes after start)', type: 'number', min: 0, max: 720 },
    { name: 'overflowOpen', label: 'Overflow rooms open from the start', type: 'checkbox' },
  ];
  const body = (v: Values) => ({
    name: str(v.name),
    weekday: Number(str(v.weekday) || 0),
    time: str(v.time),
    opensBeforeMinutes: Number(str(v.opensBefore) || 0),
    closesAfterMinutes: Number(str(v.closesAfter) || 0),
    overflowOpen: v.overflowOpen === true,
  });

  return (
    <section className="panel weekly-schedules" aria-label="Weekly services">
      <div className="page-head">
        <h2>Weekly services</h2>
        {editing !== 'new' && (
          <button type="button" className="btn" onClick={() => setEditing('new')}>
            Add a weekly service
          </button>
        )}
      </div>
      <p className="muted small">Each makes its services 8 weeks ahead, at the same time on the campus’s clock.</p>
      {editing === 'new' && (
        <SpecForm
          fields={fields}
          initial={{ name: '', weekday: '0', time: '09:00', opensBefore: String(windowMinutes), closesAfter: '60', overflowOpen: false }}
          submitLabel="Add"
          onCancel={() => setEditing(null)}
          onSubmit={async (v) => {
            await api('POST /api/schedules', { body: body(v) });
            setEditing(null);
            await changed();
          }}
        />
      )}
      <ErrorText error={list.error ?? error} />
      {list.loading && !list.data && <Loading />}
      {list.data?.length === 0 && editing !== 'new' && <p className="muted">No weekly services yet: services are added one by one below.</p>}
      <ul className="card-list">
        {list.data?.map((s) => (
          <li key={s.id} className="schedule" data-schedule-id={s.id}>
            {editing === s.id ? (
              <SpecForm
                fields={fields}
                initial={{
                  name: s.name,
                  weekday: String(s.weekday),
                  time: s.time,
                  opensBefore: String(s.opensBeforeMinutes),
                  closesAfter: String(s.closesAfterMinutes),
                  overflowOpen: s.overflowOpen,
                }}
                onCancel={() => setEditing(null)}
                onSubmit={async (v) => {
                  await api('PATCH /api/schedules/:id', { params: { id: s.id }, body: body(v) });
                  setEditing(null);
                  await changed();
                }}
                onDelete={async () => {
                  await api('DELETE /api/schedules/:id', { params: { id: s.id } });
                  setEditing(null);
                  await changed();
                }}
                deleteLabel="End this weekly service"
                deleteConfirm={`End ${s.name}? Its future services nobody has used are removed.`}
              />
            ) : (
              <div className="edit-row">
                <div>
                  <strong>{s.name}</strong> <Badge tone="grey">{`${plural(s.weekday)} ${s.time}`}</Badge>
                  <div className="muted small">
                    check-in {s.opensBeforeMinutes} min before to {s.closesAfterMinutes} min after · {s.upcoming.length} services made
                    {s.overflowOpen ? ' · overflow open' : ''}
                  </div>
                  <SkipControls schedule={s} onChanged={changed} onError={(e) => setError(e instanceof Error ? e.message : String(e))} />
                </div>
                <button type="button" className="link" onClick={() => setEditing(s.id)}>
                  Edit
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function SkipControls({ schedule: s, onChanged, onError }: { schedule: Schedule; onChanged: () => Promise<void>; onError: (e: unknown) => void }) {
  const [date, setDate] = useState('');
  const choices = s.upcoming.map((u) => u.serviceDate);
  return (
    <div className="skip-row small">
      <label>
        <span>Skip a date</span>{' '}
        <select aria-label={`Date to skip of ${s.name}`} value={date} onChange={(e) => setDate(e.target.value)}>
          <option value="">Choose…</option>
          {choices.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>{' '}
      <ActionButton
        className="btn btn--small"
        disabled={!date}
        onError={onError}
        onClick={async () => {
          await api('POST /api/schedules/:id/skips', { params: { id: s.id }, body: { date } });
          setDate('');
          await onChanged();
        }}
      >
        Skip
      </ActionButton>
      {s.skips.length > 0 && (
        <span className="skips">
          {' '}
          Skipped:{' '}
          {s.skips.map((d) => (
            <span key={d} className="skip" data-skip={d}>
              {d}{' '}
              <ActionButton
                className="link"
                onError={onError}
                onClick={async () => {
                  await api('DELETE /api/schedules/:id/skips/:date', { params: { id: s.id, date: d } });
                  await onChanged();
                }}
              >
                Undo
              </ActionButton>{' '}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
