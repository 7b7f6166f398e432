import { maskPhone, normalizePhone } from '../../server/src/households/phone';

test.each([
  ['(312) 555-0123', '+13125550123'], ['312.555.0123', '+13125550123'], ['1 312 555 0123', '+13125550123'],
  ['+1 312 555 0123', '+13125550123'], ['+44 20 7946 0958', '+442079460958'], ['  3125550123 ', '+13125550123'],
])('%s → %s', (input, e164) => expect(normalizePhone(input)).toBe(e164));

test.each(['555-0123', '0125550123', '1125550123', '+0123456789', '+1234567', '+1234567890123456', '', 'abc', '312-555-01234'])('rejects %p', (input) => {
  expect(normalizePhone(input)).toBeNull();
});

test('masks all but the last four digits', () => expect(maskPhone('+13125550123')).toBe('•••-•••-0123'));
