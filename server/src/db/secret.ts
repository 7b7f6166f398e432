import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** APP_SECRET when set; otherwise one generated once and kept (mode 600) under DATA_DIR. */
export function loadSecret(appSecret: string | undefined, dataDir: string): Buffer {
  if (appSecret) return Buffer.from(appSecret, 'utf8');
  const file = path.join(dataDir, 'app-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
}
