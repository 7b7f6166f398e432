/**
 * The volunteers alert ahead (DESIGN §17, #28): the product has no volunteer schedule, so before
 * check-in opens it names the adults needed per room (nobody is expected to be checked in yet);
 * once check-in is open it says how many more than those checked in.
 */
import type { ForecastGroup } from '../../contracts';
import { alertsAhead } from '../../server/src/forecast/forecast-alerts';
import type { GroupPlanState } from '../../server/src/forecast/forecast.service';

const TZ = 'America/Chicago';
const startsAt = Date.parse('2026-12-13T16:00:00Z'); // Sunday 10:00 in Chicago
const at = (minutes: number) => new Date(startsAt + minutes * 60_000);
const opts = (now: Date) => ({ now, leadMinutes: 15, checkinOpensAt: at(-30), checkinClosesAt: at(60), timezone: TZ });

const group: ForecastGroup = {
  key: 'Preschool',
  label: 'Preschool',
  roomIds: ['a', 'b'],
  expectedChildren: 20,
  low: 16,
  high: 24,
  arrivals: [],
  openBy: [],
  volunteersNeeded: [
    { at: at(-30).toISOString(), count: 2, rooms: [{ roomId: 'a', roomName: 'Preschool A', count: 2 }] },
    {
      at: at(-25).toISOString(),
      count: 4,
      rooms: [
        { roomId: 'a', roomName: 'Preschool A', count: 2 },
        { roomId: 'b', roomName: 'Preschool B', count: 2 },
      ],
    },
  ],
};
const state = (present: number): GroupPlanState => ({
  key: 'Preschool',
  rooms: [
    { roomId: 'a', name: 'Preschool A', kind: 'regular', sortOrder: 1, open: true, capacity: 10, ratio: 5, volunteers: present },
    { roomId: 'b', name: 'Preschool B', kind: 'regular', sortOrder: 2, open: true, capacity: 10, ratio: 5, volunteers: 0 },
  ],
  volunteersPresent: present,
});
const volunteers = (present: number, now: Date) =>
  alertsAhead([{ forecast: group, state: state(present) }], opts(now)).find((a) => a.kind === 'forecast_volunteers');

test('before check-in opens: the adults needed per room by the time, no "0 checked in"', () => {
  const a = volunteers(0, at(-40))!;
  expect(a.message).toBe('Preschool needs 2 adults by 9:30 — 2 in Preschool A');
  expect(a.message).not.toMatch(/checked in|more/);
  expect(a.need).toBe(2);
});

test('once check-in is open: how many more than the adults checked in, and where they are needed', () => {
  const a = volunteers(2, at(-29))!;
  expect(a.message).toBe('Preschool needs 2 more adults by 9:35 — 4 in all (2 in Preschool A, 2 in Preschool B), 2 checked in');
  expect(a.conditionKey).toBe('volunteers:4');
  expect(volunteers(3, at(-29))!.message).toMatch(/^Preschool needs 1 more adult by 9:35 — 4 in all .*, 3 checked in$/);
  // enough adults in: nothing to say; after check-in closes: never
  expect(volunteers(4, at(-29))).toBeUndefined();
  expect(volunteers(0, at(61))).toBeUndefined();
});
