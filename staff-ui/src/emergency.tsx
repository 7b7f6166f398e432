/**
 * The running emergency roll call (DESIGN §15), shared by every screen: one query of
 * GET /api/emergency/current, read again whenever the server says it changed (`emergency.updated`)
 * or the socket comes back. The banner sits on every page while one runs.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Emergency } from '../../contracts';
import { api } from './api';
import { useRealtime } from './realtime';
import { Link } from './router';
import { beep } from './sound';

export const EMERGENCY_KEY = ['emergency', 'current'] as const;

/** `cue`: beep when one starts (the one screen-wide listener: the banner, the wall). */
export function useEmergency(cue = false) {
  const qc = useQueryClient();
  useRealtime({
    'emergency.updated': (e) => {
      if (cue && e.status === 'started') beep();
      void qc.invalidateQueries({ queryKey: EMERGENCY_KEY });
    },
    reconnected: () => void qc.invalidateQueries({ queryKey: EMERGENCY_KEY }),
  });
  return useQuery({
    queryKey: EMERGENCY_KEY,
    queryFn: () => api('GET /api/emergency/current').then((r) => r.emergency),
    staleTime: 0,
  });
}
export const putEmergency = (qc: ReturnType<typeof useQueryClient>, e: Emergency | null) => qc.setQueryData(EMERGENCY_KEY, e?.endedAt ? null : e);

/** On every page while an emergency roll call runs: how far it has got, one tap to the list. */
export function EmergencyBanner({ onPage }: { onPage: boolean }) {
  const { data } = useEmergency(true);
  if (!data || onPage) return null;
  return (
    <div className="emergency-banner" role="alert" data-testid="emergency-banner">
      <strong>Emergency roll call</strong>
      {data.message ? ` — ${data.message}` : ''} · {data.accounted} of {data.total} accounted for{' '}
      <Link to="/emergency" className="btn btn--small emergency-banner-go">
        Open the list
      </Link>
    </div>
  );
}
