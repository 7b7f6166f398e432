/**
 * A person's photo on the family page (DESIGN §16): shown, taken or replaced (a file, or the
 * tablet's camera through the file picker), deleted. A child's photo needs the consent of one of
 * the family's guardians, named here and recorded by the server with the time.
 */
import { useId, useRef, useState } from 'react';
import type { FamilyDetail } from '../../../contracts';
import { MAX_PHOTO_UPLOAD_BYTES, PHOTO_UPLOAD_TYPES, type PhotoKind } from '../../../contracts/rules';
import { api, messageOf, uploadPhoto } from '../api';
import { Face } from '../ui';

export function PersonPhoto({
  h,
  kind,
  personId,
  name,
  onChanged,
}: {
  h: FamilyDetail;
  kind: PhotoKind;
  personId: string;
  name: string;
  onChanged: () => Promise<void>;
}) {
  const url = h.photos.find((p) => p.kind === kind && p.personId === personId)?.url ?? null;
  const [open, setOpen] = useState(false);
  const [consentBy, setConsentBy] = useState(h.guardians[0]?.id ?? '');
  const [consented, setConsented] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const ids = useId();
  const needsConsent = kind === 'child';
  const guardian = h.guardians.find((g) => g.id === consentBy);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await onChanged();
      setOpen(false);
      setConsented(false);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const upload = (f: File) => {
    if (!PHOTO_UPLOAD_TYPES.includes(f.type as (typeof PHOTO_UPLOAD_TYPES)[number])) return setError('Choose a JPEG, PNG or WebP photo');
    if (f.size > MAX_PHOTO_UPLOAD_BYTES) return setError('That file is over 10 MB');
    void run(() => uploadPhoto({ kind, id: personId }, needsConsent ? { consentBy } : {}, f));
  };

  return (
    <span className="person-photo">
      <Face url={url} alt={name} size="small" />
      {!open ? (
        <button type="button" className="link small" onClick={() => setOpen(true)} aria-label={`Photo of ${name}`}>
          {url ? 'Photo…' : 'Add photo'}
        </button>
      ) : (
        <span className="photo-editor" role="group" aria-label={`Photo of ${name}`}>
          {needsConsent && (
            <>
              <label className="small" htmlFor={`${ids}-by`}>
                Consent given by
              </label>
              <select id={`${ids}-by`} value={consentBy} onChange={(e) => setConsentBy(e.target.value)}>
                {h.guardians.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.firstName} {g.lastName}
                  </option>
                ))}
              </select>
              <label className="small">
                <input type="checkbox" checked={consented} onChange={(e) => setConsented(e.target.checked)} /> {guardian?.firstName ?? 'The guardian'} agrees to
                a photo of {name} for safe pickup
              </label>
            </>
          )}
          <input
            ref={file}
            type="file"
            accept={PHOTO_UPLOAD_TYPES.join(',')}
            capture="user"
            hidden
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) upload(f);
            }}
          />
          <button
            type="button"
            className="btn btn--small"
            disabled={busy || (needsConsent && (!consented || !consentBy))}
            onClick={() => file.current?.click()}
          >
            {url ? 'Replace photo' : 'Take or choose photo'}
          </button>
          {url && (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              disabled={busy}
              onClick={() => {
                if (window.confirm(`Delete the photo of ${name}?`)) void run(() => api('DELETE /api/photos/:kind/:id', { params: { kind, id: personId } }));
              }}
            >
              Delete photo
            </button>
          )}
          <button type="button" className="link small" onClick={() => setOpen(false)} disabled={busy}>
            Close
          </button>
        </span>
      )}
      {error && (
        <span className="error inline" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
