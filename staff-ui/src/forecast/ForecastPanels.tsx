/**
 * Where the forecast shows (DESIGN §17): the dashboard's timelines per age group for the service
 * on screen, the plan of tomorrow's services in one line each (the day before), and the plan line
 * on the wall display before the doors open. All read `GET /api/services/:id/forecast`.
 */
import { useQuery } from '@tanstack/react-query';
import type { Service } from '../../../contracts';
import { addDays, isoDateIn } from '../../../contracts/rules';
import { api } from '../api';
import { useNow } from '../ui';
import { ForecastTimeline } from './Timeline';
import { planSentence } from './plan';

const REFRESH_MS = 60_000;

export function useForecast(serviceId: string | undefined) {
  return useQuery({
    queryKey: ['forecast', serviceId],
    queryFn: () => api('GET /api/services/:id/forecast', { params: { id: serviceId! } }),
    enabled: !!serviceId,
    refetchInterval: REFRESH_MS,
  });
}

/** The dashboard's timelines of one service: one per age group. */
export function ForecastTimelines({ service, tz }: { service: Service; tz: string }) {
  const f = useForecast(service.id);
  return (
    <section className="panel forecast-panel" aria-labelledby="forecast-heading">
      <h2 id="forecast-heading">Forecast</h2>
      {f.error && <p className="muted">The forecast could not be loaded.</p>}
      {f.data && (
        <>
          <p className="forecast-plan" data-testid="forecast-plan">
            {planSentence(f.data, service, tz)}
          </p>
          {f.data.basis.services === 0 ? (
            <p className="muted">
              No past services of this time at this campus yet: the forecast starts once there is history (or import it under Admin → Attendance history).
            </p>
          ) : (
            <>
              <p className="muted small">
                From the last {f.data.basis.services} services like this one. Shaded: the expected range of arrivals; line: expected; bold line: today so far;
                markers: when to open the next room.
              </p>
              <div className="forecast-grid-groups">
                {f.data.groups.map((g) => (
                  <ForecastTimeline key={g.key} group={g} tz={tz} startsAt={service.startsAt} />
                ))}
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}

/** One service's plan line (each line loads its own forecast). */
function PlanLine({ service, tz }: { service: Service; tz: string }) {
  const f = useForecast(service.id);
  if (!f.data) return null;
  return <li data-testid="forecast-plan-line">{planSentence(f.data, service, tz)}</li>;
}

/** The day before: tomorrow's services at this campus, one plan line each. */
export function TomorrowPlan({ tz }: { tz: string }) {
  const tomorrow = addDays(isoDateIn(tz), 1);
  const list = useQuery({
    queryKey: ['services', 'forecast-day', tomorrow],
    queryFn: () => api('GET /api/services', { query: { from: tomorrow, to: tomorrow } }),
    refetchInterval: 10 * REFRESH_MS,
  });
  const services = list.data?.services ?? [];
  if (!services.length) return null;
  return (
    <section className="panel forecast-tomorrow" aria-labelledby="forecast-tomorrow-heading">
      <h2 id="forecast-tomorrow-heading">Tomorrow’s plan</h2>
      <ul className="forecast-plan-lines">
        {services.map((s) => (
          <PlanLine key={s.id} service={s} tz={tz} />
        ))}
      </ul>
    </section>
  );
}

/** The wall display's plan line: today's next service whose doors are not open yet. */
export function WallPlan({ tz }: { tz: string }) {
  const today = isoDateIn(tz);
  const list = useQuery({
    queryKey: ['services', 'forecast-day', today],
    queryFn: () => api('GET /api/services', { query: { from: today, to: today } }),
    refetchInterval: REFRESH_MS,
  });
  const now = useNow(REFRESH_MS);
  const next = (list.data?.services ?? []).filter((s) => Date.parse(s.checkinOpensAt) > now).sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
  const f = useForecast(next?.id);
  if (!next || !f.data) return null;
  return (
    <p className="wall-plan" data-testid="wall-plan">
      Next: {next.name} — {planSentence(f.data, next, tz)}
    </p>
  );
}
