import { birthdateProblem, cleanName, isRealDate, nameProblem, yearsBefore } from '../../contracts/rules';
import { ChildInputSchema, HouseholdCreateSchema } from '../../contracts';
import { parse } from '../../server/src/http/validate';

describe('names', () => {
  test.each([
    ['\u200B', 'is required'],
    ['  ', 'is required'],
    ['\u202E\u200D', 'is required'],
    ['\uFEFF', 'is required'],
    ['123', 'must contain a letter'],
    ['--', 'must contain a letter'],
    ['\u200B0\u200B', 'must contain a letter'],
  ])('refuses %p (%s)', (input, problem) => expect(nameProblem(input)).toBe(problem));

  test.each([
    ['Zoë', 'Zoë'],
    ['Ana\u200B María', 'Ana María'],
    ['\u202EMia', 'Mia'],
    ['Иван', 'Иван'],
    ['李', '李'],
    ['Ze\u0301', 'Zé'],
    ["O'Brien-Smith", "O'Brien-Smith"],
  ])('keeps %p as %p', (input, out) => {
    expect(nameProblem(input)).toBeNull();
    expect(cleanName(input)).toBe(out);
  });

  test('the schema strips invisible characters and names the field of a name without a letter', () => {
    const base = { guardians: [{ firstName: 'Pat', lastName: 'Doe', phone: '3125550123' }], children: [{ firstName: 'A\u200Bda', lastName: 'Doe', grade: 1 }] };
    expect(HouseholdCreateSchema.parse(base).children[0]!.firstName).toBe('Ada');
    const bad = { ...base, children: [{ firstName: '\u200B', lastName: 'Doe', grade: 1 }] };
    expect(() => parse(HouseholdCreateSchema, bad)).toThrow(expect.objectContaining({ status: 400, field: 'children.0.firstName' }));
  });
});

describe('birthdates', () => {
  const today = '2026-12-02';
  test.each([
    ['2099-01-01', 'must not be in the future'],
    ['2026-12-03', 'must not be in the future'],
    ['1800-01-01', 'must be within the last 25 years'],
    ['2001-12-01', 'must be within the last 25 years'],
    ['0001-01-01', 'must be within the last 25 years'],
    ['0000-01-01', 'must be a real calendar date YYYY-MM-DD'],
    ['2023-02-30', 'must be a real calendar date YYYY-MM-DD'],
    ['20-01-01', 'must be a real calendar date YYYY-MM-DD'],
  ])('refuses %s (%s)', (d, problem) => expect(birthdateProblem(d, today)).toBe(problem));
  test.each(['2026-12-02', '2001-12-02', '2020-02-29'])('accepts %s', (d) => expect(birthdateProblem(d, today)).toBeNull());
  test('leap days', () => {
    expect(yearsBefore('2028-02-29', 25)).toBe('2003-02-28');
    expect(isRealDate('2024-02-29')).toBe(true);
  });
  test.each(['2099-01-01', '1800-01-01', '0001-01-01', '0000-01-01'])('the schema names the field for %s', (birthdate) => {
    const body = {
      guardians: [{ firstName: 'Pat', lastName: 'Doe', phone: '3125550123' }],
      children: [
        { firstName: 'Ada', lastName: 'Doe', grade: 1 },
        { firstName: 'Bo', lastName: 'Doe', birthdate },
      ],
    };
    expect(() => parse(HouseholdCreateSchema, body)).toThrow(expect.objectContaining({ status: 400, field: 'children.1.birthdate' }));
    expect(ChildInputSchema.safeParse({ firstName: 'Bo', lastName: 'Doe', birthdate }).success).toBe(false);
  });
});
