import { ageInMonths, assignRooms, dateInTimezone, isEligible, roomLimit, roomStatus, type RoomState } from '../../server/src/capacity/rules';
import { judgeGroup } from '../../server/src/capacity/projection';

const room = (p: Partial<RoomState> & { roomId: string }): RoomState => ({
  name: p.roomId,
  kind: 'regular',
  sortOrder: 0,
  ageGroup: p.roomId,
  open: true,
  capacity: 10,
  volunteers: 0,
  ratio: null,
  ratioOverride: false,
  headcount: 0,
  minAgeMonths: null,
  maxAgeMonths: null,
  minGrade: null,
  maxGrade: null,
  ...p,
});

describe('limit and status', () => {
  test('limit = min(capacity, volunteers × ratio) only when the room has a ratio and ratios are enforced', () => {
    expect(roomLimit(room({ roomId: 'a', capacity: 10, volunteers: 1, ratio: 5 }), true)).toBe(5);
    expect(roomLimit(room({ roomId: 'a', capacity: 10, volunteers: 3, ratio: 5 }), true)).toBe(10);
    expect(roomLimit(room({ roomId: 'a', capacity: 10, volunteers: 1, ratio: 5 }), false)).toBe(10);
    expect(roomLimit(room({ roomId: 'a', capacity: 10, volunteers: 0, ratio: null }), true)).toBe(10);
    expect(roomLimit(room({ roomId: 'a', capacity: 10, volunteers: 1, ratio: 5, ratioOverride: true }), true)).toBe(10);
    expect(roomLimit(room({ roomId: 'a', capacity: 10, volunteers: 0, ratio: 5 }), true)).toBe(0);
  });
  test('status', () => {
    expect(roomStatus(room({ roomId: 'a', headcount: 7 }), 10, 80)).toBe('open');
    expect(roomStatus(room({ roomId: 'a', headcount: 8 }), 10, 80)).toBe('nearly_full');
    expect(roomStatus(room({ roomId: 'a', headcount: 10 }), 10, 80)).toBe('full');
    expect(roomStatus(room({ roomId: 'a', headcount: 0, open: false }), 10, 80)).toBe('closed');
  });
});

describe('age in months at boundaries', () => {
  test.each([
    ['2024-01-15', '2025-01-14', 11],
    ['2024-01-15', '2025-01-15', 12],
    ['2024-01-31', '2024-02-29', 1],
    ['2024-01-31', '2024-02-28', 0],
    ['2023-02-28', '2024-02-28', 12],
    ['2024-02-29', '2025-02-28', 12],
    ['2020-06-01', '2020-06-01', 0],
  ])('%s on %s is %i months', (b, on, m) => expect(ageInMonths(b, on)).toBe(m));
  test('the service date is taken in the site timezone', () => {
    const at = new Date('2026-03-01T04:30:00Z');
    expect(dateInTimezone(at, 'America/Chicago')).toBe('2026-02-28');
    expect(dateInTimezone(at, 'Europe/London')).toBe('2026-03-01');
  });
});

describe('eligibility', () => {
  const toddlers = room({ roomId: 't', minAgeMonths: 18, maxAgeMonths: 35 });
  const k2 = room({ roomId: 'k', minGrade: 0, maxGrade: 2 });
  const anyone = room({ roomId: 'o', kind: 'overflow' });
  test('age boundaries are inclusive', () => {
    expect(isEligible(toddlers, { childId: 'c', ageMonths: 17, grade: null })).toBe(false);
    expect(isEligible(toddlers, { childId: 'c', ageMonths: 18, grade: null })).toBe(true);
    expect(isEligible(toddlers, { childId: 'c', ageMonths: 35, grade: null })).toBe(true);
    expect(isEligible(toddlers, { childId: 'c', ageMonths: 36, grade: null })).toBe(false);
  });
  test('a child with a grade goes by grade', () => {
    expect(isEligible(k2, { childId: 'c', ageMonths: 70, grade: 0 })).toBe(true);
    expect(isEligible(k2, { childId: 'c', ageMonths: 70, grade: null })).toBe(false);
    expect(isEligible(toddlers, { childId: 'c', ageMonths: 20, grade: 1 })).toBe(false);
    expect(isEligible(anyone, { childId: 'c', ageMonths: null, grade: null })).toBe(true);
  });
});

