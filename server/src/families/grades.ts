/**
 * Grades promote themselves (DESIGN §10): on each campus's promotion date (its calendar, its
 * `gradePromotionDate`) every graded child of its families moves up by the school years passed
 * since their grade was written (stamped by the `children_grade_school_year` trigger). Idempotent:
 * a grade already of this school year is not touched, so running it hourly, on several instances
 * or twice in a row moves nobody twice. A child past the last grade stays at it (staff see them).
 */
import type { Knex } from 'knex';
import { MAX_GRADE } from '../../../contracts/limits';
import { dateInTimezone, schoolYearOf } from '../../../contracts/rules';
import { effectiveSettings } from '../sites/sites.repo';

export async function promoteGrades(db: Knex, now = new Date()): Promise<number> {
  const sites = await db('sites as s')
    .join('organizations as o', 'o.id', 's.organization_id')
    .select<{ id: string; timezone: string; settings: unknown; org_settings: unknown }[]>('s.id', 's.timezone', 's.settings', 'o.settings as org_settings');
  let moved = 0;
  for (const s of sites) {
    const year = schoolYearOf(dateInTimezone(now, s.timezone), effectiveSettings(s.org_settings, s.settings).gradePromotionDate);
    const r = await db.raw<{ rowCount: number }>(
      `UPDATE children ch SET grade = LEAST(ch.grade + (:year - ch.grade_school_year), :max), grade_school_year = :year
         FROM households h
        WHERE h.id = ch.household_id AND h.site_id = :site AND ch.grade IS NOT NULL AND ch.grade_school_year < :year`,
      { year, max: MAX_GRADE, site: s.id },
    );
    moved += r.rowCount;
  }
  return moved;
}
