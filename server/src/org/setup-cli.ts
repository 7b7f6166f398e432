/**
 * `npm run setup -- --org NAME --campus NAME --timezone TZ --admin-email EMAIL --admin-password PASSWORD --admin-name NAME`
 * First run without SQL (DESIGN §10): migrates, then creates the organisation, its first campus
 * and its first admin, on DATABASE_URL or the embedded database (the same bootstrap as
 * `npm start`). Missing flags are asked for when stdin is a terminal. Refuses (exit 1) once an
 * organisation exists.
 */
import readline from 'node:readline';
import { SetupSchema, type Setup } from '../../../contracts';
import { loadConfig } from '../config';
import { createDb } from '../db/knex';
import { ensureDatabase, startDatabase } from '../db/embedded';
import { migrateLatest } from '../db/migrate';
import { withTransaction } from '../db/transaction';
import { AppError } from '../errors';
import { setupOrganization } from './org.service';

const FLAGS: { flag: string; key: keyof Setup; prompt: string; secret?: boolean; optional?: boolean }[] = [
  { flag: '--org', key: 'org', prompt: 'Organisation name' },
  { flag: '--campus', key: 'campus', prompt: 'First campus name' },
  { flag: '--timezone', key: 'timezone', prompt: 'Campus time zone (e.g. America/Chicago)' },
  { flag: '--admin-name', key: 'adminName', prompt: 'Admin name (shown to staff)' },
  { flag: '--admin-email', key: 'adminEmail', prompt: 'Admin email' },
  { flag: '--admin-password', key: 'adminPassword', prompt: 'Admin password (10+ characters)', secret: true },
];

export function parseArgs(argv: string[]): { values: Partial<Record<keyof Setup, string>>; unknown: string[] } {
  const values: Partial<Record<keyof Setup, string>> = {};
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const f = FLAGS.find((x) => x.flag === name);
    if (!f) {
      unknown.push(a);
      continue;
    }
    values[f.key] = inline ?? argv[++i] ?? '';
  }
  return { values, unknown };
}

function ask(question: string, secret = false): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (secret) {
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    out._writeToOutput = (s: string) => {
      if (s.startsWith(question)) out.output.write(s);
    };
  }
  return new Promise((resolve) =>
    rl.question(`${question}: `, (answer) => {
      rl.close();
      if (secret) process.stdout.write('\n');
      resolve(answer);
    }),
  );
}

async function main(): Promise<number> {
  const { values, unknown } = parseArgs(process.argv.slice(2));
  if (unknown.length) {
    console.error(
      `setup: unknown argument(s): ${unknown.join(' ')}\nusage: npm run setup -- ${FLAGS.map((f) => `${f.flag} ${f.optional ? '[…]' : '…'}`).join(' ')}`,
    );
    return 1;
  }
  for (const f of FLAGS) {
    if (values[f.key] != null || f.optional) continue;
    if (!process.stdin.isTTY) continue;
    values[f.key] = await ask(f.prompt, f.secret);
  }
  const parsed = SetupSchema.safeParse(values);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const f = FLAGS.find((x) => x.key === i.path[0]);
      return `  ${f?.flag ?? String(i.path[0])}: ${values[i.path[0] as keyof Setup] == null ? 'is required' : i.message}`;
    });
    console.error(`setup: nothing was changed:\n${lines.join('\n')}`);
    return 1;
  }

  let config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  const database = await startDatabase(config, (m) => console.log(m));
  const url = database.embedded ? await ensureDatabase(database.url, 'kidsclub') : database.url;
  const db = createDb(url, 2);
  try {
    const applied = await migrateLatest(db);
    if (applied.length) console.log(`applied ${applied.length} migration(s)`);
    const made = await withTransaction(
      db,
      () => {},
      (tx) => setupOrganization(tx, parsed.data),
    );
    console.log(
      `Created organisation "${parsed.data.org}", campus "${parsed.data.campus}" (${parsed.data.timezone}) with its default rooms, and admin ${parsed.data.adminEmail}.`,
    );
    console.log(`organization ${made.organizationId}, campus ${made.siteId}`);
    console.log('Start the app (npm start, with DEMO_SEED=false) and sign in at /staff/ with that email and password.');
    console.log('Add more campuses (from the rooms template or as a copy), rename them or set their time zone at /staff/admin/campuses (Admin → Campuses).');
    return 0;
  } catch (e) {
    if (e instanceof AppError && e.code === 'already_set_up') {
      console.error(`setup: refused: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await db.destroy();
    await database.stop();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
