/**
 * The check-in's decision step by step (server/src/checkin/decide.ts `frameCase` and `decide`):
 * the request framed over what was read, then — on the committed state, under the regular rooms'
 * locks, under the overflow rooms' locks — either an answer (who goes where, who is refused why)
 * or the rooms to lock next. Pure: no database, every state written out here.
 */
import { decide, frameCase, type CheckinCase, type Committed, type Decision, type Locked } from '../../server/src/checkin/decide';
import type { ChildJson, Present, ServiceRoomJson } from '../../server/src/checkin/checkin.repo';
import type { ServiceContext } from '../../server/src/sites/sites.repo';
import { AppError } from '../../server/src/errors';
import { room, service } from './checkin-fixtures';

const NOW = new Date('2026-12-06T15:00:00Z');
/** a service whose check-in opens only after NOW */
const closed = (id: string) => service(id, undefined, { checkinOpensAt: new Date('2026-12-06T15:30:00Z') });
const overflow = (id: string, o: Partial<ServiceRoomJson> = {}) =>
  room(id, { kind: 'overflow', age_group: '', min_age_months: 0, max_age_months: 71, sort_order: 0, ...o });
/** a child of `months` on 2026-12-06 (born on the 6th, so the age is whole months) */
const child = (id: string, months: number | null, o: Partial<ChildJson> = {}): ChildJson => {
  let birthdate: string | null = null;
  if (months != null) {
    const d = new Date(Date.UTC(2026, 11 - months, 6));
    birthdate = d.toISOString().slice(0, 10);
  }
  return { id, first_name: id, last_name: 'Quill', birthdate, grade: null, allergies: '', allergy_severity: null, care_needs: [], ...o };
};
const counts = (o: Record<string, number> = {}) => new Map(Object.entries(o));
const committedOf = (rows: ServiceRoomJson[], n: Record<string, number> = {}, present: Present[] = [], standing: Committed['standing'] = []): Committed => ({
  rows,
  headcounts: counts(n),
  present,
  standing,
});
const lockedOf = (rows: ServiceRoomJson[], n: Record<string, number> = {}, present: Present[] = [], overflowLocked = false): Locked => ({
  rows,
  headcounts: counts(n),
  present,
  overflowLocked,
});
const frame = (
  services: ServiceContext[],
  children: ChildJson[],
  rooms: ServiceRoomJson[],
  o: { childIds?: string[]; extendStay?: boolean; softOverride?: unknown } = {},
): CheckinCase => frameCase({ childIds: o.childIds ?? children.map((c) => c.id), ...o }, services, children, rooms, NOW);
const answer = (d: Decision) => {
  if (d.kind !== 'answer') throw new Error(`expected an answer, got a lock of ${d.roomIds.join(',')}`);
  return d;
};
const fullAlert = { id: 'a1', service_id: 's1', kind: 'room_full', age_group: 'Toddlers', message: 'x' };

