/**
 * A volunteer checks in to a room (or out) by their phone number (DESIGN §13). The kiosk learns
 * their own name and room alone; the name tag prints on the kiosk's Zebra printer (the server
 * sends it) or, without one, from this tablet's print dialog.
 */
import { useState } from 'react';
import { createPortal } from 'react-dom';
import type { KioskVolunteer, KioskVolunteerCheckinResult } from '../../../contracts';
import { api, ApiError, NetworkError } from '../api';
import { useI18n, type Messages } from '../i18n';
import { formatDigits } from '../format';
import { Screen, Spinner } from '../ui';
import { MAX_PHONE_DIGITS } from './Start';

type Step =
  | { kind: 'phone' }
  | { kind: 'found'; volunteer: KioskVolunteer }
  | { kind: 'in'; result: KioskVolunteerCheckinResult }
  | { kind: 'out'; name: string; roomName: string };

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

function messageFor(e: unknown, t: Messages): string {
  if (e instanceof NetworkError) return t.offline;
  if (!(e instanceof ApiError)) return t.somethingWrong;
  if (e.status === 429) return t.volTooMany;
  const byCode: Record<string, string> = {
    volunteer_not_found: t.volNotFound,
    background_check_required: t.volNotCleared,
    already_serving: t.volAlready,
    room_closed: t.volRoomClosed,
    forbidden: t.notAllowed,
  };
  return byCode[e.code] ?? t.somethingWrong;
}

/** Rendered into <body>, outside the app, so the print CSS shows the tag alone. */
function TagSheet({ label, word }: { label: KioskVolunteerCheckinResult['label']; word: string }) {
  // the campus's volunteer badge template, rendered and escaped by the server (contracts/labels/html.ts), with its @page size
  if (label.html)
    return createPortal(
      <div className="print-sheet print-sheet--templates" aria-hidden="true" data-testid="vol-tag-sheet" dangerouslySetInnerHTML={{ __html: label.html }} />,
      document.body,
    );
  return createPortal(
    <div className="print-sheet" aria-hidden="true">
      <div className="label label-volunteer">
        <div className="vol-tag-word">{word}</div>
        <div className="vol-tag-name">{label.name}</div>
        <div className="vol-tag-room">{label.roomName}</div>
        <div className="vol-tag-when">
          {label.date} · {label.serviceName}
        </div>
      </div>
    </div>,
    document.body,
  );
}

export function Volunteer({ serviceId, onFinish }: { serviceId: string; onFinish(): void }) {
  const { t } = useI18n();
  const [digits, setDigits] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'phone' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(messageFor(e, t));
    } finally {
      setBusy(false);
    }
  };
  const find = () =>
    run(async () => {
      const { volunteer } = await api('POST /api/kiosk/volunteers/lookup', { body: { serviceId, phone: digits } });
      setStep({ kind: 'found', volunteer });
    });
  const checkIn = (roomId: string) =>
    run(async () => {
      const result = await api('POST /api/kiosk/volunteers/checkin', { body: { serviceId, phone: digits, roomId } });
      setStep({ kind: 'in', result });
    });
  const checkOut = () =>
    run(async () => {
      const r = await api('POST /api/kiosk/volunteers/checkout', { body: { serviceId, phone: digits } });
      setStep({ kind: 'out', ...r });
    });

  const errorLine = error && (
    <p className="field-error" role="alert">
      {error}
    </p>
  );

  if (step.kind === 'in') {
    const { result } = step;
    return (
      <Screen title={t.volInTitle(result.roomName)} sub={t.volThanks} className="screen-volunteer">
        <div className="vol-done">
          {result.printed ? (
            <p role="status">{t.volTagPrinting}</p>
          ) : (
            <>
              <TagSheet label={result.label} word={t.volTagWord} />
              <button type="button" className="btn btn-secondary btn-xl" onClick={() => window.print()}>
                {t.volTagPrint}
              </button>
            </>
          )}
          <button type="button" className="btn btn-primary btn-xl" onClick={onFinish}>
            {t.volDone}
          </button>
        </div>
      </Screen>
    );
  }
  if (step.kind === 'out') {
    return (
      <Screen title={t.volOutTitle(step.roomName)} sub={t.volThanks} className="screen-volunteer">
        <div className="vol-done">
          <button type="button" className="btn btn-primary btn-xl" onClick={onFinish}>
            {t.volDone}
          </button>
        </div>
      </Screen>
    );
  }
  if (step.kind === 'found') {
    const v = step.volunteer;
    const rooms = v.rooms.filter((r) => r.id !== v.serving?.roomId);
    return (
      <Screen title={t.volHello(v.name)} sub={v.serving ? t.volServing(v.serving.roomName) : t.volChooseRoom} className="screen-volunteer">
        <div className="vol-found">
          {errorLine}
          {v.serving && (
            <button type="button" className="btn btn-primary btn-xl" disabled={busy} onClick={() => void checkOut()}>
              {t.volCheckOut(v.serving.roomName)}
            </button>
          )}
          {v.serving && rooms.length > 0 && <p className="screen-sub">{t.volMoveRoom}</p>}
          <div className="vol-rooms" role="group" aria-label={t.volChooseRoom}>
            {rooms.map((r) => (
              <button key={r.id} type="button" className="btn btn-secondary btn-xl" disabled={busy} onClick={() => void checkIn(r.id)}>
                {busy ? <Spinner /> : null}
                {r.name}
              </button>
            ))}
          </div>
          <button type="button" className="btn btn-ghost" onClick={onFinish}>
            {t.back}
          </button>
        </div>
      </Screen>
    );
  }

  const press = (k: string) => {
    if (digits.length < MAX_PHONE_DIGITS) setDigits(digits + k);
    setError(null);
  };
  return (
    <Screen title={t.volTitle} sub={t.volPrompt} className="screen-start screen-volunteer">
      <div className="start-grid">
        <div className="start-main">
          <div className="phone-display" role="status" aria-live="polite" aria-label={`${t.phoneLabel}: ${digits.split('').join(' ')}`}>
            {digits ? <span className="phone-digits">{formatDigits(digits)}</span> : <span className="phone-placeholder">{t.phoneLabel}</span>}
          </div>
          {errorLine}
          <button type="button" className="btn btn-primary btn-xl btn-find" disabled={digits.length < 10 || busy} onClick={() => void find()}>
            {busy ? (
              <>
                <Spinner />
                {t.finding}
              </>
            ) : (
              t.volFind
            )}
          </button>
          <div className="start-secondary">
            <button type="button" className="btn btn-ghost" onClick={onFinish}>
              {t.back}
            </button>
          </div>
        </div>
        <div className="keypad" role="group" aria-label={t.phoneLabel}>
          {KEYS.map((k) => (
            <button key={k} type="button" className="key" onClick={() => press(k)}>
              {k}
            </button>
          ))}
          <button type="button" className="key key-fn" onClick={() => setDigits('')} disabled={!digits}>
            {t.clear}
          </button>
          <button type="button" className="key" onClick={() => press('0')}>
            0
          </button>
          <button type="button" className="key key-fn" onClick={() => setDigits(digits.slice(0, -1))} disabled={!digits} aria-label={t.deleteDigit}>
            ⌫
          </button>
        </div>
      </div>
    </Screen>
  );
}
