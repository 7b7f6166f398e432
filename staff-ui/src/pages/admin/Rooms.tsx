/** Admin: the site's rooms — age or grade ranges, kind, default capacity, ratio, order, where the room is. */
import { useState } from 'react';
import type { LocatedAdminRoom as AdminRoom } from '../../../../contracts';
import { MAX_GRADE, MAX_ROOM_LOCATION_LENGTH, MIN_GRADE } from '../../../../contracts/limits';
import { api } from '../../api';
import { ErrorText, Loading } from '../../ui';
import { useApiQuery } from '../../query';
import { SpecForm, numOrNull, str, type FieldSpec, type Values } from '../../forms';
import { ageLabel, gradeName } from '../../format';
import { parseCareNeeds } from '../../../../contracts/rules/care';

const grades = [
  { value: '', label: '—' },
  ...Array.from({ length: MAX_GRADE - MIN_GRADE + 1 }, (_, i) => i + MIN_GRADE).map((g) => ({
    value: String(g),
    label: g === -1 ? 'Pre-K' : g === 0 ? 'K' : String(g),
  })),
];
const FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'ageGroup', label: 'Age group', hint: 'Rooms of one group share alerts (e.g. Toddlers A and B)' },
  {
    name: 'kind',
    label: 'Kind',
    type: 'select',
    options: [
      { value: 'regular', label: 'Regular' },
      { value: 'overflow', label: 'Overflow (used when regular rooms are full)' },
    ],
  },
  { name: 'minAgeMonths', label: 'From age (months)', type: 'number', min: 0, max: 240 },
  { name: 'maxAgeMonths', label: 'To age (months)', type: 'number', min: 0, max: 240 },
  { name: 'minGrade', label: 'From grade', type: 'select', options: grades },
  { name: 'maxGrade', label: 'To grade', type: 'select', options: grades },
  { name: 'defaultCapacity', label: 'Default capacity', type: 'number', min: 0, max: 500, required: true },
  { name: 'ratio', label: 'Children per volunteer', type: 'number', min: 1, max: 100 },
  { name: 'sortOrder', label: 'Order', type: 'number' },
  { name: 'careNeeds', label: 'Care needs this room can meet (separate with ;)', placeholder: 'needs a buddy; epinephrine in bag', wide: true },
  {
    name: 'location',
    label: 'Where it is',
    hint: 'Shown to families at the kiosk beside the room, for those new here',
    placeholder: 'Upstairs, second door on the left',
    maxLength: MAX_ROOM_LOCATION_LENGTH,
    wide: true,
  },
];
const body = (v: Values) => ({
  name: str(v.name),
  ageGroup: str(v.ageGroup),
  kind: str(v.kind) as AdminRoom['kind'],
  minAgeMonths: numOrNull(v.minAgeMonths),
  maxAgeMonths: numOrNull(v.maxAgeMonths),
  minGrade: numOrNull(v.minGrade),
  maxGrade: numOrNull(v.maxGrade),
  defaultCapacity: Number(str(v.defaultCapacity) || 0),
  ratio: numOrNull(v.ratio),
  sortOrder: Number(str(v.sortOrder) || 0),
  careNeeds: parseCareNeeds(str(v.careNeeds)),
  location: str(v.location).trim() || null,
});
const values = (r?: AdminRoom): Values => ({
  name: r?.name ?? '',
  ageGroup: r?.ageGroup ?? '',
  kind: r?.kind ?? 'regular',
  minAgeMonths: r?.minAgeMonths?.toString() ?? '',
  maxAgeMonths: r?.maxAgeMonths?.toString() ?? '',
  minGrade: r?.minGrade?.toString() ?? '',
  maxGrade: r?.maxGrade?.toString() ?? '',
  defaultCapacity: String(r?.defaultCapacity ?? 10),
  ratio: r?.ratio?.toString() ?? '',
  sortOrder: String(r?.sortOrder ?? 0),
  careNeeds: (r?.careNeeds ?? []).join('; '),
  location: r?.location ?? '',
});
const ranges = (r: AdminRoom) =>
  [
    r.minAgeMonths != null || r.maxAgeMonths != null
      ? `${ageLabel(r.minAgeMonths ?? 0, null)} – ${r.maxAgeMonths != null ? ageLabel(r.maxAgeMonths, null) : '…'}`
      : '',
    r.minGrade != null || r.maxGrade != null
      ? `grades ${r.minGrade != null ? gradeName(r.minGrade) : '…'}–${r.maxGrade != null ? gradeName(r.maxGrade) : '…'}`
      : '',
  ]
    .filter(Boolean)
    .join(', ') || 'any age';

export default function Rooms() {
  const list = useApiQuery(['admin', 'rooms'], () => api('GET /api/rooms').then((r) => r.rooms));
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <div className="admin rooms-admin">
      <div className="page-head">
        <h1 className="page-title">Rooms</h1>
        {editing !== 'new' && (
          <button type="button" className="btn btn--primary" onClick={() => setEditing('new')}>
            Add a room
          </button>
        )}
      </div>
      <p className="muted">Changes apply to the service under way at once. A new room joins current services closed — open it from the dashboard.</p>
      {editing === 'new' && (
        <section className="panel">
          <h2>New room</h2>
          <SpecForm
            fields={FIELDS}
            initial={values()}
            submitLabel="Add room"
            onCancel={() => setEditing(null)}
            onSubmit={async (v) => {
              await api('POST /api/rooms', { body: body(v) });
              setEditing(null);
              await list.reload();
            }}
          />
        </section>
      )}
      <ErrorText error={list.error} />
      {list.loading && !list.data && <Loading />}
      <ul className="card-list">
        {list.data?.map((r) => (
          <li key={r.id} className="panel">
            {editing === r.id ? (
              <SpecForm
                fields={FIELDS}
                initial={values(r)}
                onCancel={() => setEditing(null)}
                onSubmit={async (v) => {
                  await api('PATCH /api/rooms/:id', { params: { id: r.id }, body: body(v) });
                  setEditing(null);
                  await list.reload();
                }}
                onDelete={async () => {
                  await api('DELETE /api/rooms/:id', { params: { id: r.id } });
                  setEditing(null);
                  await list.reload();
                }}
                deleteLabel="Archive"
                deleteConfirm={`Archive ${r.name}? It closes in current services and is left out of new ones; attendance history stays.`}
              />
            ) : (
              <div className="edit-row">
                <div>
                  <strong>{r.name}</strong> {r.kind === 'overflow' && <span className="badge badge--grey">overflow</span>}
                  <div className="muted small">
                    {r.ageGroup !== r.name ? `${r.ageGroup} · ` : ''}
                    {ranges(r)} · capacity {r.defaultCapacity}
                    {r.ratio ? ` · 1 volunteer per ${r.ratio}` : ''} · order {r.sortOrder}
                    {r.careNeeds.length ? ` · can meet: ${r.careNeeds.join(', ')}` : ''}
                  </div>
                  {r.location && <div className="muted small">Where: {r.location}</div>}
                </div>
                <button type="button" className="link" onClick={() => setEditing(r.id)}>
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
