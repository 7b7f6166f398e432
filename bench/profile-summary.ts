/**
 * `npx tsx bench/profile-summary.ts [file.cpuprofile]`: the newest server CPU profile written by
 * `npm run bench -- --profile`, summarised as self time by function and by package/file, so the
 * hot path's costs can be read without a GUI.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const dir = path.resolve(__dirname, 'results');
// the newest run's largest profile is the main thread's (tsx's loader thread writes a small one too)
const newest = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => path.join(dir, f))
  .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
const run = newest[0] ? path.basename(newest[0]).split('.').slice(0, 4).join('.') : '';
const file = process.argv[2] ?? newest.filter((f) => path.basename(f).startsWith(run)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
if (!file) {
  console.error('no .cpuprofile in bench/results: run npm run bench -- --profile');
  process.exit(1);
}
const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;

const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  return path.relative(path.resolve(__dirname, '..'), url.replace('file://', ''));
};
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const f = `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  fn.set(f, (fn.get(f) ?? 0) + t);
  const k = where(n.callFrame.url);
  pkg.set(k, (pkg.get(k) ?? 0) + t);
}
const show = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${((100 * t) / total).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
console.log(`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled`);
show('self time by package / file', pkg, 25);
show('self time by function', fn, 40);
