import { CsvError, parseCsv } from '../../server/src/import/csv';
import { detectFormat } from '../../server/src/import/formats';
import { parseDate, parseGrade } from '../../server/src/import/import.service';

describe('RFC 4180 CSV', () => {
  test('quotes, escaped quotes, commas and line breaks inside quotes, CRLF, BOM, blank lines', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,"two\nlines",\n3,,last';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 4, fields: ['2', 'two\nlines', ''] },
      { line: 6, fields: ['3', '', 'last'] },
    ]);
  });
  test('an unclosed quote is an error naming its line', () => {
    expect(() => parseCsv('a,b\n1,"open')).toThrow(CsvError);
    try {
      parseCsv('a,b\n1,"open');
    } catch (e) {
      expect((e as CsvError).line).toBe(2);
    }
  });
  test('empty input has no records', () => expect(parseCsv('')).toEqual([]));
});

test('formats are detected from the header', () => {
  expect(detectFormat(['Person ID', 'First Name', 'Household ID'])).toBe('pco');
  expect(detectFormat(['Id', 'FamilyId', 'FamilyRole', 'FirstName'])).toBe('rock');
  expect(detectFormat(['Breeze ID', 'First Name', 'Family Role'])).toBe('breeze');
  expect(detectFormat(['Given', 'Surname'])).toBe('generic');
});

test('dates and grades as the exports write them', () => {
  expect(parseDate('2019-6-1')).toBe('2019-06-01');
  expect(parseDate('9/26/2020 12:00:00 AM')).toBe('2020-09-26');
  expect(parseDate('2020-09-26T00:00:00.0000000')).toBe('2020-09-26');
  expect(parseDate('')).toBeNull();
  expect(parseDate('yesterday')).toBe('invalid');
  expect([parseGrade('K'), parseGrade('Pre-K'), parseGrade('3rd'), parseGrade('Grade 4'), parseGrade(''), parseGrade('13'), parseGrade('x')]).toEqual([
    0,
    -1,
    3,
    4,
    null,
    'invalid',
    'invalid',
  ]);
});
