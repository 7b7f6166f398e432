import { useEffect, useRef, type ReactNode } from 'react';

/**
 * One screen, one heading. The heading takes focus when the screen appears, so a screen reader
 * announces where the parent is and the keyboard starts from the top.
 */
export function Screen({ title, sub, children, className = '' }: { title: string; sub?: ReactNode; children: ReactNode; className?: string }) {
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => { h.current?.focus({ preventScroll: true }); }, []);
  return (
    <section className={`screen ${className}`} aria-labelledby="screen-title">
      <header className="screen-head">
        <h1 id="screen-title" ref={h} tabIndex={-1}>{title}</h1>
        {sub && <p className="screen-sub">{sub}</p>}
      </header>
      {children}
    </section>
  );
}

export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}
