import { couldBeExpressCode, EXPRESS_CODE_ALPHABET, formatExpressCode, normalizeExpressCode } from '../../contracts/rules';

describe('express check-in codes', () => {
  test('accepts KC and 12 characters of the look-alike-free alphabet, typed as printed or scanned raw', () => {
    expect(normalizeExpressCode('KCABCD2345WXYZ')).toBe('KCABCD2345WXYZ');
    expect(normalizeExpressCode(' kc-abcd-2345-wxyz ')).toBe('KCABCD2345WXYZ');
    expect(formatExpressCode('KCABCD2345WXYZ')).toBe('KC-ABCD-2345-WXYZ');
    expect(normalizeExpressCode(formatExpressCode('KCABCD2345WXYZ'))).toBe('KCABCD2345WXYZ');
  });
  test('refuses phone numbers, wrong lengths, look-alike characters and other prefixes', () => {
    for (const s of [
      '',
      '3125550123',
      'KCABCD2345WXY',
      'KCABCD2345WXYZA',
      'KCABCD2345WXY0',
      'KCABCD2345WXYO',
      'KCABCD2345WXYI',
      'XXABCD2345WXYZ',
      'KC ABCD 2345 WX!Z',
    ])
      expect(normalizeExpressCode(s)).toBeNull();
    expect(EXPRESS_CODE_ALPHABET).not.toMatch(/[01ILO]/);
  });
  test('a code being typed can be told from a stray letter', () => {
    for (const s of ['K', 'kc', 'KC-AB', 'KCABCD2345WXYZ']) expect(couldBeExpressCode(s)).toBe(true);
    for (const s of ['', 'Q', 'KQ', 'K7', 'KCABCD2345WXYZA', 'KC0']) expect(couldBeExpressCode(s)).toBe(false);
  });
});
