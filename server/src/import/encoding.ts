/**
 * The bytes of an imported file → text. Old church databases and Excel ("CSV (Comma delimited)")
 * write Windows-1252, not UTF-8, and reading those bytes as UTF-8 stores "Jos\uFFFD" for "José".
 *
 * - a byte-order mark decides (UTF-8, UTF-16 LE/BE) and is dropped;
 * - an encoding given by the operator (`--encoding`, the upload's `encoding`) is used as given —
 *   iconv-lite decodes it; bytes that are not UTF-8 when UTF-8 was given are refused, naming the
 *   first row and column where they are;
 * - otherwise (`auto`): text that is valid UTF-8 is UTF-8 (by far the most common, and a check
 *   that cannot be fooled by Latin-1 names: their bytes are never valid UTF-8); else chardet
 *   guesses from the bytes. On a short file of names its guesses within the Western single-byte
 *   family (ISO-8859-1/-9/-15, Windows-1252/-1254) are coin tosses between near-identical
 *   tables, so that family is read as Windows-1252 (the superset Excel writes); another script
 *   (Cyrillic, Greek, Central European, CJK …) is taken when chardet is fairly sure of it; when in
 *   doubt, Windows-1252.
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { parseCsv } from './csv';
import { UnreadableFile } from './import.service';

export const AUTO = 'auto';

export interface Decoded {
  text: string;
  /** the encoding the text was read as (iconv-lite's / chardet's label) */
  encoding: string;
  /** how it was chosen */
  how: 'byte-order mark' | 'given' | 'valid UTF-8' | 'detected';
}

/** An encoding the operator named that iconv-lite does not know. */
export class UnknownEncoding extends Error {}

/** The UTF-8 bytes were not UTF-8: nothing is imported (the first bad row and column are named). */
export class NotUtf8 extends UnreadableFile {}

const WESTERN = new Set(['iso-8859-1', 'iso-8859-9', 'iso-8859-15', 'windows-1252', 'windows-1254']);
const FALLBACK = 'windows-1252';
/**
 * chardet's confidence (0–100) from which a guess outside the Western family is believed (a short
 * Polish list in Windows-1250 scores about 40; Western text's other candidates, under 20)
 */
const SURE = 40;

const utf8 = (bytes: Uint8Array): string | null => {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
};
const isUtf8Label = (e: string) => /^utf-?8$/i.test(e.trim());

export function checkEncoding(encoding: string | undefined): void {
  if (encoding && encoding.trim().toLowerCase() !== AUTO && !iconv.encodingExists(encoding.trim()))
    throw new UnknownEncoding(`"${encoding}" is not an encoding this server reads (e.g. utf-8, windows-1252, iso-8859-1, or auto)`);
}

export function decodeCsv(bytes: Uint8Array, encoding: string = AUTO): Decoded {
  checkEncoding(encoding);
  const given = encoding.trim().toLowerCase() === AUTO ? null : encoding.trim();
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return asUtf8(bytes.subarray(3), 'byte-order mark');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le', how: 'byte-order mark' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be', how: 'byte-order mark' };
  if (given && isUtf8Label(given)) return asUtf8(bytes, 'given');
  if (given) return { text: iconv.decode(Buffer.from(bytes), given, { stripBOM: true }), encoding: given.toLowerCase(), how: 'given' };
  const text = utf8(bytes);
  if (text !== null) return { text, encoding: 'utf-8', how: 'valid UTF-8' };
  const detected = guess(bytes);
  return { text: iconv.decode(Buffer.from(bytes), detected), encoding: detected, how: 'detected' };
}

/**
 * The file as the operator gave it: bytes, decoded here (`encoding` given or auto), or text already
 * decoded (`encoding` then says what it was read as: a re-run's kept file).
 */
export type ImportSource = { bytes: Uint8Array; encoding?: string; text?: never } | { text: string; encoding?: string; bytes?: never };
export const decodeSource = (o: ImportSource): Decoded =>
  o.bytes ? decodeCsv(o.bytes, o.encoding) : { text: o.text, encoding: o.encoding ?? 'utf-8', how: 'given' };

function guess(bytes: Uint8Array): string {
  const top = chardet.analyse(bytes)[0];
  if (!top) return FALLBACK;
  const name = top.name.toLowerCase();
  if (WESTERN.has(name)) return FALLBACK;
  if (top.confidence >= SURE && !/^utf-?8$/.test(name) && iconv.encodingExists(name)) return name;
  return FALLBACK;
}

function asUtf8(bytes: Uint8Array, how: Decoded['how']): Decoded {
  const text = utf8(bytes);
  if (text !== null) return { text, encoding: 'utf-8', how };
  // where: the first field holding a byte that is not UTF-8 (decoded leniently, it shows as U+FFFD)
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let where = '';
  try {
    const records = parseCsv(lenient);
    const header = records[0]?.fields ?? [];
    for (const r of records) {
      const i = r.fields.findIndex((f) => f.includes('\uFFFD'));
      if (i >= 0) {
        where = `row ${r.line}, column "${(header[i] ?? `#${i + 1}`).trim()}"`;
        break;
      }
    }
  } catch {
    /* not CSV either: the message says so without a row */
  }
  throw new NotUtf8(
    `${where || 'the file'} holds bytes that are not UTF-8, so the file is not UTF-8; give its encoding (e.g. windows-1252 or iso-8859-1), or auto to detect it`,
  );
}
