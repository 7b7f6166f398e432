/** Small shared pieces: buttons with busy state, errors, status chips (data loading is query.ts). */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, getToken, messageOf } from './api';
import { Face as SharedFace } from '../../ui-shared/Face';

/** Coalesces bursts (a family of four checking in = several events) into one refetch. */
export function useDebounced(fn: () => void, ms = 150) {
  const t = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const f = useRef(fn);
  // the latest fn, kept after each render (never written during one)
  useLayoutEffect(() => {
    f.current = fn;
  });
  useEffect(() => () => clearTimeout(t.current), []);
  return useCallback(() => {
    clearTimeout(t.current);
    t.current = setTimeout(() => f.current(), ms);
  }, [ms]);
}

/** The clock as state, ticking every `ms`: a render reads it instead of calling Date.now() (react-hooks/purity). */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function ErrorText({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  const msg = typeof error === 'string' ? error : messageOf(error);
  return (
    <p className="error" role="alert" id={id}>
      {msg}
    </p>
  );
}

/** A button that runs an async action, shows it is busy and reports a failure next to itself. */
export function ActionButton({
  onClick,
  children,
  className = '',
  disabled,
  title,
  confirm,
  onError,
}: {
  onClick: () => Promise<unknown>;
  children: ReactNode;
  className?: string;
  disabled?: boolean;
  title?: string;
  confirm?: string;
  onError?: (e: unknown) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const run = async () => {
    if (confirm && !window.confirm(confirm)) return;
    setBusy(true);
    setErr(null);
    try {
      await onClick();
    } catch (e) {
      if (onError) onError(e);
      else setErr(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={`btn ${className}`} onClick={run} disabled={disabled || busy} title={title} aria-busy={busy}>
        {children}
      </button>
      {err && (
        <span className="error inline" role="alert">
          {err}
        </span>
      )}
    </>
  );
}

export const fieldError = (e: unknown, field: string) => (e instanceof ApiError && e.field === field ? messageOf(e) : null);

export function Badge({ tone, children, title }: { tone: 'red' | 'amber' | 'green' | 'grey' | 'blue' | 'purple'; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge--${tone}`} title={title}>
      {children}
    </span>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" aria-live="polite">
      {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** The status words of a text message as a coloured chip. */
export function SmsStatus({ status, error }: { status: string; error?: string | null }) {
  const tone =
    status === 'delivered'
      ? 'green'
      : status === 'failed' || status === 'undelivered'
        ? 'red'
        : status === 'sent' || status === 'queued'
          ? 'blue'
          : status === 'logged'
            ? 'amber'
            : 'grey';
  const label: Record<string, string> = {
    pending: 'Queued here',
    sending: 'Sending',
    queued: 'Accepted',
    sent: 'Sent',
    delivered: 'Delivered',
    undelivered: 'Not delivered',
    failed: 'Failed',
    logged: 'Logged, not sent',
  };
  return (
    <Badge tone={tone} title={error ?? (status === 'logged' ? 'No SMS provider is configured: this text was written to the server log, not sent' : undefined)}>
      <span data-sms-status={status}>{label[status] ?? status}</span>
    </Badge>
  );
}

/** A person's photo (ui-shared/Face.tsx), fetched with the sign-in's token. */
export const Face = (p: { url: string | null | undefined; alt: string; size?: 'large' | 'small' }) => <SharedFace {...p} token={getToken} />;
