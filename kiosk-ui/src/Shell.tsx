/** The kiosk's frame around every screen: the top bar (campus, service), the offline banner, "Still there?". */
import type { ReactNode } from 'react';
import type { Service } from '../../contracts';
import { useI18n } from './i18n';
import type { KioskSession } from './session';
import { Screen, Spinner, StillThere } from './ui';

export function Shell({
  session,
  service,
  online,
  live,
  idle,
  children,
}: {
  session: KioskSession | null;
  service: Service | null;
  online: boolean;
  live: boolean;
  idle: { secondsLeft: number | null; stay(): void };
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="app" data-live-status={live ? 'live' : 'offline'}>
      <header className="topbar">
        <span className="brand">{t.appName}</span>
        {session && (
          <span className="where">
            <span className="site-name">{session.site.name}</span>
            {service && <span className="service-name">{service.name}</span>}
          </span>
        )}
      </header>
      {!online && (
        <div className="banner-offline" role="alert">
          <Spinner />
          {t.offline}
        </div>
      )}
      <main className="main">{children}</main>
      {idle.secondsLeft !== null && <StillThere secondsLeft={idle.secondsLeft} onStay={idle.stay} />}
    </div>
  );
}

/** Paired, before the services are known (or while the server cannot be reached). */
export function Loading({ online }: { online: boolean }) {
  const { t } = useI18n();
  return (
    <div className="loading" role="status">
      <Spinner />
      {online ? t.loading : t.reconnecting}
    </div>
  );
}

/** Paired, and no service is open for check-in now. */
export function Closed() {
  const { t } = useI18n();
  return (
    <Screen title={t.closedTitle} sub={t.closedHelp} className="screen-closed">
      <span />
    </Screen>
  );
}
