/** Who is signed in: the token (sessionStorage, or localStorage when remembered), the user and site. */
import { roleAtLeast } from '../../contracts/rules';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Role, SiteInfo, User } from '../../contracts';
import { NetworkError } from '../../contracts/client/http';
import { api, getToken, setToken, setUnauthorizedHandler } from './api';

export interface Session {
  token: string;
  user: User;
  site: SiteInfo | null;
  /** false: the server has no SMS provider, so texts are logged, not sent (the shell says so) */
  smsSending: boolean;
}
interface SessionApi {
  session: Session | null;
  loading: boolean;
  /** the server could not be reached while signing in: the shell says so and tries again by itself */
  reconnecting: boolean;
  expired: boolean;
  login(email: string, password: string, remember: boolean): Promise<void>;
  logout(): Promise<void>;
}
const Ctx = createContext<SessionApi | null>(null);

const RECONNECT_MS = 3000;

export const atLeast = (user: User | undefined | null, role: Role) => !!user && roleAtLeast(user.role, role);

async function load(token: string): Promise<Session | null> {
  const me = await api('GET /api/auth/me');
  if (me.kind !== 'user' || !me.user) return null;
  const info = await api('GET /api/site').catch(() => null);
  // an unknown answer counts as sending: the banner appears only when the server says it is not
  return { token, user: me.user, site: info?.site ?? null, smsSending: info?.sms?.sending ?? true };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(() => !!getToken());
  const [expired, setExpired] = useState(false);
  const [reconnecting, setReconnecting] = useState(false);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setToken(null);
      setSession((s) => {
        if (s) setExpired(true);
        return null;
      });
    });
    const token = getToken();
    if (!token) return;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const attempt = () =>
      load(token)
        .then((s) => {
          if (!s) setToken(null);
          setSession(s);
          setReconnecting(false);
          setLoading(false);
        })
        .catch((e) => {
          // a page reloaded while the server is away (its shell came from the service worker):
          // keep the sign-in and try again, instead of dropping to the sign-in page
          if (e instanceof NetworkError) {
            setReconnecting(true);
            retry = setTimeout(() => void attempt(), RECONNECT_MS);
            return;
          }
          setSession(null);
          setLoading(false);
        });
    void attempt();
    return () => clearTimeout(retry);
  }, []);

  const login = useCallback(async (email: string, password: string, remember: boolean) => {
    const r = await api('POST /api/auth/login', { body: { email, password } });
    setToken(r.token, remember);
    setExpired(false);
    setSession(await load(r.token));
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('POST /api/auth/logout');
    } catch {
      /* signed out either way */
    }
    setToken(null);
    setSession(null);
  }, []);

  return <Ctx.Provider value={{ session, loading, reconnecting, expired, login, logout }}>{children}</Ctx.Provider>;
}

export function useSession(): SessionApi {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
/** The signed-in session (screens behind the login only). */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('not signed in');
  return session;
}
