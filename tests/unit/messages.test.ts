import { ApiError, messageOf } from '../../contracts/client/http';
import { fieldLabel, plainMessage } from '../../contracts/client/messages';
import { localDateTime } from '../../contracts/rules/dates';

describe('server messages in plain words', () => {
  test('the field prefix becomes a label', () => {
    expect(plainMessage('phone: must be a mobile number', 'phone')).toBe('Phone: must be a mobile number');
    expect(plainMessage('guardians.0.firstName: is required', 'guardians.0.firstName')).toBe('Guardian 1 first name is required');
    expect(plainMessage('children.1.birthdate: is not a real date')).toBe('Child 2 birth date is not a real date');
    expect(plainMessage('body: has the wrong shape', 'body')).toBe('The form has the wrong shape');
    expect(fieldLabel('smsTemplates.page')).toBe('text message wording page');
  });
  test('messages without a field prefix pass unchanged', () => {
    expect(plainMessage('Toddlers is full')).toBe('Toddlers is full');
    expect(plainMessage('Cannot reach the server — check the connection')).toBe('Cannot reach the server — check the connection');
    // a prefix that is not the named field is left alone rather than guessed at
    expect(plainMessage('note: see below', 'phone')).toBe('note: see below');
  });
  test('messageOf maps API errors and leaves other errors as they are', () => {
    expect(messageOf(new ApiError(400, 'validation_failed', 'phone: must be a mobile number', 'phone'))).toBe('Phone: must be a mobile number');
    expect(messageOf(new Error('phone: x'))).toBe('phone: x');
  });
});

describe('localDateTime', () => {
  test("an instant as the campus's wall clock", () => {
    expect(localDateTime(new Date('2026-11-29T15:05:09Z'), 'America/Chicago')).toBe('2026-11-29 09:05:09');
    expect(localDateTime('2026-07-01T00:00:00Z', 'America/Chicago')).toBe('2026-06-30 19:00:00');
    expect(localDateTime(new Date('2026-11-29T00:05:09Z'), 'Not/AZone')).toBe('2026-11-29 00:05:09');
  });
});
