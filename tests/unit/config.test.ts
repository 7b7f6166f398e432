/** Config fails fast (CONVENTIONS habit 8): a bad environment stops the process with a list of what is wrong. */
import { parseConfig } from '../../server/src/config';
import { startProcess } from '../support/processes';

const TWILIO = { TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32), TWILIO_AUTH_TOKEN: 'secret', TWILIO_FROM: '+13125550100' };

test('every bad variable is named, all at once', () => {
  expect(() => parseConfig({ PORT: 'eighty', DB_POOL_MAX: '0', LOG_LEVEL: 'loud' })).toThrow(/PORT[\s\S]*DB_POOL_MAX[\s\S]*LOG_LEVEL/);
  expect(() => parseConfig({ TWILIO_ACCOUNT_SID: 'AC1' })).toThrow(/TWILIO_AUTH_TOKEN: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together/);
  expect(() => parseConfig({ APP_SECRET: 'short' })).toThrow(/APP_SECRET: must be at least 32 characters/);
});

test('production refuses a missing APP_SECRET, and Twilio without PUBLIC_URL (texts would link to localhost)', () => {
  const secret = { APP_SECRET: 'x'.repeat(40) };
  expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/APP_SECRET: is required in production/);
  expect(() => parseConfig({ NODE_ENV: 'production', ...secret, ...TWILIO })).toThrow(/PUBLIC_URL: is required in production when Twilio is configured/);
  expect(parseConfig({ NODE_ENV: 'production', ...secret, ...TWILIO, PUBLIC_URL: 'https://kids.example.church' }).PUBLIC_URL).toBe(
    'https://kids.example.church',
  );
  // development keeps working without it (links use the request's origin)
  expect(parseConfig({ ...TWILIO }).PUBLIC_URL).toBeUndefined();
});

test('the server process exits 2 with the list, before touching any database', async () => {
  const p = startProcess(['server/src/main.ts'], { PORT: 'eighty', DATABASE_URL: 'not a url' }, { clean: true });
  await new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  expect(p.child.exitCode).toBe(2);
  expect(p.output()).toMatch(/Invalid configuration:[\s\S]*PORT[\s\S]*DATABASE_URL/);
});
