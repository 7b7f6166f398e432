/** DESIGN §15 as pure rules: off / warn / enforce, the two-adult rule, grades from birthdates. */
import { adultsNeeded, impliedGrade, isEligible, isOverRatio, roomLimit, waitsForVolunteers } from '../../contracts/rules';
import { assignRooms, type RoomState } from '../../server/src/capacity/rules';

const limits = (p: Partial<{ capacity: number; volunteers: number; ratio: number | null; ratioOverride: boolean; headcount: number }> = {}) => ({
  capacity: 10,
  volunteers: 0,
  ratio: 3,
  ratioOverride: false,
  headcount: 0,
  ...p,
});
const OFF = { ratioEnforcement: 'off' as const, twoAdultRule: null };
const WARN = { ratioEnforcement: 'warn' as const, twoAdultRule: null };
const ENFORCE = { ratioEnforcement: 'enforce' as const, twoAdultRule: null };
const ENFORCE_ONE_ADULT = { ratioEnforcement: 'enforce' as const, twoAdultRule: false };

describe('roomLimit under off / warn / enforce', () => {
  test('off and warn: capacity, whoever is present', () => {
    expect(roomLimit(limits(), OFF)).toBe(10);
    expect(roomLimit(limits(), WARN)).toBe(10);
    expect(roomLimit(limits(), { ratioEnforcement: 'warn', twoAdultRule: true })).toBe(10);
  });
  test('enforce: min(capacity, present × ratio); the two-adult rule is on by default there', () => {
    expect(roomLimit(limits({ volunteers: 1 }), ENFORCE_ONE_ADULT)).toBe(3);
    expect(roomLimit(limits({ volunteers: 5 }), ENFORCE_ONE_ADULT)).toBe(10);
    expect(roomLimit(limits({ volunteers: 1 }), ENFORCE)).toBe(0);
    expect(roomLimit(limits({ volunteers: 2 }), ENFORCE)).toBe(6);
    // a room without a ratio still needs its two adults
    expect(roomLimit(limits({ ratio: null, volunteers: 1 }), ENFORCE)).toBe(0);
    expect(roomLimit(limits({ ratio: null, volunteers: 2 }), ENFORCE)).toBe(10);
    // a staff override lifts the ratio, never the capacity
    expect(roomLimit(limits({ ratioOverride: true }), ENFORCE)).toBe(10);
  });
  test('over ratio shows from warn on; waiting for volunteers is seats without adults', () => {
    expect(isOverRatio(limits({ headcount: 1 }), OFF)).toBe(false);
    expect(isOverRatio(limits({ headcount: 1 }), WARN)).toBe(true);
    expect(isOverRatio(limits({ headcount: 3, volunteers: 1 }), WARN)).toBe(false);
    expect(isOverRatio(limits({ headcount: 3, volunteers: 1 }), ENFORCE)).toBe(true); // one adult
    expect(isOverRatio(limits({ headcount: 0 }), ENFORCE)).toBe(false);
    expect(waitsForVolunteers(limits({ volunteers: 1 }), ENFORCE)).toBe(true);
    expect(waitsForVolunteers(limits({ volunteers: 2, headcount: 6 }), ENFORCE)).toBe(true);
    expect(waitsForVolunteers(limits({ volunteers: 2, headcount: 5 }), ENFORCE)).toBe(false);
    expect(waitsForVolunteers(limits({ volunteers: 4, headcount: 10 }), ENFORCE)).toBe(false); // full, not waiting
    expect(waitsForVolunteers(limits(), WARN)).toBe(false);
    expect(adultsNeeded(7, { ratio: 3 }, ENFORCE)).toBe(3);
    expect(adultsNeeded(1, { ratio: 3 }, ENFORCE)).toBe(2);
    expect(adultsNeeded(1, { ratio: 3 }, ENFORCE_ONE_ADULT)).toBe(1);
  });
  test('a child refused for want of adults is told so; for want of seats, full', () => {
    const room: RoomState = {
      roomId: 'a',
      name: 'A',
      kind: 'regular',
      sortOrder: 1,
      ageGroup: 'A',
      open: true,
      capacity: 10,
      volunteers: 1,
      ratio: 3,
      ratioOverride: false,
      headcount: 0,
      minAgeMonths: 0,
      maxAgeMonths: 100,
      minGrade: null,
      maxGrade: null,
    };
    const kid = { childId: 'k', ageMonths: 24, grade: null };
    expect(assignRooms([kid], [room], 'fill_in_order', ENFORCE).refused[0]?.reason).toBe('waiting_for_volunteers');
    expect(assignRooms([kid], [room], 'fill_in_order', WARN).assigned).toHaveLength(1);
    expect(assignRooms([kid], [{ ...room, headcount: 10, volunteers: 4 }], 'fill_in_order', ENFORCE).refused[0]?.reason).toBe('room_full');
  });
});

describe('the grade a birthdate implies (schoolCutoff, default September 1)', () => {
  test('five by the cut-off starts kindergarten that school year', () => {
    expect(impliedGrade('2020-03-10', '2026-12-07')).toBe(1);
    expect(impliedGrade('2020-09-01', '2026-12-07')).toBe(1);
    expect(impliedGrade('2020-09-02', '2026-12-07')).toBe(0);
    expect(impliedGrade('2020-10-15', '2026-12-07', '12-31')).toBe(1);
    expect(impliedGrade('2021-03-10', '2026-12-07')).toBe(0);
    // before the promotion day the school year is still last year's
    expect(impliedGrade('2020-03-10', '2027-06-01')).toBe(1);
    expect(impliedGrade('2020-03-10', '2027-08-01')).toBe(2);
    expect(impliedGrade('2020-03-10', '2027-08-01', '09-01', '09-01')).toBe(1);
  });
  test('not school-age (before kindergarten, after 12th grade): no grade', () => {
    expect(impliedGrade('2022-03-10', '2026-12-07')).toBeNull();
    expect(impliedGrade('2005-03-10', '2026-12-07')).toBeNull();
    expect(impliedGrade('2009-03-10', '2026-12-07')).toBe(12);
  });
  test('a child without a grade goes to a grade-only room by it; an age room still goes by age', () => {
    const k2 = { minAgeMonths: null, maxAgeMonths: null, minGrade: 0, maxGrade: 2 };
    const preschool = { minAgeMonths: 36, maxAgeMonths: 71, minGrade: null, maxGrade: null };
    const six = { ageMonths: 78, grade: null, inferredGrade: 1 };
    expect(isEligible(k2, six)).toBe(true);
    expect(isEligible(preschool, six)).toBe(false);
    expect(isEligible(k2, { ageMonths: 78, grade: null })).toBe(false);
    expect(isEligible(k2, { ageMonths: 78, grade: 3, inferredGrade: 1 })).toBe(false); // a grade on record wins
    expect(isEligible(preschool, { ageMonths: 60, grade: null, inferredGrade: null })).toBe(true);
  });
});
