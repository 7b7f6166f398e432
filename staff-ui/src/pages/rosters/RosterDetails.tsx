/** A roster line's facts: name and age, allergy, care and custody flags, the medical note on request, time in, presence, code, pages. */
import { useState } from 'react';
import type { RosterEntry } from '../../../../contracts';
import { api, messageOf } from '../../api';
import { ageLabel, timeIn } from '../../format';
import { Badge, SmsStatus } from '../../ui';
import { CareBadges } from '../families/ChildCare';

export function RosterDetails({
  entry: c,
  tz,
  showRoom,
  onError,
}: {
  entry: RosterEntry;
  tz?: string;
  showRoom: boolean;
  onError: (message: string | null) => void;
}) {
  const out = c.status !== 'checked_in';
  const [showMedical, setShowMedical] = useState(false);
  // the note is fetched when opened (each opening is audited), never carried on the roster
  const [medical, setMedical] = useState<string | null>(null);
  const toggleMedical = async () => {
    if (showMedical) return setShowMedical(false);
    onError(null);
    try {
      setMedical((await api('GET /api/checkins/:id/medical-notes', { params: { id: c.id } })).note.medicalNotes);
      setShowMedical(true);
    } catch (err) {
      onError(messageOf(err));
    }
  };
  const [showCode, setShowCode] = useState(false);

  return (
    <div className="roster-main">
      <div className="roster-name">
        <strong>
          {c.firstName} {c.lastName}
        </strong>
        <span className="muted small">
          {' '}
          {ageLabel(c.ageMonths, c.grade)}
          {showRoom ? ` · ${c.roomName}` : ''}
        </span>
      </div>
      <div className="roster-flags">
        {c.allergies && (
          <Badge tone="red" title="Allergies">
            <span data-testid="allergy">Allergy: {c.allergies}</span>
          </Badge>
        )}
        <CareBadges child={c} />
        {/* tap to read: a touch screen has no hover, so the note is a button, not a tooltip (DESIGN §13) */}
        {c.hasMedicalNotes && c.canReadMedicalNotes && (
          <button type="button" className="badge badge--amber medical-toggle" aria-expanded={showMedical} onClick={() => void toggleMedical()}>
            Medical {showMedical ? '▲' : '▼'}
          </button>
        )}
        {c.hasMedicalNotes && !c.canReadMedicalNotes && <Badge tone="amber">Medical — ask the room’s volunteers or staff</Badge>}
        {c.hasCustodyAlert && (
          <Badge tone="purple" title="Check the custody alert at pickup">
            Custody alert
          </Badge>
        )}
        {out && <Badge tone="grey">Picked up{c.pickedUpBy ? ` by ${c.pickedUpBy}` : ''}</Badge>}
        {c.droppedOffBy && <span className="muted small">Dropped off by {c.droppedOffBy}</span>}
      </div>
      {showMedical && medical != null && (
        <p className="medical-note" data-testid="medical-note">
          {medical}
        </p>
      )}
      <div className="roster-meta small">
        <span>In at {timeIn(c.checkedInAt, tz)}</span>
        {!out && <span data-testid="presence">{c.presentAt ? `Present (${timeIn(c.presentAt, tz)})` : 'Not yet arrived'}</span>}
        {c.securityCode && (
          <span className="code">
            Code{' '}
            {showCode ? (
              <strong className="mono" data-testid="code">
                {c.securityCode}
              </strong>
            ) : (
              <span className="mono" aria-label="hidden">
                ••••
              </span>
            )}{' '}
            <button type="button" className="link" onClick={() => setShowCode((s) => !s)} aria-pressed={showCode}>
              {showCode ? 'Hide' : 'Show code'}
            </button>
          </span>
        )}
        {c.pages.length > 0 && (
          <span className="pages" data-testid="page-status">
            Page:{' '}
            {c.pages.map((p) => (
              <SmsStatus key={p.id} status={p.status} error={p.error} />
            ))}
            {c.pages.some((p) => p.error) && <span className="error small"> {c.pages.find((p) => p.error)!.error}</span>}
          </span>
        )}
      </div>
    </div>
  );
}
