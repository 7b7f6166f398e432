import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from './i18n';
import { Face as SharedFace } from '../../ui-shared/Face';
import { getToken } from './api';

/**
 * One screen, one heading. The heading takes focus when the screen appears, so a screen reader
 * announces where the parent is and the keyboard starts from the top.
 */
export function Screen({ title, sub, children, className = '' }: { title: string; sub?: ReactNode; children: ReactNode; className?: string }) {
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    h.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section className={`screen ${className}`} aria-labelledby="screen-title">
      <header className="screen-head">
        <h1 id="screen-title" ref={h} tabIndex={-1}>
          {title}
        </h1>
        {sub && <p className="screen-sub">{sub}</p>}
      </header>
      {children}
    </section>
  );
}

export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}

/**
 * The idle warning over whatever screen is open: a half-filled screen is about to be wiped. Any
 * touch or key keeps it (the idle hook listens); the button says so plainly. Focus goes to the
 * button and back where it was.
 */
export function StillThere({ secondsLeft, onStay }: { secondsLeft: number; onStay(): void }) {
  const { t } = useI18n();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    button.current?.focus({ preventScroll: true });
    return () => {
      before?.focus?.({ preventScroll: true });
    };
  }, []);
  return (
    <div className="still-there-backdrop">
      <div className="still-there" role="alertdialog" aria-modal="true" aria-labelledby="still-there-title" aria-describedby="still-there-help">
        <h2 id="still-there-title">{t.stillThereTitle}</h2>
        <p id="still-there-help" aria-live="polite">
          {t.stillThereHelp(secondsLeft)}
        </p>
        <p className="still-there-count" aria-hidden="true">
          {secondsLeft}
        </p>
        <button type="button" ref={button} className="btn btn-primary btn-xl" onClick={onStay}>
          {t.stillHere}
        </button>
      </div>
    </div>
  );
}

/** A person's photo (ui-shared/Face.tsx), fetched with the kiosk's token. */
export const Face = (p: { url: string | null | undefined; alt: string; size?: 'large' | 'small' }) => <SharedFace {...p} token={getToken} />;
