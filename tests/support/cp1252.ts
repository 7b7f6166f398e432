/**
 * Windows-1252 bytes written out by hand, not by the library under test (an import must read
 * these as the letters they are): é 0xE9, ’ 0x92, ñ 0xF1, ü 0xFC, Ø 0xD8, ç 0xE7, è 0xE8.
 */
export function cp1252(text: string): Buffer {
  const table: Record<string, number> = { é: 0xe9, '’': 0x92, ñ: 0xf1, ü: 0xfc, Ø: 0xd8, ç: 0xe7, è: 0xe8 };
  return Buffer.from(
    [...text].map((ch) => {
      if (ch in table) return table[ch]!;
      if (ch.charCodeAt(0) > 0x7f) throw new Error(`no Windows-1252 byte for ${ch} in this table`);
      return ch.charCodeAt(0);
    }),
  );
}
