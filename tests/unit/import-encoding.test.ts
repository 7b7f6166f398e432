/**
 * The bytes of an imported file → text (issue #26): a Windows-1252 export from an old church
 * database or Excel reads as "José", not "Jos\uFFFD"; a BOM is dropped; UTF-8 stays UTF-8; UTF-8
 * that was promised but is not is refused naming the row and column.
 */
import { decodeCsv, NotUtf8, UnknownEncoding } from '../../server/src/import/encoding';
import { UnreadableFile } from '../../server/src/import/import.service';
import { cp1252 } from '../support/cp1252';

const CSV = 'first_name,last_name\nJosé,O’Brien\nIñigo,Peña\nJürgen,Müller\nØle,François\n';

test('Windows-1252 bytes are detected and read as Windows-1252 (é, ’, ñ, ü)', () => {
  const bytes = cp1252(CSV);
  expect(bytes.includes(0xe9) && bytes.includes(0x92)).toBe(true);
  const d = decodeCsv(bytes);
  expect(d).toMatchObject({ encoding: 'windows-1252', how: 'detected' });
  expect(d.text).toBe(CSV);
  expect(d.text).not.toContain('\uFFFD');
  // even a one-line file with one accent
  expect(decodeCsv(cp1252('a,b\nJosé,x\n')).text).toBe('a,b\nJosé,x\n');
});

test('UTF-8 stays UTF-8; a UTF-8 BOM is dropped; UTF-16 with its BOM is read', () => {
  const utf8 = Buffer.from(CSV, 'utf8');
  expect(decodeCsv(utf8)).toEqual({ text: CSV, encoding: 'utf-8', how: 'valid UTF-8' });
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
  expect(decodeCsv(bom)).toEqual({ text: CSV, encoding: 'utf-8', how: 'byte-order mark' });
  expect(decodeCsv(bom, 'windows-1252').text).toBe(CSV); // the mark is surer than a guess
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')]);
  expect(decodeCsv(le)).toMatchObject({ text: CSV, encoding: 'utf-16le' });
});

test('an encoding given is used as given', () => {
  expect(decodeCsv(cp1252(CSV), 'windows-1252')).toMatchObject({ text: CSV, how: 'given' });
  expect(decodeCsv(cp1252(CSV), 'ISO-8859-1').text).toContain('José');
  expect(decodeCsv(Buffer.from(CSV, 'utf8'), 'UTF-8').text).toBe(CSV);
  expect(() => decodeCsv(Buffer.from(CSV), 'klingon-7')).toThrow(UnknownEncoding);
});

test('bytes that are not UTF-8 when UTF-8 was given are refused, naming the first row and column they are in', () => {
  const bytes = cp1252('first_name,last_name\nAna,Smith\n"Bo",O’Brien\nJosé,Pérez\n');
  expect(() => decodeCsv(bytes, 'utf-8')).toThrow(NotUtf8);
  expect(() => decodeCsv(bytes, 'utf-8')).toThrow(UnreadableFile);
  expect(() => decodeCsv(bytes, 'utf-8')).toThrow(/row 3, column "last_name".*not UTF-8.*windows-1252/);
});
