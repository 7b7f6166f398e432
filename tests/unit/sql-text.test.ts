/**
 * No date is ever written into SQL text (issue 26 point 5): knex's .toQuery() writes a Date as the
 * process's local wall time without an offset, which PostgreSQL then reads in its own zone, so a
 * server whose machine ran in Pacific/Kiritimati started every generated service 10 hours early.
 * Values go to PostgreSQL as bindings (raw SQL with named bindings, or a knex builder executed).
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../server/src');
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

test('server code never turns a knex builder into SQL text (.toQuery())', () => {
  const offenders = files(ROOT)
    .filter((f) => !f.includes(`${path.sep}queries${path.sep}`)) // the EXPLAIN generator only prints plans
    .flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${path.relative(ROOT, f)}:${i + 1}` }))
        .filter(({ line }) => /\.toQuery\(\)/.test(line) && !/^\s*(\/\/|\*)/.test(line) && !/\/\/.*\.toQuery\(\)/.test(line))
        .map(({ at }) => at),
    );
  expect(offenders).toEqual([]);
});
