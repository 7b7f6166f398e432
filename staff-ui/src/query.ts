/**
 * The staff app's one data layer: TanStack Query holds every fetched list, and realtime events
 * update or invalidate its cache. Live room state carries a version (CONVENTIONS habit 15): the
 * cache keeps the newer of an HTTP answer and a socket event, so a slow answer never puts an
 * older number back on screen.
 */
import { QueryClient, useQuery, type QueryClient as QC } from '@tanstack/react-query';
import type { AlertEvent, ServiceRoom, TodayService } from '../../contracts';
import { ApiError, api } from './api';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // a refusal (401/403/404/409) does not get better by asking again
      retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
    },
  },
});

export const keys = {
  today: ['services', 'today'] as const,
  rooms: (serviceId: string) => ['rooms', serviceId] as const,
  alerts: (serviceId: string) => ['alerts', serviceId] as const,
};

const bySort = (a: ServiceRoom, b: ServiceRoom) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name);
const newer = (incoming: ServiceRoom, held: ServiceRoom | undefined) => !held || (incoming.version ?? 0) >= (held.version ?? 0);

/** One room's state into a list: kept only when it is not older than what the list holds. */
export function mergeRoom(list: ServiceRoom[] | undefined, room: ServiceRoom): ServiceRoom[] | undefined {
  if (!list) return list; // not loaded yet: the first answer brings it
  const held = list.find((r) => r.id === room.id);
  if (!newer(room, held)) return list;
  return [...list.filter((r) => r.id !== room.id), room].sort(bySort);
}
/** A fetched list against the cached one: per room, the newer state wins. */
export function mergeRooms(held: ServiceRoom[] | undefined, fetched: ServiceRoom[]): ServiceRoom[] {
  if (!held) return [...fetched].sort(bySort);
  return fetched
    .map((f) => {
      const h = held.find((r) => r.id === f.id);
      return h && !newer(f, h) ? h : f;
    })
    .sort(bySort);
}
export const putRoom = (qc: QC, room: ServiceRoom) => qc.setQueryData<ServiceRoom[]>(keys.rooms(room.serviceId), (l) => mergeRoom(l, room));

export function useToday() {
  return useQuery({
    queryKey: keys.today,
    queryFn: () => api<{ services: TodayService[] }>('GET', '/api/services/today').then((r) => r.services),
    // check-in windows open and close with the clock, not with an event
    refetchInterval: 60_000,
  });
}

export function useRooms(serviceId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: keys.rooms(serviceId ?? ''),
    enabled: !!serviceId && enabled,
    queryFn: async () => {
      const fetched = (await api<{ rooms: ServiceRoom[] }>('GET', `/api/services/${serviceId}/rooms`)).rooms;
      // an event that arrived while this request was under way is newer: keep it
      return mergeRooms(queryClient.getQueryData<ServiceRoom[]>(keys.rooms(serviceId!)), fetched);
    },
  });
}

export const alertsQuery = (serviceId: string) => ({
  queryKey: keys.alerts(serviceId),
  queryFn: () => api<{ alerts: AlertEvent[] }>('GET', `/api/alerts?serviceId=${serviceId}`).then((r) => r.alerts),
});
export const putAlert = (qc: QC, a: AlertEvent) =>
  qc.setQueryData<AlertEvent[]>(keys.alerts(a.serviceId), (l) => [a, ...(l ?? []).filter((x) => x.id !== a.id)]);
