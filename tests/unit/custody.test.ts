/** The one custody rule (contracts/rules/custody.ts): folding and token matching (DESIGN §4). */
import { custodyMatch, nameTokens, sameName, worstCustodyMatch } from '../../contracts/rules';

describe('folding', () => {
  test.each([
    ['José Pérez', ['jose', 'perez']],
    ['Jose\u0301 Pe\u0301rez', ['jose', 'perez']], // decomposed accents
    ['  JOSÉ   PÉREZ ', ['jose', 'perez']],
    ["O'Brien-Smith, Jr.", ['obriensmith', 'jr']],
    ['Jor\u200Bdan \u202EKim\u202C', ['jordan', 'kim']], // zero-width space, bidi override
    ['Ｊｏｒｄａｎ Ｋｉｍ', ['jordan', 'kim']], // full-width letters (NFKD)
    ['İlker\tÇelik', ['ilker', 'celik']],
    ['Иван Петров', ['иван', 'петров']],
    ['王小明', ['王小明']],
  ])('%p → %p', (input, tokens) => expect(nameTokens(input)).toEqual(tokens));
});

describe('custody match against "José Pérez"', () => {
  test.each([
    ['José Pérez', 'full'],
    ['Jose Perez', 'full'],
    ['Jose\u0301 Pe\u0301rez', 'full'],
    ['Pérez José', 'full'],
    ['jose PEREZ', 'full'],
    ['José Luis Pérez', 'full'],
    ['José  Pérez!!', 'full'],
    ['Jo\u200Bsé Pé\u200Crez', 'full'],
    ['J. Pérez', 'partial'],
    ['J Perez', 'partial'],
    ['José', 'partial'],
    ['Pérez', 'partial'],
    ['Maria Perez', 'none'],
    ['José García', 'none'],
    ['Josefina Peralta', 'none'],
    ['', 'none'],
  ])('%p → %s', (given, want) => expect(custodyMatch(given, 'José Pérez')).toBe(want));
});

describe('custody match against "Jordan Kim" (the names the issue lists)', () => {
  test.each([
    ['Jordan Kim', 'full'],
    ['Kim Jordan', 'full'],
    ['Jordan M. Kim', 'full'],
    ['JORDAN KIM', 'full'],
    ['JordanKim', 'full'],
    ['Jordan\u200BKim', 'full'],
    ['Jordan', 'partial'],
    ['Kim', 'partial'],
    ['J. Kim', 'partial'],
    ['J Kim', 'partial'],
    ['Pat Kim', 'none'],
    ['Jordan Lee', 'none'],
    ['Kimberly Jordanson', 'none'],
  ])('%p → %s', (given, want) => expect(custodyMatch(given, 'Jordan Kim')).toBe(want));
  test('an alert with a middle name: the given and surname alone is partial', () => {
    expect(custodyMatch('Jordan Kim', 'Jordan Michael Kim')).toBe('partial');
    expect(custodyMatch('Jordan Michael Kim', 'Jordan Michael Kim')).toBe('full');
  });
  test('an alert written with an initial', () => expect(custodyMatch('Jordan Kim', 'J. Kim')).toBe('partial'));
});

describe('non-Latin scripts keep their letters', () => {
  test('two different Cyrillic names do not match', () => expect(custodyMatch('Сергей Смирнов', 'Иван Петров')).toBe('none'));
  test('the same Cyrillic name matches, in any order', () => {
    expect(custodyMatch('Иван Петров', 'Иван Петров')).toBe('full');
    expect(custodyMatch('ПЕТРОВ иван', 'Иван Петров')).toBe('full');
  });
  test('two different Greek or Han names do not match; the same one does', () => {
    expect(custodyMatch('Νίκος Παπαδόπουλος', 'Γιώργος Οικονόμου')).toBe('none');
    expect(custodyMatch('Νικος Παπαδοπουλος', 'Νίκος Παπαδόπουλος')).toBe('full');
    expect(custodyMatch('李雷', '王小明')).toBe('none');
    expect(custodyMatch('王小明', '王小明')).toBe('full');
  });
});

test('worstCustodyMatch: a full match beats a partial one', () => {
  const alerts = [
    { name: 'Jordan Kim', id: 1 },
    { name: 'Pat Kim', id: 2 },
  ];
  expect(worstCustodyMatch('Pat Kim', alerts)).toEqual({ match: 'full', alert: alerts[1] });
  expect(worstCustodyMatch('J. Kim', alerts).match).toBe('partial');
  expect(worstCustodyMatch('Lee Chan', alerts)).toEqual({ match: 'none', alert: null });
});

test('sameName: tokens in any order after folding', () => {
  expect(sameName('Pérez José', 'jose perez')).toBe(true);
  expect(sameName('Mary Ann Lee', 'MaryAnn Lee')).toBe(true);
  expect(sameName('Jose Perez', 'Jose Perez Jr')).toBe(false);
  expect(sameName('', '')).toBe(false);
});
