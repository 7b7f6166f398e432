/** The UIs' served build: gzip sizes of their assets, and the kiosk's first paint in Chromium. */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { ROOT } from './db';

export const UI_BUDGET_GZIP_KB = 250;

export interface UiSizes {
  built: boolean;
  /** every JS file of the build, lazy chunks included (the budget is checked on this) */
  jsGzipKb: number | null;
  /** what index.html itself loads (entry script and its modulepreloads) */
  entryJsGzipKb: number | null;
  cssGzipKb: number | null;
  withinBudget: boolean | null;
  assets: { file: string; bytes: number; gzipBytes: number }[];
}

/** Builds the two UIs when a fresh clone has none yet (vite, a second or two). */
export function buildUisIfMissing(log: (m: string) => void): void {
  const missing = (['kiosk-ui', 'staff-ui'] as const).filter((n) => !fs.existsSync(path.join(ROOT, n, 'dist', 'index.html')));
  if (!missing.length) return;
  log(`building ${missing.join(' and ')} (npm run build:ui)…`);
  // the project's own script, so a change of its config files needs no change here
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build:ui'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

export function uiSizes(name: 'kiosk-ui' | 'staff-ui'): UiSizes {
  const dist = path.join(ROOT, name, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html')))
    return { built: false, jsGzipKb: null, entryJsGzipKb: null, cssGzipKb: null, withinBudget: null, assets: [] };
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dist);
  const assets = files
    .filter((f) => /\.(js|mjs|css|html)$/.test(f))
    .map((f) => {
      const buf = fs.readFileSync(f);
      return { file: path.relative(dist, f), bytes: buf.length, gzipBytes: zlib.gzipSync(buf, { level: 9 }).length };
    });
  const sum = (re: RegExp) => assets.filter((a) => re.test(a.file)).reduce((s, a) => s + a.gzipBytes, 0) / 1024;
  const js = Math.round(sum(/\.m?js$/) * 10) / 10;
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entry = new Set([...html.matchAll(/(?:src|href)="[^"]*\/(assets\/[^"]+\.m?js)"/g)].map((m) => m[1]));
  const entryJs = assets.filter((a) => entry.has(a.file.split(path.sep).join('/'))).reduce((n, a) => n + a.gzipBytes, 0) / 1024;
  return {
    built: true,
    jsGzipKb: js,
    entryJsGzipKb: Math.round(entryJs * 10) / 10,
    cssGzipKb: Math.round(sum(/\.css$/) * 10) / 10,
    withinBudget: js < UI_BUDGET_GZIP_KB,
    assets,
  };
}

export interface FirstPaint {
  ms: number | null;
  firstContentfulPaintMs: number | null;
  note?: string;
}

/** Loads /kiosk/ from the running server in headless Chromium (cold cache) and reads the paint timings. */
export async function kioskFirstPaint(baseUrl: string, served: boolean): Promise<FirstPaint> {
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!served) return { ms: null, firstContentfulPaintMs: null, note: 'kiosk-ui/dist or staff-ui/dist is not built: run npm run build:ui' };
  if (!fs.existsSync(chromiumPath))
    return { ms: null, firstContentfulPaintMs: null, note: `Chromium not found at ${chromiumPath}: apt-get install -y chromium` };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const runs: { fp: number | null; fcp: number | null }[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/kiosk/`, { waitUntil: 'load' });
      await page.waitForTimeout(300);
      const paints = await page.evaluate(() =>
        (performance.getEntriesByType as (t: string) => { name: string; startTime: number }[])('paint').map((e) => ({ name: e.name, t: e.startTime })),
      );
      runs.push({ fp: paints.find((p) => p.name === 'first-paint')?.t ?? null, fcp: paints.find((p) => p.name === 'first-contentful-paint')?.t ?? null });
      await context.close();
    }
    const worst = (k: 'fp' | 'fcp') => {
      const v = runs.map((r) => r[k]).filter((x): x is number => x != null);
      return v.length ? Math.round(Math.max(...v)) : null;
    };
    return { ms: worst('fp'), firstContentfulPaintMs: worst('fcp'), note: 'worst of 3 cold loads, 1024×768, same machine' };
  } finally {
    await browser.close();
  }
}
