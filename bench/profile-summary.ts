/**
 * `npx tsx bench/profile-summary.ts [file.cpuprofile] [--all] [--inclusive=N] [--top=N]`: the newest server
 * CPU profile written by `npm run bench -- --profile`, summarised as self time by function and by
 * package/file, so the hot path's costs can be read without a GUI.
 *
 * By default only the samples from the first HTTP request onwards are counted, and none with module
 * loading on the stack (the server's start — tsx compiling, modules loading — is not work per
 * check-in); `--all` counts the whole profile. Shares are of the busy (non-idle) time in that
 * window. `--inclusive=N` also lists the N functions with the most time on the stack (self and
 * callees), which is where a middleware's or a serialiser's whole cost shows; `--top=N` lists N
 * packages and functions (default 25 and 40).
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

const args = process.argv.slice(2);
const all = args.includes('--all');
const inclusiveN = Number(args.find((a) => a.startsWith('--inclusive='))?.split('=')[1] ?? 0);
const top = Number(args.find((a) => a.startsWith('--top='))?.split('=')[1] ?? 0);
const dir = path.resolve(__dirname, 'results');
// CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: the newest run is the newest file's pid (its
// threads may start in different seconds); its largest profile is the main thread's (tsx's loader
// thread writes a small one too)
const newest = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => path.join(dir, f))
  .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
const pid = (f: string) => path.basename(f).split('.')[3];
const file =
  args.find((a) => !a.startsWith('--')) ?? newest.filter((f) => pid(f) === pid(newest[0] ?? '')).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
if (!file) {
  console.error('no .cpuprofile in bench/results: run npm run bench -- --profile');
  process.exit(1);
}
const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;

const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stack = (id: number) => {
  const out: Node[] = [];
  for (let cur: number | undefined = id; cur != null; cur = parent.get(cur)) out.push(byId.get(cur)!);
  return out;
};

// the window: from the first HTTP request handled onwards (unless --all); module loading (tsx/esbuild
// compiling, a lazy require) is start-up whenever it happens, and is left out too
const names = (id: number) => new Set(stack(id).map((n) => n.callFrame.functionName));
const loading = (id: number) => {
  const s = names(id);
  return s.has('Module._compile') || s.has('runCallSync') || s.has('compileForInternalLoader');
};
let first = 0;
if (!all) {
  first = p.samples.findIndex((id) => names(id).has('parserOnIncoming'));
  if (first < 0) first = 0;
}
let skipped = p.timeDeltas.slice(0, first).reduce((a, b) => a + b, 0);
const self = new Map<number, number>();
for (let i = first; i < p.samples.length; i++) {
  const id = p.samples[i]!;
  const t = p.timeDeltas[i] ?? 0;
  if (!all && loading(id)) skipped += t;
  else self.set(id, (self.get(id) ?? 0) + t);
}
const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
const busy = [...self].filter(([id]) => !isIdle(id)).reduce((a, [, t]) => a + t, 0);
const idle = [...self].filter(([id]) => isIdle(id)).reduce((a, [, t]) => a + t, 0);

const where = (url: string) => {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  return path.relative(path.resolve(__dirname, '..'), url.replace('file://', ''));
};
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
const incl = new Map<string, number>();
for (const [id, t] of self) {
  if (isIdle(id)) continue;
  const n = byId.get(id)!;
  fn.set(label(n), (fn.get(label(n)) ?? 0) + t);
  const k = where(n.callFrame.url);
  pkg.set(k, (pkg.get(k) ?? 0) + t);
  if (inclusiveN) for (const f of new Set(stack(id).map(label))) incl.set(f, (incl.get(f) ?? 0) + t);
}
const show = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${((100 * t) / busy).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
console.log(
  `${path.basename(file)}: ${(busy / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(1)} s idle` +
    (all ? ' (whole profile)' : ` (from the first HTTP request on, module loading left out: ${(skipped / 1e6).toFixed(1)} s of start-up; --all counts it)`) +
    '; shares are of the busy time',
);
show('self time by package / file', pkg, top || 25);
show('self time by function', fn, top || 40);
if (inclusiveN) show('time on the stack (self + callees) by function', incl, inclusiveN);
