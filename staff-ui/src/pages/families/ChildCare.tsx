/**
 * A child's care flags on the family page (DESIGN §16): the allergy's severity (severe and
 * life-threatening marked in red, as on labels) and care needs, with their own small edit form.
 */
import { useState } from 'react';
import type { FamilyChild, FamilyDetail } from '../../../../contracts';
import { allergyMark, ALLERGY_SEVERITIES, parseCareNeeds, SEVERE_ALLERGY_SYMBOL, type AllergySeverity } from '../../../../contracts/rules/care';
import { api } from '../../api';
import { Badge } from '../../ui';
import { SpecForm, str, type FieldSpec } from '../../forms';

const fields: FieldSpec[] = [
  {
    name: 'allergySeverity',
    label: 'Allergy severity',
    type: 'select',
    options: [{ value: '', label: 'Not recorded' }, ...ALLERGY_SEVERITIES.map((s) => ({ value: s, label: s }))],
  },
  { name: 'careNeeds', label: 'Care needs (separate with ;)', placeholder: 'needs a buddy; epinephrine in bag', wide: true },
];

/** The marks shown beside a child (also used by other screens through the same rule). */
export function CareBadges({ child }: { child: Pick<FamilyChild, 'allergySeverity' | 'careNeeds'> }) {
  const mark = allergyMark(child.allergySeverity);
  return (
    <>
      {mark && (
        <Badge tone="red" title="Prints with this mark on labels">
          {SEVERE_ALLERGY_SYMBOL} {mark}
        </Badge>
      )}
      {child.allergySeverity === 'mild' && <Badge tone="amber">Mild allergy</Badge>}
      {child.careNeeds.map((n) => (
        <Badge key={n} tone="purple">
          {n}
        </Badge>
      ))}
    </>
  );
}

export function ChildCare({ householdId, child, onSaved }: { householdId: string; child: FamilyChild; onSaved(f: FamilyDetail): void }) {
  const [editing, setEditing] = useState(false);
  if (!editing)
    return (
      <span className="child-care">
        <CareBadges child={child} />{' '}
        <button type="button" className="link small" onClick={() => setEditing(true)}>
          Care needs / severity
        </button>
      </span>
    );
  return (
    <SpecForm
      className="child-care-form"
      fields={fields}
      initial={{ allergySeverity: child.allergySeverity ?? '', careNeeds: child.careNeeds.join('; ') }}
      onSubmit={async (v) => {
        const r = await api('PATCH /api/households/:id/children/:childId', {
          params: { id: householdId, childId: child.id },
          body: { allergySeverity: (str(v.allergySeverity) || null) as AllergySeverity | null, careNeeds: parseCareNeeds(str(v.careNeeds)) },
        });
        onSaved(r.household);
        setEditing(false);
      }}
      onCancel={() => setEditing(false)}
    />
  );
}
