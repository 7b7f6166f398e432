/**
 * Components both UIs show the same way (CONVENTIONS 19: the UIs share code through this module,
 * never by importing each other's files). Each UI passes what differs (its token).
 */
import { useEffect, useState } from 'react';
import { loadPhoto } from '../contracts/client/photos';

/**
 * A person's photo (DESIGN §16), fetched with the caller's token (contracts/client/photos.ts; a
 * plain <img src> could not send it), or a plain placeholder: `large` is big enough to compare a
 * face at arm's length. `alt` '' beside a name that already says who it is (a button or chip keeps
 * the name as its accessible name).
 */
export function Face({
  url,
  alt,
  size = 'large',
  token,
}: {
  url: string | null | undefined;
  alt: string;
  size?: 'large' | 'small';
  token: () => string | null;
}) {
  const src = usePhoto(url ?? null, token);
  return (
    <span className={`face face--${size}`} data-testid="face" data-photo={url ? 'yes' : 'no'}>
      {src ? (
        <img src={src} alt={alt} />
      ) : (
        <span className="face-none" {...(alt ? { role: 'img', 'aria-label': `${alt}: no photo` } : { 'aria-hidden': true })} />
      )}
    </span>
  );
}

function usePhoto(url: string | null, token: () => string | null): string | null {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    let made: string | null = null;
    loadPhoto(url, token())
      .then((u) => {
        made = u;
        if (live) setSrc(u);
        else URL.revokeObjectURL(u);
      })
      .catch(() => {});
    return () => {
      live = false;
      setSrc(null);
      if (made) URL.revokeObjectURL(made);
    };
  }, [url, token]);
  return src;
}
