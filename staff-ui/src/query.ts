/**
 * The staff app's one data layer: TanStack Query holds every fetched list, and realtime events
 * update or invalidate its cache. Live room state carries a version (CONVENTIONS habit 15): the
 * cache keeps the newer of an HTTP answer and a socket event, so a slow answer never puts an
 * older number back on screen.
 */
import { QueryClient, useQuery, useQueryClient, type QueryKey, type QueryClient as QC } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { AlertEvent, ServiceRoom } from '../../contracts';
import { ApiError, api, messageOf } from './api';
import { useRealtime } from './realtime';

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
  household: (id: string) => ['household', id] as const,
  householdSearch: (term: string) => ['household', 'search', term] as const,
  roster: (serviceId: string, roomId: string | undefined, all: boolean) => ['roster', serviceId, roomId ?? '', all] as const,
  siteSettings: ['site', 'settings'] as const,
  rooms: (serviceId: string) => ['rooms', serviceId] as const,
  alerts: (serviceId: string) => ['alerts', serviceId] as const,
  /** the campus's alerts of no one service (a label printer down) */
  siteAlerts: ['alerts', 'site'] as const,
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
    queryFn: () => api('GET /api/services/today').then((r) => r.services),
    // check-in windows open and close with the clock, not with an event
    refetchInterval: 60_000,
  });
}

export function useRooms(serviceId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: keys.rooms(serviceId ?? ''),
    enabled: !!serviceId && enabled,
    queryFn: async () => {
      const fetched = (await api('GET /api/services/:id/rooms', { params: { id: serviceId! } })).rooms;
      // an event that arrived while this request was under way is newer: keep it
      return mergeRooms(queryClient.getQueryData<ServiceRoom[]>(keys.rooms(serviceId!)), fetched);
    },
  });
}

export const alertsQuery = (serviceId: string) => ({
  queryKey: keys.alerts(serviceId),
  queryFn: () => api('GET /api/alerts', { query: { serviceId } }).then((r) => r.alerts),
});
export const siteAlertsQuery = () => ({
  queryKey: keys.siteAlerts,
  queryFn: () => api('GET /api/site-alerts').then((r) => r.alerts),
});
export const putAlert = (qc: QC, a: AlertEvent) =>
  qc.setQueryData<AlertEvent[]>(a.serviceId ? keys.alerts(a.serviceId) : keys.siteAlerts, (l) => [a, ...(l ?? []).filter((x) => x.id !== a.id)]);

type Updater<T> = T | undefined | ((held: T | undefined) => T | undefined);

/**
 * A page's fetch through the cache, in the shape the pages use: `data` (what the cache holds for
 * this key, shown at once when the page is opened again, then refreshed in the background, so
 * navigation never flashes "Loading"), `error` in plain words, `loading` only while there is
 * nothing to show, `reload()` after an action, `setData()` to put an answer the server gave.
 * `keepPrevious`: while a new key loads, keep showing the previous key's data (`placeholder` is
 * then true) — only for filters of one list (dates, buckets), never when the key names another
 * thing (another family), where old data would be the wrong thing on screen.
 */
export function useApiQuery<T>(
  queryKey: QueryKey,
  queryFn: () => Promise<T>,
  opts: { enabled?: boolean; keepPrevious?: boolean | ((previous: T | undefined) => T | undefined) } = {},
) {
  const qc = useQueryClient();
  const q = useQuery<T, Error, T, QueryKey>({
    queryKey,
    queryFn,
    enabled: opts.enabled ?? true,
    // pages show what may have changed elsewhere: what the cache holds is shown, then refreshed
    staleTime: 0,
    refetchOnMount: 'always',
    // the previous answer while the next key loads (keepPreviousData's behaviour); typed loosely because
    // TanStack's NonFunctionGuard<T> cannot be satisfied for a generic T
    placeholderData: (typeof opts.keepPrevious === 'function'
      ? opts.keepPrevious
      : opts.keepPrevious
        ? (previous: T | undefined) => previous
        : undefined) as never,
  });
  const key = JSON.stringify(queryKey);
  const setData = useCallback((u: Updater<T>) => qc.setQueryData<T>(JSON.parse(key) as QueryKey, u as T | ((held: T | undefined) => T | undefined)), [qc, key]);
  const { refetch } = q;
  const reload = useCallback(async () => {
    await refetch();
  }, [refetch]);
  return {
    data: q.data,
    error: q.error ? messageOf(q.error) : null,
    loading: q.isPending && q.fetchStatus !== 'idle',
    placeholder: q.isPlaceholderData,
    fetching: q.isFetching,
    setData,
    reload,
  };
}

/**
 * The cache follows the live events for every staff page: a check-in or check-out makes the
 * family and roster entries stale (the ones on screen refetch now, the others when next shown);
 * after a reconnect everything is refetched (events sent meanwhile were missed). Mounted once, in
 * the shell.
 */
export function useLiveCache() {
  const qc = useQueryClient();
  useRealtime({
    'checkin.created': (e) => {
      void qc.invalidateQueries({ queryKey: ['roster', e.serviceId] });
      void qc.invalidateQueries({ queryKey: ['household'] });
    },
    'checkin.checkedOut': (e) => {
      void qc.invalidateQueries({ queryKey: ['roster', e.serviceId] });
      void qc.invalidateQueries({ queryKey: ['household'] });
    },
    reconnected: () => void qc.invalidateQueries(),
  });
}

/** `value`, once it has stood still for `ms` (the first value at once). */
export function useDebouncedValue<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * The family search, keyed by its term: what is shown is always the answer for `term` (a slow
 * answer to "Jo" lands in the "Jo" entry of the cache and never shows under "Johnson"); a term
 * searched before shows at once. `results` is null below 2 characters and while the term's first
 * answer is on its way.
 */
export function useFamilySearch(input: string, ms = 250) {
  const term = useDebouncedValue(input.trim(), ms);
  const enabled = term.length >= 2;
  const q = useQuery({
    queryKey: keys.householdSearch(term),
    queryFn: () => api('GET /api/households/search', { query: { q: term } }).then((r) => r.households),
    enabled,
    staleTime: 0,
  });
  return { term, results: enabled ? (q.data ?? null) : null, error: enabled ? q.error : null, busy: enabled && q.isFetching };
}
