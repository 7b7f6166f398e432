/** Admin: schedule services and their check-in windows; rooms come from the rooms' defaults. */
import { useState } from 'react';
import type {} from '../../../../contracts';
import { api } from '../../api';
import { useSignedIn } from '../../session';
import { Badge, ErrorText, Loading, useNow } from '../../ui';
import { keys, useApiQuery } from '../../query';
import { SpecForm, str, type FieldSpec, type Values } from '../../forms';
import { addDays, dateInTimezone, instantOfWallTime, wallTimeIn, weekdayOf } from '../../../../contracts/rules';
import { dateTimeIn, timeIn } from '../../format';
import { WeeklySchedules } from './Schedules';

export default function Services() {
  const session = useSignedIn();
  const tz = session.site?.timezone ?? 'UTC';
  const list = useApiQuery(['services', 'all'], () => api('GET /api/services').then((r) => r.services));
  const settings = useApiQuery(keys.siteSettings, () => api('GET /api/site/settings'));
  const [editing, setEditing] = useState<string | null>(null);
  const windowMin = settings.data?.settings.checkinWindowMinutes ?? 60;

  const fields: FieldSpec[] = [
    { name: 'name', label: 'Name', required: true, placeholder: 'e.g. Sunday 9:00' },
    { name: 'startsAt', label: `Starts (${tz})`, type: 'datetime-local', required: true },
    { name: 'opensBefore', label: 'Check-in opens (minutes before)', type: 'number', min: 0, max: 720 },
    { name: 'closesAfter', label: 'Check-in closes (minutes after start)', type: 'number', min: 0, max: 720 },
  ];
  const body = (v: Values) => {
    const startsAt = instantOfWallTime(str(v.startsAt), tz).toISOString();
    const start = Date.parse(startsAt);
    return {
      name: str(v.name),
      startsAt,
      checkinOpensAt: new Date(start - Number(str(v.opensBefore) || 0) * 60_000).toISOString(),
      checkinClosesAt: new Date(start + Number(str(v.closesAfter) || 0) * 60_000).toISOString(),
    };
  };
  /** Next Sunday 9:00 on the site's calendar (not the browser's). */
  const nextSunday = () => {
    const today = dateInTimezone(new Date(), tz);
    return `${addDays(today, (7 - weekdayOf(today)) % 7 || 7)}T09:00`;
  };
  const now = useNow(30_000);

  return (
    <div className="admin services-admin">
      <div className="page-head">
        <h1 className="page-title">Services</h1>
        {editing !== 'new' && (
          <button type="button" className="btn btn--primary" onClick={() => setEditing('new')}>
            Schedule a service
          </button>
        )}
      </div>
      {editing === 'new' && settings.data && (
        <section className="panel">
          <h2>New service</h2>
          <SpecForm
            fields={fields}
            initial={{ name: '', startsAt: nextSunday(), opensBefore: String(windowMin), closesAfter: '60' }}
            submitLabel="Schedule"
            onCancel={() => setEditing(null)}
            onSubmit={async (v) => {
              await api('POST /api/services', { body: body(v) });
              setEditing(null);
              await list.reload();
            }}
          />
        </section>
      )}
      {settings.data && <WeeklySchedules windowMinutes={windowMin} />}
      <h2>Services</h2>
      <ErrorText error={list.error ?? settings.error} />
      {list.loading && !list.data && <Loading />}
      <ul className="card-list">
        {list.data?.map((s) => {
          const open = Date.parse(s.checkinOpensAt) <= now && now < Date.parse(s.checkinClosesAt);
          const past = Date.parse(s.checkinClosesAt) <= now;
          return (
            <li key={s.id} className="panel">
              {editing === s.id ? (
                <SpecForm
                  fields={fields}
                  onCancel={() => setEditing(null)}
                  initial={{
                    name: s.name,
                    startsAt: wallTimeIn(s.startsAt, tz).slice(0, 16),
                    opensBefore: String(Math.round((Date.parse(s.startsAt) - Date.parse(s.checkinOpensAt)) / 60_000)),
                    closesAfter: String(Math.round((Date.parse(s.checkinClosesAt) - Date.parse(s.startsAt)) / 60_000)),
                  }}
                  onSubmit={async (v) => {
                    await api('PATCH /api/services/:id', { params: { id: s.id }, body: body(v) });
                    setEditing(null);
                    await list.reload();
                  }}
                  onDelete={
                    s.checkins === 0
                      ? async () => {
                          await api('DELETE /api/services/:id', { params: { id: s.id } });
                          setEditing(null);
                          await list.reload();
                        }
                      : undefined
                  }
                  deleteLabel="Delete service"
                  deleteConfirm={`Delete ${s.name}?`}
                />
              ) : (
                <div className="edit-row">
                  <div>
                    <strong>{s.name}</strong> {open && <Badge tone="green">Check-in open</Badge>} {past && <Badge tone="grey">Past</Badge>}
                    <div className="muted small">
                      {dateTimeIn(s.startsAt, tz)} · check-in {timeIn(s.checkinOpensAt, tz)}–{timeIn(s.checkinClosesAt, tz)} · {s.rooms} rooms · {s.checkins}{' '}
                      check-ins
                    </div>
                  </div>
                  {!past && (
                    <button type="button" className="link" onClick={() => setEditing(s.id)}>
                      Edit
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
