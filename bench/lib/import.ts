/**
 * `npm run bench -- --import[=N]`: the CSV import's pace (issue #15; target: 10,000 households
 * under 60 s). Generates a generic-format file of N households (a guardian with a mobile and a
 * child each, one in seven with an allergy — like tests/volume/import-volume.test.ts), imports it into a
 * fresh campus through the operators' path (importFile, as `npm run import` does), then imports
 * it again (keyed on the source's ids: nothing changes) and reports both.
 */
import { Client } from 'pg';
import { createDb } from '../../server/src/db/knex';
import { importFile } from '../../server/src/import/import.jobs';

export function importCsv(households: number): string {
  const lines = ['household_id,household_name,person_id,role,first_name,last_name,mobile,birthdate,grade,allergies'];
  for (let i = 0; i < households; i++) {
    const phone = `+1312${String(2_000_000 + i).padStart(7, '0')}`;
    lines.push(`H${i},Family ${i},P${i}a,adult,Pat,Surname${i},${phone},,,`);
    lines.push(`H${i},Family ${i},P${i}b,child,Kid,Surname${i},,2019-0${1 + (i % 9)}-15,,${i % 7 === 0 ? 'Peanuts' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function benchImport(url: string, households: number, log: (m: string) => void) {
  const campus = `Import Bench ${Date.now()}`;
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`INSERT INTO sites (name, timezone) VALUES ($1, 'America/Chicago')`, [campus]);
  } finally {
    await c.end();
  }
  const text = importCsv(households);
  log(`import: ${households.toLocaleString('en-US')} households (${(text.length / 1e6).toFixed(1)} MB) into "${campus}"…`);
  const db = createDb(url, 4);
  try {
    const run = async () => {
      const t0 = performance.now();
      const s = await importFile(db, { campus, text, format: 'generic', dryRun: false });
      return { seconds: (performance.now() - t0) / 1000, s };
    };
    const first = await run();
    log(`  imported ${first.s.households} households, ${first.s.people} people in ${first.seconds.toFixed(1)} s`);
    const again = await run();
    log(`  re-import: ${again.s.households} changed, ${again.s.unchangedHouseholds} unchanged in ${again.seconds.toFixed(1)} s`);
    return {
      households,
      imported: first.s.households,
      people: first.s.people,
      seconds: Math.round(first.seconds * 10) / 10,
      householdsPerSecond: Math.round(households / first.seconds),
      targetSeconds: 60,
      withinTarget: first.seconds < 60 && first.s.households === households,
      reimport: {
        changed: again.s.households,
        unchanged: again.s.unchangedHouseholds,
        seconds: Math.round(again.seconds * 10) / 10,
        householdsPerSecond: Math.round(households / again.seconds),
      },
    };
  } finally {
    await db.destroy();
  }
}
