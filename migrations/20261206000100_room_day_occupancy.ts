import type { Knex } from 'knex';

/**
 * The physical headcount of a room on a day (DESIGN §3), kept by the database instead of counted
 * on every check-in.
 *
 * Until now every check-in counted `count(DISTINCT child_id)` of the open check-ins of each room it
 * locked, and of the overflow rooms it peeked at, and of the other rooms its alerts are judged on:
 * work that grows with the number of children in the room, and whose plan depends on statistics
 * that are wrong every Sunday morning (autoanalyze last saw the table when no one was checked in,
 * so `status = 'checked_in'` is estimated at one row and PostgreSQL reads every open check-in of
 * every campus through `checkins_child_once` instead of the room's own index).
 *
 * - `room_day_children`: one row per child present in a room on a day, with `refs` = the number of
 *   open check-ins that put the child there (a child in two overlapping services that share the
 *   physical room is one child: refs 2, counted once).
 * - `room_day_occupancy`: per room and day, `headcount` = the number of those rows.
 *
 * Both are written only by the trigger on `checkins` below, in the transaction that changes the
 * check-in, so they can never disagree with it after a commit: a check-in opened (insert, undo of a
 * checkout), closed (checkout, cancel, delete, a cascade from a deleted child or service) or moved
 * (room, child or day changed) adds or removes its reference. Every path that opens, closes or
 * moves a check-in holds the room's lock (`rooms` FOR UPDATE) first, so concurrent changes of one
 * room's counters queue in lock order and cannot deadlock on them; a trigger statement that finds
 * no reference to remove (it cannot happen) warns instead of failing a child's release.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE room_day_children (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      room_id uuid NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
      service_date date NOT NULL,
      child_id uuid NOT NULL,
      refs integer NOT NULL CHECK (refs > 0),
      CONSTRAINT room_day_children_key UNIQUE (room_id, service_date, child_id, organization_id)
    )`);
  await knex.raw(`
    CREATE TABLE room_day_occupancy (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      room_id uuid NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
      service_date date NOT NULL,
      headcount integer NOT NULL CHECK (headcount >= 0),
      CONSTRAINT room_day_occupancy_key UNIQUE (room_id, service_date, organization_id)
    )`);
  // updated on every check-in and checkout: leave room on each page for HOT updates
  await knex.raw('ALTER TABLE room_day_occupancy SET (fillfactor = 50)');

  await knex.raw(`
    CREATE FUNCTION kc_room_day_enter(o uuid, r uuid, d date, k uuid) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE n integer;
    BEGIN
      INSERT INTO room_day_children AS x (organization_id, room_id, service_date, child_id, refs) VALUES (o, r, d, k, 1)
        ON CONFLICT (room_id, service_date, child_id, organization_id) DO UPDATE SET refs = x.refs + 1
        RETURNING x.refs INTO n;
      IF n = 1 THEN
        INSERT INTO room_day_occupancy AS y (organization_id, room_id, service_date, headcount) VALUES (o, r, d, 1)
          ON CONFLICT (room_id, service_date, organization_id) DO UPDATE SET headcount = y.headcount + 1;
      END IF;
    END $$`);
  await knex.raw(`
    CREATE FUNCTION kc_room_day_leave(o uuid, r uuid, d date, k uuid) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE n integer;
    BEGIN
      UPDATE room_day_children SET refs = refs - 1
        WHERE room_id = r AND service_date = d AND child_id = k AND organization_id = o AND refs > 1
        RETURNING refs INTO n;
      IF FOUND THEN RETURN; END IF;
      DELETE FROM room_day_children WHERE room_id = r AND service_date = d AND child_id = k AND organization_id = o;
      IF NOT FOUND THEN
        RAISE WARNING 'room_day_children: no reference for child % in room % on % (headcount left as it is)', k, r, d;
        RETURN;
      END IF;
      UPDATE room_day_occupancy SET headcount = headcount - 1 WHERE room_id = r AND service_date = d AND organization_id = o;
    END $$`);
  await knex.raw(`
    CREATE FUNCTION kc_checkins_occupancy() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.status = 'checked_in' AND (TG_OP = 'DELETE' OR NEW.status IS DISTINCT FROM 'checked_in'
          OR NEW.room_id <> OLD.room_id OR NEW.child_id <> OLD.child_id OR NEW.service_date <> OLD.service_date
          OR NEW.organization_id <> OLD.organization_id) THEN
        PERFORM kc_room_day_leave(OLD.organization_id, OLD.room_id, OLD.service_date, OLD.child_id);
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.status = 'checked_in' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'checked_in'
          OR NEW.room_id <> OLD.room_id OR NEW.child_id <> OLD.child_id OR NEW.service_date <> OLD.service_date
          OR NEW.organization_id <> OLD.organization_id) THEN
        PERFORM kc_room_day_enter(NEW.organization_id, NEW.room_id, NEW.service_date, NEW.child_id);
      END IF;
      RETURN NULL;
    END $$`);

  // carry today's (and any day's) open check-ins forward, with no check-in changing meanwhile
  await knex.raw('LOCK TABLE checkins IN SHARE MODE');
  await knex.raw(`
    INSERT INTO room_day_children (organization_id, room_id, service_date, child_id, refs)
    SELECT organization_id, room_id, service_date, child_id, count(*) FROM checkins WHERE status = 'checked_in'
    GROUP BY organization_id, room_id, service_date, child_id`);
  await knex.raw(`
    INSERT INTO room_day_occupancy (organization_id, room_id, service_date, headcount)
    SELECT organization_id, room_id, service_date, count(*) FROM room_day_children GROUP BY organization_id, room_id, service_date`);
  await knex.raw(`
    CREATE TRIGGER checkins_occupancy AFTER INSERT OR DELETE OR UPDATE OF status, room_id, child_id, service_date, organization_id ON checkins
    FOR EACH ROW EXECUTE FUNCTION kc_checkins_occupancy()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER checkins_occupancy ON checkins');
  await knex.raw('DROP FUNCTION kc_checkins_occupancy()');
  await knex.raw('DROP FUNCTION kc_room_day_enter(uuid, uuid, date, uuid)');
  await knex.raw('DROP FUNCTION kc_room_day_leave(uuid, uuid, date, uuid)');
  await knex.raw('DROP TABLE room_day_occupancy');
  await knex.raw('DROP TABLE room_day_children');
}
