// npm run duplicates: jscpd (config in .jscpd.json) finds copy-pasted blocks; this prints the figure the
// codebase tracks (duplicated lines per 1,000 lines, overall and per top-level area) and the largest clones,
// so the next engineer can see where a helper already exists before writing another. Report kept in coverage/jscpd/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const root = process.cwd();
execFileSync(process.execPath, ['node_modules/jscpd/run-jscpd.js', '--config', '.jscpd.json'], { stdio: 'inherit' });
const report = JSON.parse(readFileSync('coverage/jscpd/jscpd-report.json', 'utf8'));
const rel = (f) => relative(root, f);
const config = JSON.parse(readFileSync('.jscpd.json', 'utf8'));
const areaOf = (f) => {
  const parts = (f.startsWith('/') ? rel(f) : f).split('/');
  return parts[0] === 'server' ? parts.slice(0, 2).join('/') : parts[0];
};
// jscpd gives totals only; per area: the duplicated line ranges (either side of a clone) over the area's lines
const dupLines = new Map();
for (const d of report.duplicates)
  for (const side of [d.firstFile, d.secondFile]) {
    const set = dupLines.get(side.name) ?? new Set();
    for (let l = side.start; l <= side.end; l++) set.add(l);
    dupLines.set(side.name, set);
  }
const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '--', ...config.path], { encoding: 'utf8' }).split('\n');
const perArea = new Map();
for (const file of tracked.filter((f) => /\.tsx?$/.test(f))) {
  const a = perArea.get(areaOf(file)) ?? { lines: 0, duplicatedLines: 0 };
  a.lines += readFileSync(file, 'utf8').split('\n').length;
  a.duplicatedLines += dupLines.get(`${root}/${file}`)?.size ?? 0;
  perArea.set(areaOf(file), a);
}
const per1000 = (d, l) => ((1000 * d) / Math.max(1, l)).toFixed(1);
const t = report.statistics.total;
console.log(`\nDuplicated lines per 1,000: ${per1000(t.duplicatedLines, t.lines)}  (${t.duplicatedLines} of ${t.lines} lines, ${t.clones} clones)`);
for (const [area, a] of [...perArea].sort())
  console.log(`  ${area.padEnd(10)} ${per1000(a.duplicatedLines, a.lines).padStart(6)}  (${a.duplicatedLines}/${a.lines})`);
const only = process.argv[2];
const clones = report.duplicates
  .filter((d) => !only || rel(d.firstFile.name).startsWith(only) || rel(d.secondFile.name).startsWith(only))
  .sort((x, y) => y.lines - x.lines)
  .slice(0, Number(process.env.TOP ?? 15));
console.log(`\nLargest clones${only ? ` touching ${only}` : ''}:`);
for (const d of clones)
  console.log(`  ${String(d.lines).padStart(3)} lines  ${rel(d.firstFile.name)}:${d.firstFile.start}  ~  ${rel(d.secondFile.name)}:${d.secondFile.start}`);
