/**
 * CSV records read by csv-parse (its sync API), the CSV parser of the node-csv project: RFC 4180
 * quoting with "" escapes, commas and line breaks inside quotes, CRLF, LF or CR rows (mixed too),
 * blank lines skipped, a stray quote inside an unquoted field kept as text (lenient, as
 * spreadsheets are), rows of any length. What is ours: each record carries the line it starts on,
 * so problems name the row as a spreadsheet's line numbers show it — counted here from the
 * library's byte offsets, since its own line count takes a CRLF inside quotes for two lines.
 * The text is already decoded (./encoding.ts); a UTF-8 BOM left on it is dropped.
 */
import { CsvError as LibraryCsvError, parse } from 'csv-parse/sync';

export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const CR = 0x0d;
const LF = 0x0a;

export function parseCsv(text: string): CsvRecord[] {
  const buf = Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'utf8');
  // line counting over the bytes the parser consumed: a CRLF, a lone CR or a lone LF is one line break
  let pos = 0;
  let line = 1;
  const skipBlankLines = () => {
    while (pos < buf.length && (buf[pos] === LF || buf[pos] === CR)) {
      pos += buf[pos] === CR && buf[pos + 1] === LF ? 2 : 1;
      line++;
    }
  };
  const advanceTo = (end: number) => {
    for (; pos < end; pos++) {
      if (buf[pos] === LF || (buf[pos] === CR && buf[pos + 1] !== LF)) line++;
    }
  };
  const out: CsvRecord[] = [];
  try {
    parse(buf, {
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      on_record: (fields: string[], info) => {
        skipBlankLines();
        out.push({ line, fields });
        advanceTo(info.bytes);
        return null; // kept in `out`, with its line, instead of in the library's result
      },
    });
  } catch (e) {
    if (!(e instanceof LibraryCsvError)) throw e;
    skipBlankLines(); // the record that failed starts after the last good one
    const what = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : e.message;
    throw new CsvError(what, line);
  }
  return out;
}
