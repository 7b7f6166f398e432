/**
 * `npm run dev`: a local Twilio-compatible server (server/src/dev/fake-twilio.ts) and the app
 * (tsx watch) pointed at it, so every SMS is real `twilio` SDK traffic you can watch — status
 * callbacks included — without an account or the internet.
 *
 *   curl localhost:<fake>/_fake/messages                       what was sent
 *   curl --data-urlencode From=+13125550188 -d Body=STOP localhost:<fake>/_fake/inbound   text the app
 *
 * A development launcher, not part of the server: it only passes the environment through.
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startFakeTwilio } from './dev/fake-twilio';

async function main() {
  const root = path.resolve(__dirname, '../..');
  const port = Number(process.env.PORT ?? 3000);
  const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
  const fake = await startFakeTwilio({
    port: Number(process.env.FAKE_TWILIO_PORT ?? 0),
    inboundUrl: `${publicUrl}/webhooks/twilio/inbound`,
    onMessage: (m) => console.log(`\x1b[36m[fake twilio]\x1b[0m ${m.sid} → ${m.to}: ${m.body}`),
  });
  console.log(`[fake twilio] Twilio-compatible API on ${fake.url} (account ${fake.accountSid}, from ${fake.from})`);
  console.log(`[fake twilio] sent messages: ${fake.url}/_fake/messages · text the app: curl --data-urlencode From=+1… -d Body=STOP ${fake.url}/_fake/inbound`);

  const app = spawn(path.join(root, 'node_modules/.bin/tsx'), ['watch', '--clear-screen=false', 'server/src/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...fake.env(), PUBLIC_URL: publicUrl, PORT: String(port) },
  });
  const stop = async (code: number) => {
    app.kill('SIGTERM');
    await fake.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  app.on('exit', (code) => void stop(code ?? 0));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
