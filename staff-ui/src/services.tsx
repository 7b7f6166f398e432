/**
 * Today's services for pickup, rosters and the dashboard — those open for check-in and those with
 * children still in the rooms after check-in closed (DESIGN §4) — and which one this screen shows.
 */
import { useEffect, useState } from 'react';
import type { Service } from '../../contracts';
import { useToday } from './query';
import { messageOf } from './api';
import { dateTimeIn } from './format';

const KEY = 'kc.staff.service';

export function useCurrentService() {
  const today = useToday();
  const [chosen, setChosen] = useState<string | null>(() => sessionStorage.getItem(KEY));
  const services = today.data ?? [];
  const service = services.find((s) => s.id === chosen) ?? services[0] ?? null;
  useEffect(() => {
    if (service) sessionStorage.setItem(KEY, service.id);
  }, [service]);
  return { services, service, choose: setChosen, loading: today.isLoading, error: today.error ? messageOf(today.error) : null, reload: today.refetch };
}

export function ServicePicker({ services, service, choose, tz }: { services: Service[]; service: Service | null; choose: (id: string) => void; tz?: string }) {
  if (!service) return null;
  if (services.length < 2) {
    return (
      <span className="service-name">
        <strong>{service.name}</strong> <span className="muted">· starts {dateTimeIn(service.startsAt, tz)}</span>
      </span>
    );
  }
  return (
    <label className="service-picker">
      <span className="sr-only">Service</span>
      <select value={service.id} onChange={(e) => choose(e.target.value)}>
        {services.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} — {dateTimeIn(s.startsAt, tz)}
          </option>
        ))}
      </select>
    </label>
  );
}
