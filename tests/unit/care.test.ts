/** Care flags (DESIGN §16): severity parsing, the mark, care needs, and placement preferring rooms that meet them. */
import { assignRooms, type RoomState } from '../../server/src/capacity/rules';
import { allergyMark, allergySeverity, cleanCareNeeds, isSevereAllergy, parseCareNeeds, roomMeetsNeeds } from '../../contracts/rules';

const room = (p: Partial<RoomState> & { roomId: string }): RoomState => ({
  name: p.roomId,
  kind: 'regular',
  sortOrder: 0,
  ageGroup: 'toddlers',
  open: true,
  capacity: 10,
  volunteers: 0,
  ratio: null,
  ratioOverride: false,
  headcount: 0,
  minAgeMonths: 12,
  maxAgeMonths: 48,
  minGrade: null,
  maxGrade: null,
  ...p,
});

test('severity: the three values (any case, spaces, anaphylaxis), anything else is not recorded and not severe', () => {
  expect(allergySeverity('Life threatening')).toBe('life-threatening');
  expect(allergySeverity('SEVERE')).toBe('severe');
  expect(allergySeverity('anaphylaxis')).toBe('life-threatening');
  expect(allergySeverity('mild')).toBe('mild');
  for (const x of [null, undefined, '', 'unknown', 'bad', 3]) expect(allergySeverity(x)).toBeNull();
  expect([null, 'mild', 'severe', 'life-threatening'].map((s) => isSevereAllergy(allergySeverity(s)))).toEqual([false, false, true, true]);
  expect(allergyMark('life-threatening')).toBe('LIFE-THREATENING ALLERGY');
  expect(allergyMark('severe')).toBe('SEVERE ALLERGY');
  expect(allergyMark('mild')).toBeNull();
});

test('care needs: trimmed, no blanks or repeats; an import cell splits on ; and |; a room meets them folded', () => {
  expect(cleanCareNeeds([' needs a buddy ', 'Needs a  buddy', '', 'epinephrine in bag'])).toEqual(['needs a buddy', 'epinephrine in bag']);
  expect(parseCareNeeds('needs a buddy; epinephrine in bag |')).toEqual(['needs a buddy', 'epinephrine in bag']);
  expect(parseCareNeeds(null)).toEqual([]);
  expect(roomMeetsNeeds(['Epinephrine in bag', 'needs a buddy'], ['needs a buddy'])).toBe(true);
  expect(roomMeetsNeeds(['needs a buddy'], ['needs a buddy', 'epinephrine in bag'])).toBe(false);
  expect(roomMeetsNeeds([], [])).toBe(true);
});

describe('placement prefers a room that can meet the care needs', () => {
  const a = room({ roomId: 'a', sortOrder: 1 });
  const b = room({ roomId: 'b', sortOrder: 2, careNeeds: ['epinephrine in bag'] });
  const kid = (childId: string, careNeeds?: string[]) => ({ childId, ageMonths: 24, grade: null, ...(careNeeds ? { careNeeds } : {}) });

  test('without care needs nothing changes (sort order, siblings together)', () => {
    expect(assignRooms([kid('x')], [a, b], 'fill_in_order', false).assigned).toEqual([{ childId: 'x', roomId: 'a' }]);
    expect(assignRooms([kid('x'), kid('y')], [a, b], 'fill_in_order', false).assigned.map((p) => p.roomId)).toEqual(['a', 'a']);
  });
  test('a child with a need goes to the room that meets it, even later in the order', () => {
    expect(assignRooms([kid('x', ['epinephrine in bag'])], [a, b], 'fill_in_order', false).assigned).toEqual([{ childId: 'x', roomId: 'b' }]);
  });
  test('siblings stay together in the room that meets the need', () => {
    expect(assignRooms([kid('x'), kid('y', ['Epinephrine in bag'])], [a, b], 'fill_in_order', false).assigned.map((p) => p.roomId)).toEqual(['b', 'b']);
  });
  test('when the room that meets the need is full, the child is still placed (the need is a preference)', () => {
    const full = { ...b, headcount: 10 };
    expect(assignRooms([kid('x', ['epinephrine in bag'])], [a, full], 'fill_in_order', false).assigned).toEqual([{ childId: 'x', roomId: 'a' }]);
  });
  test('a regular room still comes before an overflow room that meets the need', () => {
    const o = room({ roomId: 'o', kind: 'overflow', careNeeds: ['epinephrine in bag'] });
    expect(assignRooms([kid('x', ['epinephrine in bag'])], [a, o], 'fill_in_order', false).assigned).toEqual([{ childId: 'x', roomId: 'a' }]);
  });
});
