/**
 * Organisation admins: the organisation's campuses (DESIGN §10, §21). Add one from the rooms
 * template or as a copy of another campus (its rooms, settings and wording), rename one, set its
 * time zone. A campus's services, kiosks and people are its own: set them up after switching to it.
 */
import { useState } from 'react';
import type { OrganizationInfo } from '../../../../contracts';
import { api, getToken, setToken } from '../../api';
import { ActionButton, ErrorText, Loading } from '../../ui';
import { useSession } from '../../session';
import { useApiQuery } from '../../query';
import { SpecForm, str, type FieldSpec } from '../../forms';

type Campus = OrganizationInfo['campuses'][number];

/** Every IANA zone the browser knows, with the current value kept even when the list lacks it (e.g. UTC). */
function zoneOptions(current: string) {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const all = zones.includes(current) || !current ? zones : [current, ...zones];
  return all.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));
}

const editFields = (timezone: string): FieldSpec[] => [
  { name: 'name', label: 'Name', required: true, maxLength: 120, hint: 'It begins every text message families get from this campus' },
  { name: 'timezone', label: 'Time zone', type: 'select', required: true, options: zoneOptions(timezone) },
];

export default function Campuses() {
  const org = useApiQuery(['org'], async () => (await api('GET /api/org')).organization);
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { session } = useSession();
  // a new sign-in at that campus (the old one ends), kept where the old one was kept
  const workAt = async (siteId: string) => {
    const kept = localStorage.getItem('kc.staff.token') === getToken();
    const r = await api('POST /api/auth/switch-campus', { body: { siteId } });
    setToken(r.token, kept);
    location.assign('/staff/dashboard');
  };
  if (org.error) return <ErrorText error={org.error} />;
  if (!org.data) return <Loading />;
  const campuses = org.data.campuses;
  const firstZone = campuses[0]?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const addFields: FieldSpec[] = [
    { name: 'name', label: 'Name', required: true, maxLength: 120 },
    {
      name: 'from',
      label: 'Start from',
      type: 'select',
      required: true,
      options: [
        { value: '', label: 'The organisation’s rooms template' },
        ...campuses.map((c) => ({ value: c.id, label: `A copy of ${c.name} (rooms, settings, wording)` })),
      ],
    },
    { name: 'timezone', label: 'Time zone', type: 'select', required: true, options: zoneOptions(firstZone) },
  ];
  return (
    <div className="admin campuses-admin">
      <div className="page-head">
        <h1 className="page-title">Campuses — {org.data.name}</h1>
        {editing !== 'new' && (
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => {
              setEditing('new');
              setDone(null);
            }}
          >
            Add a campus
          </button>
        )}
      </div>
      <p className="muted">A new campus is usable at once. Its services, kiosks and people are its own: choose “Work here” to set them up there.</p>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {editing === 'new' && (
        <section className="panel" aria-labelledby="new-campus">
          <h2 id="new-campus">New campus</h2>
          <SpecForm
            fields={addFields}
            initial={{ name: '', from: '', timezone: firstZone }}
            submitLabel="Add campus"
            onCancel={() => setEditing(null)}
            onSubmit={async (v) => {
              const from = str(v.from);
              const made = (
                await api('POST /api/org/campuses', {
                  body: { name: str(v.name), timezone: str(v.timezone), ...(from ? { copyFromSiteId: from } : {}) },
                })
              ).campus;
              setEditing(null);
              setDone(`${made.name} added with ${made.rooms} ${made.rooms === 1 ? 'room' : 'rooms'}.`);
              await org.reload();
            }}
          />
        </section>
      )}
      <ul className="card-list" aria-label="Campuses">
        {campuses.map((c: Campus) => (
          <li key={c.id} className="panel" data-testid="campus" data-campus-id={c.id}>
            {editing === c.id ? (
              <SpecForm
                fields={editFields(c.timezone)}
                initial={{ name: c.name, timezone: c.timezone }}
                submitLabel="Save campus"
                onCancel={() => setEditing(null)}
                onSubmit={async (v) => {
                  const patch: { name?: string; timezone?: string } = {};
                  if (str(v.name) !== c.name) patch.name = str(v.name);
                  if (str(v.timezone) !== c.timezone) patch.timezone = str(v.timezone);
                  if (Object.keys(patch).length) {
                    const site = (await api('PATCH /api/org/campuses/:id', { params: { id: c.id }, body: patch })).site;
                    setDone(`${site.name} saved.`);
                  }
                  setEditing(null);
                  await org.reload();
                }}
              />
            ) : (
              <div className="edit-row">
                <div>
                  <strong>{c.name}</strong>
                  <div className="muted small">
                    {c.timezone.replace(/_/g, ' ')}
                    {c.id === session?.site?.id ? ' · you are working here' : ''}
                  </div>
                </div>
                {c.id !== session?.site?.id && (
                  <ActionButton className="btn--ghost btn--small" onClick={() => workAt(c.id)}>
                    Work here
                  </ActionButton>
                )}
                <button
                  type="button"
                  className="link"
                  aria-label={`Edit ${c.name}`}
                  onClick={() => {
                    setEditing(c.id);
                    setDone(null);
                  }}
                >
                  Edit
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
