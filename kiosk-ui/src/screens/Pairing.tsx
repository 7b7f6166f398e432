import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import type { KioskSession } from '../session';
import { Screen, Spinner } from '../ui';

export function Pairing({ onPaired, notice }: { onPaired(s: KioskSession): void; notice?: string }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const pairingCode = code.trim().toUpperCase();
    if (pairingCode.length < 6) {
      setError(t.pairWrong);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api('POST /api/kiosks/pair', { body: { pairingCode }, auth: false });
      if (!r.site) throw new ApiError(400, 'no_site', 'no site');
      onPaired({ token: r.token, kiosk: { id: r.kiosk.id, name: r.kiosk.name, mode: r.kiosk.mode }, site: r.site });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError) setError(err.status === 429 ? t.pairTooMany : t.pairWrong);
      else setError(t.offline);
    }
  }

  return (
    <Screen title={t.pairTitle} sub={t.pairHelp} className="screen-pairing">
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form className="pair-form" onSubmit={submit} noValidate>
        <label htmlFor="pairing-code" className="field-label">
          {t.pairLabel}
        </label>
        <input
          id="pairing-code"
          className="input input-code"
          value={code}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={12}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'pair-error' : undefined}
          onChange={(e) => setCode(e.target.value.toUpperCase().replace(/[^A-Z0-9]/g, ''))}
        />
        {error && (
          <p id="pair-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-xl" disabled={busy}>
          {busy ? (
            <>
              <Spinner />
              {t.pairing}
            </>
          ) : (
            t.pairButton
          )}
        </button>
      </form>
    </Screen>
  );
}
