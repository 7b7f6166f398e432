/**
 * Photos for safe pickup (DESIGN §16), offered to a family the kiosk has just registered: child
 * by child, the guardian consents by name, the tablet's camera takes the picture, the server
 * re-encodes and keeps it with the consent record. Always skippable; the server accepts it only
 * from the kiosk that registered the family, within minutes.
 */
import { useEffect, useRef, useState } from 'react';
import type { KioskHouseholdSummary } from '../../../contracts';
import { ApiError, uploadPhoto } from '../api';
import { useI18n } from '../i18n';
import { Face, Screen } from '../ui';

export function Photos({ household, onFinish }: { household: KioskHouseholdSummary; onFinish(): void }) {
  const { t } = useI18n();
  const guardian = household.guardians[0];
  const [index, setIndex] = useState(0);
  const child = household.children[index];
  const [consented, setConsented] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState<'starting' | 'on' | 'none'>('starting');

  useEffect(() => {
    let stream: MediaStream | null = null;
    let live = true;
    if (!navigator.mediaDevices?.getUserMedia) {
      queueMicrotask(() => setCamera('none'));
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'user', width: { ideal: 1280 } }, audio: false })
      .then((s) => {
        if (!live) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        if (video.current) video.current.srcObject = s;
        setCamera('on');
      })
      .catch(() => live && setCamera('none'));
    return () => {
      live = false;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);

  // App offers this screen only to a family with a guardian and a child
  if (!child || !guardian) return null;
  const next = () => {
    setConsented(false);
    setSaved(null);
    setError(null);
    if (index + 1 >= household.children.length) onFinish();
    else setIndex(index + 1);
  };
  const take = async () => {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    setBusy(true);
    setError(null);
    try {
      const canvas = document.createElement('canvas');
      canvas.width = v.videoWidth;
      canvas.height = v.videoHeight;
      canvas.getContext('2d')!.drawImage(v, 0, 0);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
      if (!blob) throw new Error('no picture');
      const r = await uploadPhoto({ kind: 'child', id: child.id }, { consentBy: guardian.id }, blob);
      setSaved(r.photo.url);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t.photoNoCamera);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen title={t.photoTitle(child.firstName)} sub={t.photoHelp} className="screen-photos">
      <label className="photo-consent">
        <input type="checkbox" checked={consented} onChange={(e) => setConsented(e.target.checked)} /> {t.photoConsent(guardian.firstName, child.firstName)}
      </label>
      <div className="photo-stage">
        {camera !== 'none' ? <video ref={video} autoPlay playsInline muted className="photo-video" /> : <p className="hint">{t.photoNoCamera}</p>}
        {saved && (
          <div data-testid="photo-saved">
            <Face url={saved} alt={child.firstName} />
            <p role="status">{t.photoSaved}</p>
          </div>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="btn btn-primary btn-xl" disabled={!consented || camera !== 'on' || busy} onClick={() => void take()}>
          {saved ? t.photoAgain : t.photoTake}
        </button>
        <button type="button" className="btn btn-secondary btn-lg" onClick={next} disabled={busy}>
          {saved ? t.photoNext : t.photoSkip}
        </button>
      </div>
    </Screen>
  );
}