describe('frameCase', () => {
  test('a child not of the household is a 400 naming its index', () => {
    const s = service();
    let err: unknown;
    try {
      frame([s], [child('c1', 24)], [room('A')], { childIds: ['c1', 'stranger'] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 400, field: 'childIds.1' });
  });

  test('services of two days are a 400 naming serviceIds', () => {
    expect(() => frame([service('s1'), service('s2', undefined, { serviceDate: '2026-12-07' })], [child('c1', 24)], [room('A')])).toThrow(
      expect.objectContaining({ status: 400, field: 'serviceIds' }),
    );
  });

  test("each child's age on the service's day; a birthdate without a grade implies the grade for grade-only rooms", () => {
    const s = service();
    const c = frame([s], [child('c1', 24), child('c2', null, { birthdate: '2018-03-01' }), child('c3', null, { grade: 4, birthdate: '2018-03-01' })], []);
    expect(c.kids.map((k) => [k.childId, k.ageMonths, k.grade, k.inferredGrade])).toEqual([
      ['c1', 24, null, null],
      ['c2', 105, null, 3],
      ['c3', 105, 4, null],
    ]);
  });

  test('candidates: open rooms of open services that some child fits (only those are locked)', () => {
    const rooms = [
      room('A'),
      room('shut', { open: false }),
      room('Babies', { min_age_months: 0, max_age_months: 17 }),
      room('later', { service_id: 's2' }),
      overflow('O'),
    ];
    const c = frame([service('s1'), closed('s2')], [child('c1', 24)], rooms);
    expect(c.open.map((s) => s.id)).toEqual(['s1']);
    expect(c.candidates.map((r) => r.room_id)).toEqual(['A', 'O']);
  });
});

describe('decide', () => {
  test('room fill order: by sort order under fill_in_order, by lowest fill under balance', () => {
    const rows = [room('A', { sort_order: 1, capacity: 10 }), room('B', { sort_order: 2, capacity: 10 })];
    const n = { A: 5, B: 1 };
    const inOrder = frame([service()], [child('c1', 24)], rows);
    expect(answer(decide(inOrder, committedOf(rows, n), lockedOf(rows, n))).assigned).toEqual([{ serviceId: 's1', roomId: 'A', childId: 'c1' }]);
    const balanced = frame([service('s1', { ratioEnforcement: 'off', strategy: 'balance' })], [child('c1', 24)], rows);
    expect(answer(decide(balanced, committedOf(rows, n), lockedOf(rows, n))).assigned).toEqual([{ serviceId: 's1', roomId: 'B', childId: 'c1' }]);
  });

  test('siblings go together to one room that fits them all', () => {
    const rows = [room('A', { capacity: 3 }), room('B', { capacity: 3, sort_order: 2 })];
    const c = frame([service()], [child('c1', 20), child('c2', 30)], rows);
    // A has one seat: both go to B rather than split
    const d = answer(decide(c, committedOf(rows, { A: 2 }), lockedOf(rows, { A: 2 })));
    expect(d.assigned.map((a) => a.roomId)).toEqual(['B', 'B']);
    expect(d.addedTo.get('B')).toEqual(new Set(['c1', 'c2']));
  });

  test('on the committed state: the regular candidate rooms are locked first, whatever the counts', () => {
    const rows = [room('A'), room('B'), overflow('O')];
    const c = frame([service()], [child('c1', 24)], rows);
    expect(decide(c, committedOf(rows, { A: 0 }))).toEqual({ kind: 'lock', roomIds: ['A', 'B'] });
  });

  test('capacity full, no alert standing yet: take the lock, and under it refuse room_full', () => {
    const rows = [room('A'), room('B')];
    const c = frame([service()], [child('c1', 24)], rows);
    const n = { A: 2, B: 2 };
    expect(decide(c, committedOf(rows, n)).kind).toBe('lock');
    const d = answer(decide(c, committedOf(rows, n), lockedOf(rows, n)));
    expect(d).toMatchObject({ assigned: [], refused: [{ childId: 'c1', reason: 'room_full', serviceId: 's1' }], withoutLock: false });
  });

  test('capacity full with its alert standing: answered on the committed state, without the lock', () => {
    const rows = [room('A'), room('B')];
    const c = frame([service()], [child('c1', 24)], rows);
    const d = answer(decide(c, committedOf(rows, { A: 2, B: 2 }, [], [fullAlert])));
    expect(d).toMatchObject({ assigned: [], refused: [{ childId: 'c1', reason: 'room_full' }], withoutLock: true });
  });

  test('the locked count wins over the committed one: a seat freed since is taken', () => {
    const rows = [room('A')];
    const c = frame([service()], [child('c1', 24)], rows);
    expect(answer(decide(c, committedOf(rows, { A: 2 }, [], [fullAlert]))).withoutLock).toBe(true);
    // a committed state with the seat: always the lock, and the locked count decides
    expect(decide(c, committedOf(rows, { A: 1 }, [], [fullAlert])).kind).toBe('lock');
    expect(answer(decide(c, committedOf(rows, { A: 1 }), lockedOf(rows, { A: 2 }))).refused).toEqual([{ childId: 'c1', reason: 'room_full', serviceId: 's1' }]);
  });

  test('no room for the age: no_room_for_age, and nothing to lock but where the children are', () => {
    const rows = [room('A'), room('Babies', { min_age_months: 0, max_age_months: 17 })];
    const c = frame([service()], [child('c1', 50)], rows);
    expect(c.candidates).toEqual([]);
    expect(decide(c, committedOf(rows))).toEqual({ kind: 'lock', roomIds: [] });
    expect(answer(decide(c, committedOf(rows), lockedOf([]))).refused).toEqual([{ childId: 'c1', reason: 'no_room_for_age', serviceId: 's1' }]);
  });

  test('grade fit: a graded child goes to the grade room, a child placed by birthdate to the grade its age implies', () => {
    const rows = [
      room('Toddlers'),
      room('Grade 3', { age_group: 'Elementary', min_age_months: null, max_age_months: null, min_grade: 3, max_grade: 3 }),
      room('Grade 4', { age_group: 'Elementary', min_age_months: null, max_age_months: null, min_grade: 4, max_grade: 4 }),
    ];
    const kids = [child('g4', null, { grade: 4 }), child('born2018', null, { birthdate: '2018-03-01' })];
    const c = frame([service()], kids, rows);
    const d = answer(decide(c, committedOf(rows), lockedOf(rows)));
    expect(d.assigned.map((a) => [a.childId, a.roomId])).toEqual([
      ['g4', 'Grade 4'],
      ['born2018', 'Grade 3'],
    ]);
  });

  test('ratio: seats by capacity but not the adults for them → waiting_for_volunteers; a soft override lifts the ratio only', () => {
    const enforce = service('s1', { ratioEnforcement: 'enforce', twoAdultRule: false });
    const rows = [room('A', { capacity: 10, ratio: 2, volunteers: 1 })];
    const waiting = frame([enforce], [child('c1', 24)], rows);
    expect(answer(decide(waiting, committedOf(rows, { A: 2 }), lockedOf(rows, { A: 2 }))).refused).toEqual([
      { childId: 'c1', reason: 'waiting_for_volunteers', serviceId: 's1' },
    ]);
    const override = frame([enforce], [child('c1', 24)], rows, { softOverride: { reason: 'two more on the way' } });
    expect(override.waiveRatios).toBe(true);
    expect(answer(decide(override, committedOf(rows, { A: 2 }), lockedOf(rows, { A: 2 }))).assigned).toEqual([{ serviceId: 's1', roomId: 'A', childId: 'c1' }]);
    // capacity still holds under the override
    expect(answer(decide(override, committedOf(rows, { A: 10 }), lockedOf(rows, { A: 10 }))).refused[0]!.reason).toBe('room_full');
  });

  test('already checked in today: refused without the lock; staff extending the stay keep the child in their room', () => {
    const s2 = service('s2');
    const rows = [room('A', { service_id: 's2' })];
    const present = [{ child_id: 'c1', room_id: 'A', service_id: 's1' }];
    const again = frame([s2], [child('c1', 24)], rows);
    expect(answer(decide(again, committedOf(rows, { A: 2 }, present)))).toMatchObject({
      refused: [{ childId: 'c1', reason: 'already_checked_in', serviceId: 's2' }],
      withoutLock: true,
    });
    const extend = frame([s2], [child('c1', 24)], rows, { extendStay: true });
    expect(decide(extend, committedOf(rows, { A: 2 }, present)).kind).toBe('lock');
    const d = answer(decide(extend, committedOf(rows, { A: 2 }, present), lockedOf(rows, { A: 2 }, present)));
    // the room is full, but the child is in it already: no seat is taken
    expect(d.assigned).toEqual([{ serviceId: 's2', roomId: 'A', childId: 'c1' }]);
    expect(d.addedTo.size).toBe(0);
    // the same service twice is refused even when extending
    const same = frame([service('s1')], [child('c1', 24)], [room('A')], { extendStay: true });
    expect(answer(decide(same, committedOf([room('A')], {}, present))).refused[0]!.reason).toBe('already_checked_in');
  });

  test('two services in one request: a child placed in the first stays in the same room for the second at no extra seat', () => {
    const rows = [room('A'), room('B', { sort_order: 2 }), room('A', { service_id: 's2' }), room('B', { service_id: 's2', sort_order: 2 })];
    const c = frame([service('s1'), service('s2')], [child('c1', 24)], rows);
    const d = answer(decide(c, committedOf(rows, { A: 1 }), lockedOf(rows, { A: 1 })));
    expect(d.assigned).toEqual([
      { serviceId: 's1', roomId: 'A', childId: 'c1' },
      { serviceId: 's2', roomId: 'A', childId: 'c1' },
    ]);
    expect(d.addedTo.get('A')).toEqual(new Set(['c1']));
  });

  test('a closed service refuses every child service_closed, first; with no service open nothing is locked', () => {
    const rows = [room('A'), room('A', { service_id: 's2' })];
    const c = frame([service('s1'), closed('s2')], [child('c1', 24), child('c2', 30)], rows);
    // A has one seat left: c1 takes it, c2 is refused room_full after the closed service's refusals
    const d = answer(decide(c, committedOf(rows, { A: 1 }), lockedOf([room('A')], { A: 1 })));
    expect(d.refused).toEqual([
      { childId: 'c1', reason: 'service_closed', serviceId: 's2' },
      { childId: 'c2', reason: 'service_closed', serviceId: 's2' },
      { childId: 'c2', reason: 'room_full', serviceId: 's1' },
    ]);
    expect(d.assigned).toEqual([{ serviceId: 's1', roomId: 'A', childId: 'c1' }]);
    const none = frame([closed('s2')], [child('c1', 24)], rows);
    expect(answer(decide(none, committedOf(rows)))).toMatchObject({
      assigned: [],
      refused: [{ childId: 'c1', reason: 'service_closed', serviceId: 's2' }],
      withoutLock: false,
    });
  });

  describe('overflow', () => {
    const rows = [room('A'), room('B', { sort_order: 2 }), overflow('O', { capacity: 5 })];
    const regular = rows.filter((r) => r.kind === 'regular');

    test('regular rooms full under the lock: the overflow room is locked next, then takes the child', () => {
      const c = frame([service()], [child('c1', 24)], rows);
      const n = { A: 2, B: 2 };
      expect(decide(c, committedOf(rows, n))).toEqual({ kind: 'lock', roomIds: ['A', 'B'] });
      expect(decide(c, committedOf(rows, n), lockedOf(regular, n))).toEqual({ kind: 'lock', roomIds: ['O'] });
      const d = answer(decide(c, committedOf(rows, n), lockedOf(rows, { ...n, O: 1 }, [], true)));
      expect(d.assigned).toEqual([{ serviceId: 's1', roomId: 'O', childId: 'c1' }]);
      expect(d.withoutLock).toBe(false);
    });

    test('a regular seat under the lock: the overflow room is not locked', () => {
      const c = frame([service()], [child('c1', 24)], rows);
      expect(answer(decide(c, committedOf(rows, { A: 2, B: 2 }), lockedOf(regular, { A: 2, B: 1 }))).assigned).toEqual([
        { serviceId: 's1', roomId: 'B', childId: 'c1' },
      ]);
    });

    test('an overflow room the committed state showed at its limit is not locked: refused room_full at once', () => {
      const c = frame([service()], [child('c1', 24)], rows);
      const n = { A: 2, B: 2, O: 5 };
      const d = answer(decide(c, committedOf(rows, n), lockedOf(regular, n)));
      expect(d.refused).toEqual([{ childId: 'c1', reason: 'room_full', serviceId: 's1' }]);
    });

    test('after the overflow lock the plan is the answer, even if it still refuses', () => {
      const c = frame([service()], [child('c1', 24)], rows);
      const d = answer(decide(c, committedOf(rows, { A: 2, B: 2 }), lockedOf(rows, { A: 2, B: 2, O: 5 }, [], true)));
      expect(d.refused).toEqual([{ childId: 'c1', reason: 'room_full', serviceId: 's1' }]);
    });

    test('an overflow room that fits no refused child is not locked', () => {
      const small = [room('A'), overflow('Babies overflow', { max_age_months: 12 })];
      const c = frame([service()], [child('c1', 24)], small);
      expect(c.candidates.map((r) => r.room_id)).toEqual(['A']);
      expect(answer(decide(c, committedOf(small, { A: 2 }), lockedOf([small[0]!], { A: 2 }))).refused[0]!.reason).toBe('room_full');
    });
  });
});
