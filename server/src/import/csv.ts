/**
 * A small RFC 4180 CSV parser (no CSV library is installed): quoted fields with "" escapes,
 * commas and line breaks inside quotes, CRLF or LF rows, a UTF-8 BOM dropped. Each record carries
 * the line it started on, so problems name the row as a spreadsheet shows it.
 */
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

export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    // a blank line is no record
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: start, fields });
    fields = [];
  };
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
      continue;
    }
    if (c === ',') {
      endField();
      i++;
      continue;
    }
    if (c === '\r' && s[i + 1] === '\n') {
      endRecord();
      i += 2;
      line++;
      start = line;
      continue;
    }
    if (c === '\n' || c === '\r') {
      endRecord();
      i++;
      line++;
      start = line;
      continue;
    }
    // a stray quote inside an unquoted field is kept as text (lenient, as spreadsheets are)
    field += c;
    fieldStarted = true;
    i++;
  }
  if (quoted) throw new CsvError('a quoted field is never closed', start);
  if (field !== '' || fields.length) endRecord();
  return out;
}
