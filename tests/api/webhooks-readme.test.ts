/**
 * The README's ten-line webhook receiver (Integrations → Webhooks), run as written in a real Node
 * process: it verifies a real signed delivery from the dispatcher, and refuses a forged one.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WebhookCreated } from '../../contracts';
import { portFree } from '../../server/src/db/embedded';
import { startWebhooks, type WebhooksRuntime } from '../../server/src/webhooks/webhooks-runtime';
import { buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { ROOT, startProcess, type Proc } from '../support/processes';

let t: TestApp;
let wh: WebhooksRuntime;
let site: BuiltSite;
let dir: string;
let receiver: Proc | undefined;

beforeAll(async () => {
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
  wh = startWebhooks(t.ctx, { pollMs: 50 });
  site = await buildSite(t.db);
  await t.db('users').where({ id: site.userIds.admin }).update({ org_admin: true });
  // under node_modules: the example imports `standardwebhooks` as a receiver's project would
  dir = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.kc-readme-receiver-'));
});
afterAll(async () => {
  await receiver?.kill('SIGKILL');
  await wh.stop();
  await t.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- webhook-receiver-example -->\n```js\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README: the webhook receiver example is gone');
  return m[1]!;
}

test('the README receiver is at most a dozen lines, verifies a real delivery and refuses a forged one', async () => {
  const code = readmeExample();
  expect(code.trim().split('\n').length).toBeLessThanOrEqual(12);
  const file = path.join(dir, 'receiver.mjs');
  fs.writeFileSync(file, code);
  let port = 3520;
  while (!(await portFree(port))) port++;

  const created = await t
    .api()
    .post('/api/org/webhooks')
    .set(bearer(site.tokens.admin))
    .send({ url: `http://127.0.0.1:${port}/`, events: ['checkin.created'] });
  expect(created.status).toBe(201);
  const { webhook, secret } = created.body as WebhookCreated;

  receiver = startProcess([file], { WEBHOOK_SECRET: secret, PORT: String(port) });
  await receiver.waitFor(/listening/);
  const ping = await t.api().post(`/api/org/webhooks/${webhook.id}/test`).set(bearer(site.tokens.admin));
  expect(ping.status).toBe(202);
  await receiver.waitFor(new RegExp(`verified webhook\\.test ${ping.body.delivery.id}`));
  await wh.dispatcher!.drain();
  expect(await t.db('webhook_deliveries').where({ id: ping.body.delivery.id }).first()).toMatchObject({ status: 'delivered', last_status_code: 204 });

  // forged: signed with another secret
  const forged = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: { 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
    body: '{"type":"checkin.created"}',
  });
  expect(forged.status).toBe(400);
  expect(receiver.output()).not.toContain('msg_forged');
});
