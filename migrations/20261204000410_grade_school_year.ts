import type { Knex } from 'knex';

/**
 * Grades promote themselves (DESIGN §10): a child's grade is the grade of a school year
 * (`children.grade_school_year`, named by the calendar year it starts in). Whoever writes a grade
 * (staff, kiosk registration, import, a plain SQL insert) gets it stamped with the current school
 * year of the family's campus by a trigger (the campus's timezone and `gradePromotionDate`,
 * 08-01 by default); the promotion job moves grades of earlier years up. Existing graded children
 * are stamped with today's school year on the default date: their grade was typed as current.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('children', (t) => {
    t.smallint('grade_school_year');
  });
  await knex.raw(`
    CREATE FUNCTION children_grade_school_year() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE tz text; promo text; d date;
    BEGIN
      IF NEW.grade IS NULL THEN
        NEW.grade_school_year := NULL;
        RETURN NEW;
      END IF;
      -- the promotion job sets grade and year together; an unchanged grade keeps its year
      IF TG_OP = 'UPDATE' AND (NEW.grade_school_year IS DISTINCT FROM OLD.grade_school_year OR NEW.grade IS NOT DISTINCT FROM OLD.grade) THEN
        RETURN NEW;
      END IF;
      SELECT s.timezone, COALESCE(s.settings->>'gradePromotionDate', '08-01') INTO tz, promo
        FROM households h JOIN sites s ON s.id = h.site_id WHERE h.id = NEW.household_id;
      d := (now() AT TIME ZONE COALESCE(tz, 'UTC'))::date;
      NEW.grade_school_year := CASE WHEN to_char(d, 'MM-DD') >= COALESCE(promo, '08-01') THEN extract(year FROM d)::int ELSE extract(year FROM d)::int - 1 END;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER children_grade_school_year BEFORE INSERT OR UPDATE OF grade, grade_school_year ON children
    FOR EACH ROW EXECUTE FUNCTION children_grade_school_year()`);
  await knex.raw(`UPDATE children SET grade_school_year = CASE WHEN to_char(now(), 'MM-DD') >= '08-01'
    THEN extract(year FROM now())::int ELSE extract(year FROM now())::int - 1 END WHERE grade IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS children_grade_school_year ON children');
  await knex.raw('DROP FUNCTION IF EXISTS children_grade_school_year()');
  await knex.schema.alterTable('children', (t) => {
    t.dropColumn('grade_school_year');
  });
}
