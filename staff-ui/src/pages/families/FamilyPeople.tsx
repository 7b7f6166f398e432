/** The family page's people: guardians, children, authorised pickups and custody alerts, each listed and edited in place. */
import type { ReactNode } from 'react';
import type { FamilyDetail } from '../../../../contracts';
import { displayPhone, smsConsentText } from '../../../../contracts/rules';
import { Badge } from '../../ui';
import { SpecForm, orNull, str } from '../../forms';
import { gradeName } from '../../format';
import { PersonPhoto } from '../PersonPhoto';
import { ChildCare } from './ChildCare';
import { childName, type SaveEdit } from './edit';
import { Row, Section } from './EditList';
import { childBody, childFields, custodyFields, guardianBody, guardianFields, pickupFields } from './fields';

export function FamilyPeople({
  id,
  h,
  tz,
  editing,
  setEditing,
  save,
  reload,
  setData,
}: {
  id: string;
  h: FamilyDetail;
  tz: string | undefined;
  /** which row (or Add form) is open: `g:<id>`, `c:<id>`, `guardian:new` … */
  editing: string | null;
  setEditing: (key: string | null) => void;
  save: SaveEdit;
  reload: () => Promise<void>;
  setData: (h: FamilyDetail) => void;
}) {
  const editor = (key: string, display: ReactNode, form: ReactNode) => (editing === key ? form : display);
  return (
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
                <PersonPhoto h={h} kind="guardian" personId={g.id} name={`${g.firstName} ${g.lastName}`} onChanged={reload} />
                <strong>
                  {g.firstName} {g.lastName}
                </strong>{' '}
                <span className="mono">{displayPhone(g.phone)}</span>{' '}
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
                <PersonPhoto h={h} kind="child" personId={c.id} name={`${c.firstName} ${c.lastName}`} onChanged={reload} />
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
                {c.medicalNotes && <Badge tone="amber">Medical: {c.medicalNotes}</Badge>} <ChildCare householdId={id} child={c} onSaved={(f) => setData(f)} />
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
                <PersonPhoto h={h} kind="pickup" personId={p.id} name={p.name} onChanged={reload} />
                <strong>{p.name}</strong> <span className="muted">{p.relationship}</span> <span className="mono small">{displayPhone(p.phone)}</span>
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
                <PersonPhoto h={h} kind="restricted" personId={a.id} name={a.name} onChanged={reload} />
                <strong>{a.name}</strong> <span className="muted small">({childName(h, a.childId)})</span> {a.note}
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
  );
}
