/**
 * The check-in's decision (server/src/checkin/decide.ts): who goes where, and when a request that
 * admits nobody is answered without the rooms' locks (only when every alert its refusals call for
 * already stands — the first refusal of a condition takes the locks and raises it).
 */
import { planAll, refusalWithoutLock } from '../../server/src/checkin/decide';
import type { ChildForAssignment } from '../../server/src/capacity/rules';
import { room, service } from './checkin-fixtures';

const toddler = (id: string): ChildForAssignment => ({ childId: id, ageMonths: 24, grade: null });
const counts = (o: Record<string, number>) => new Map(Object.entries(o));
const fullAlert = { id: 'a1', service_id: 's1', kind: 'room_full', age_group: 'Toddlers', message: 'x' };

describe('planAll', () => {
  test('places a child in a room with space, refuses room_full when every room is at its limit', () => {
    const s = service();
    expect(planAll([s], [toddler('c1')], [room('A'), room('B')], counts({ A: 2, B: 1 }), [], false).assigned).toEqual([
      { serviceId: 's1', roomId: 'B', childId: 'c1' },
    ]);
    const full = planAll([s], [toddler('c1')], [room('A'), room('B')], counts({ A: 2, B: 2 }), [], false);
    expect(full.assigned).toEqual([]);
    expect(full.refused).toEqual([{ childId: 'c1', reason: 'room_full', serviceId: 's1' }]);
  });

  test('a child already in today is refused already_checked_in, and stays at no cost when staff extend the stay', () => {
    const s2 = service('s2');
    const rows = [room('A'), room('A', { service_id: 's2' })];
    const present = [{ child_id: 'c1', room_id: 'A', service_id: 's1' }];
    expect(planAll([s2], [toddler('c1')], rows, counts({ A: 2 }), present, false).refused).toEqual([
      { childId: 'c1', reason: 'already_checked_in', serviceId: 's2' },
    ]);
    expect(planAll([s2], [toddler('c1')], rows, counts({ A: 2 }), present, true).assigned).toEqual([{ serviceId: 's2', roomId: 'A', childId: 'c1' }]);
  });
});

describe('refusalWithoutLock', () => {
  const s = service();
  const rows = [room('A'), room('B')];
  const plan = (n: Record<string, number>) => planAll([s], [toddler('c1')], rows, counts(n), [], false);

  test('a plainly full room with its room_full alert standing: refused without the lock', () => {
    const p = plan({ A: 2, B: 2 });
    expect(refusalWithoutLock(p, [s], [toddler('c1')], rows, counts({ A: 2, B: 2 }), [fullAlert])).toBe(p);
  });

  test('no standing alert yet: take the lock (the alert is raised there, once)', () => {
    expect(refusalWithoutLock(plan({ A: 2, B: 2 }), [s], [toddler('c1')], rows, counts({ A: 2, B: 2 }), [])).toBeNull();
    // another service's alert, or another kind, does not count
    expect(refusalWithoutLock(plan({ A: 2, B: 2 }), [s], [toddler('c1')], rows, counts({ A: 2, B: 2 }), [{ ...fullAlert, service_id: 's9' }])).toBeNull();
    expect(refusalWithoutLock(plan({ A: 2, B: 2 }), [s], [toddler('c1')], rows, counts({ A: 2, B: 2 }), [{ ...fullAlert, kind: 'open_room' }])).toBeNull();
  });

  test('anyone placed by the committed state: always the lock (nothing is admitted without it)', () => {
    expect(refusalWithoutLock(plan({ A: 2, B: 1 }), [s], [toddler('c1')], rows, counts({ A: 2, B: 1 }), [fullAlert])).toBeNull();
  });

  test('a child already checked in needs no alert: refused without the lock', () => {
    const present = [{ child_id: 'c1', room_id: 'A', service_id: 's1' }];
    const p = planAll([s], [toddler('c1')], rows, counts({ A: 1 }), present, false);
    expect(p.refused[0]!.reason).toBe('already_checked_in');
    expect(refusalWithoutLock(p, [s], [toddler('c1')], rows, counts({ A: 1 }), [])).toBe(p);
  });

  test('waiting for volunteers: without the lock only once the room waiting alert stands', () => {
    const ratio = service('s1', { ratioEnforcement: 'enforce', twoAdultRule: false });
    const short = [room('A', { capacity: 10, ratio: 2, volunteers: 1 })];
    const p = planAll([ratio], [toddler('c1')], short, counts({ A: 2 }), [], false);
    expect(p.refused[0]!.reason).toBe('waiting_for_volunteers');
    expect(refusalWithoutLock(p, [ratio], [toddler('c1')], short, counts({ A: 2 }), [fullAlert])).toBeNull();
    const waiting = { ...fullAlert, kind: 'waiting_for_volunteers', age_group: 'A' };
    expect(refusalWithoutLock(p, [ratio], [toddler('c1')], short, counts({ A: 2 }), [waiting])).toBe(p);
  });
});