describe('assignment', () => {
  const kid = (id: string, ageMonths = 24) => ({ childId: id, ageMonths, grade: null });
  const t = (id: string, p: Partial<RoomState> = {}) => room({ roomId: id, minAgeMonths: 18, maxAgeMonths: 35, ...p });
  test('fill_in_order uses sort order; balance uses the lowest fill', () => {
    const rooms = [t('b', { sortOrder: 2, headcount: 1 }), t('a', { sortOrder: 1, headcount: 5 })];
    expect(assignRooms([kid('1')], rooms, 'fill_in_order', true).assigned).toEqual([{ childId: '1', roomId: 'a' }]);
    expect(assignRooms([kid('1')], rooms, 'balance', true).assigned).toEqual([{ childId: '1', roomId: 'b' }]);
  });
  test('siblings stay together when one room fits them all', () => {
    const rooms = [t('a', { sortOrder: 1, capacity: 10, headcount: 9 }), t('b', { sortOrder: 2 })];
    const r = assignRooms([kid('1'), kid('2')], rooms, 'fill_in_order', true);
    expect(r.assigned.map((a) => a.roomId)).toEqual(['b', 'b']);
  });
  test('overflow only when every eligible regular room is full', () => {
    const rooms = [t('a', { headcount: 10 }), t('o', { kind: 'overflow', sortOrder: -1 })];
    expect(assignRooms([kid('1')], rooms, 'fill_in_order', true).assigned).toEqual([{ childId: '1', roomId: 'o' }]);
    const rooms2 = [t('a', { headcount: 9 }), t('o', { kind: 'overflow', sortOrder: -1 })];
    expect(assignRooms([kid('1')], rooms2, 'fill_in_order', true).assigned).toEqual([{ childId: '1', roomId: 'a' }]);
  });
  test('refusal reasons', () => {
    const rooms = [t('a', { headcount: 10 })];
    expect(assignRooms([kid('1'), kid('2', 100)], rooms, 'fill_in_order', true).refused).toEqual([
      { childId: '1', reason: 'room_full' },
      { childId: '2', reason: 'no_room_for_age' },
    ]);
    expect(assignRooms([kid('1')], [t('a', { open: false })], 'fill_in_order', true).refused).toEqual([{ childId: '1', reason: 'no_room_for_age' }]);
  });
  test('never past the limit, whatever the batch', () => {
    const rooms = [t('a', { capacity: 3, headcount: 1 })];
    const r = assignRooms([kid('1'), kid('2'), kid('3')], rooms, 'balance', true);
    expect(r.assigned).toHaveLength(2);
    expect(r.refused).toEqual([{ childId: '3', reason: 'room_full' }]);
  });
  test('the ratio limit holds when volunteers are short', () => {
    const rooms = [t('a', { capacity: 10, ratio: 5, volunteers: 1, headcount: 5 })];
    // seats by capacity, not by adults: the child waits for volunteers (DESIGN §15)
    expect(assignRooms([kid('1')], rooms, 'fill_in_order', true).refused[0]?.reason).toBe('waiting_for_volunteers');
    expect(assignRooms([kid('1')], [t('a', { capacity: 5, ratio: 5, volunteers: 1, headcount: 5 })], 'fill_in_order', true).refused[0]?.reason).toBe(
      'room_full',
    );
  });
});

describe('open-a-room projection', () => {
  const r = (headcount: number, p: Partial<RoomState> = {}) => room({ roomId: `r${Math.random()}`, headcount, capacity: 10, ...p });
  test('raises when every open room is at the threshold', () => {
    expect(judgeGroup([r(8), r(9)], 0, 80, true)).toEqual(expect.objectContaining({ raise: true, reason: 'threshold' }));
    expect(judgeGroup([r(8), r(7)], 0, 80, true).raise).toBe(false);
    expect(judgeGroup([r(8), r(0, { open: false })], 0, 80, true).raise).toBe(true);
  });
  test('raises when the arrival rate fills the group within 10 minutes', () => {
    // 10 free seats, 12 arrivals in 10 min = 1.2/min → full in ~9 min
    const v = judgeGroup([r(5), r(5)], 12, 80, true);
    expect(v).toEqual(expect.objectContaining({ raise: true, reason: 'rate', projectedMinutes: 9 }));
    // 5 arrivals in 10 min = 0.5/min → 20 min
    expect(judgeGroup([r(5), r(5)], 5, 80, true).raise).toBe(false);
  });
  test('no open rooms: nothing to judge', () => {
    expect(judgeGroup([r(0, { open: false })], 50, 80, true).raise).toBe(false);
  });
});
