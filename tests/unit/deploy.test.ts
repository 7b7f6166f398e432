/**
 * The deployment files, read as an operator's machine would: no secret with a default, HTTPS in
 * front, the backup service there, and .env.example naming every value compose requires.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const text = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
interface Service {
  image?: string;
  ports?: string[];
  environment?: Record<string, string>;
  command?: string[];
}
const compose = parse(text, { merge: true }) as { services: Record<string, Service> };

test('no secret has a default: APP_SECRET and POSTGRES_PASSWORD are required (${VAR:?…}) wherever they are used', () => {
  const uses = [...text.matchAll(/\$\{(APP_SECRET|POSTGRES_PASSWORD)([^}]*)\}/g)];
  expect(uses.length).toBeGreaterThanOrEqual(4);
  for (const [whole, , rest] of uses) expect({ whole, required: rest!.startsWith(':?') }).toEqual({ whole, required: true });
  expect(text).not.toMatch(/demo-only-app-secret/);
  expect(compose.services.app1!.environment!.DEMO_SEED).toBe('${DEMO_SEED:-false}');
});

test('HTTPS in front (Caddy on 443 with the Caddyfile), PUBLIC_URL https, and a backup service running deploy/backup.sh', () => {
  const proxy = compose.services.proxy!;
  expect(proxy.image).toMatch(/^caddy:/);
  expect(proxy.ports!.some((p) => p.endsWith(':443'))).toBe(true);
  expect(compose.services.app1!.environment!.PUBLIC_URL).toMatch(/^https:\/\//);
  expect(fs.readFileSync(path.join(ROOT, 'deploy/Caddyfile'), 'utf8')).toMatch(/tls \{\$CADDY_TLS\}[\s\S]*lb_policy cookie/);
  expect(compose.services.backup!.command).toEqual(['sh', '/deploy/backup.sh']);
});

test('.env.example names every value compose requires', () => {
  const required = new Set([...text.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]!));
  const example = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  for (const name of required) expect({ name, listed: new RegExp(`^${name}=`, 'm').test(example) }).toEqual({ name, listed: true });
  expect([...required].sort()).toEqual(['APP_SECRET', 'CADDY_TLS', 'POSTGRES_PASSWORD', 'SITE_ADDRESS']);
});
