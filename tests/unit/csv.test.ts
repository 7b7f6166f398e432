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
  test('rows keep the line a spreadsheet shows: CRLF inside quotes is one line break; CR-only rows; mixed endings; non-ASCII before a break', () => {
    expect(parseCsv('a,b\r\n"x\r\ny",2\r\n\r\n3,4\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\r\ny', '2'] },
      { line: 5, fields: ['3', '4'] },
    ]);
    expect(parseCsv('a,b\r1,"2\r3"\r5,6').map((r) => r.line)).toEqual([1, 2, 4]);
    expect(parseCsv('a,b\r\n1,2\n3,4\r5,6\n').map((r) => r.line)).toEqual([1, 2, 3, 4]);
    expect(parseCsv('a,b\nJosé,"Zoë\nÅsa"\n\n\nÑ,ü').map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'a'],
      [2, 'José'],
      [6, 'Ñ'],
    ]);
  });
  test('lenient like a spreadsheet: a stray quote inside an unquoted field is text; rows of any length', () => {
    expect(parseCsv('a,b,c\nsay "hi",2\n1,2,3,4\n').map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['say "hi"', '2'],
      ['1', '2', '3', '4'],
    ]);
  });
  test('an unclosed quote after blank lines names the line its row starts on', () => {
    try {
      parseCsv('a,b\n1,2\n\n3,"open\nmore\n');
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(CsvError);
      expect((e as CsvError).line).toBe(4);
    }
  });
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
