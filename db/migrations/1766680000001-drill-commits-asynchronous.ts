import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A drill's transactions commit without waiting for the WAL flush (issue 19: the drill's speed).
 *
 * A drill replays a day through the real intake, dispatch and crews, one step after another; each step
 * is a transaction, and each COMMIT waited for its WAL to reach the disk (0.4–0.8 ms here, about a fifth
 * of the real week's wall time on a 2-core machine). A drill's rows are worth nothing after a database
 * crash: the run is not the replay of its day any more, ends failed, and is replayed from the scenario
 * (deterministic: the same event log).
 *
 * So the trigger that gives each event its world (`cad_event_world`) also sets `synchronous_commit` off
 * for the rest of the transaction when the event belongs to a drill's world, and back to what it was
 * (`cad.sync_before`) for good when a live event is appended: a transaction that wrote a live event
 * always waits for its flush, whatever order its events came in (`cad.live_written`); a server
 * configured with another level (`remote_apply`) keeps it for live work, and a stricter level set in the
 * transaction stays. An event of a live incident is live work whatever world it names. Every transaction
 * that changes a drill's incidents, tasks or units appends that drill's events, so it commits
 * asynchronously; a live transaction never does, and none changes live rows while it appends only a
 * drill's events (live and drill work never share a transaction). PostgreSQL's asynchronous commit keeps
 * the database consistent (a crash loses at most the last few hundred milliseconds of such commits, whole
 * transactions, never a part of one), and a synchronous commit flushes every earlier one with it: the
 * event sequencer's run (synchronous) makes every event it positions durable before the relay sends it.
 * A drill that PostgreSQL restarted under ends `failed` (`DrillLoop`): its last commits may be lost.
 *
 * The same pass (issue 19's profile: a sequencer run cost about 2 ms of Postgres after each of the drill's
 * commits, on the core the drill's next step needed):
 * - the commit notification (`cad_event`) says `drill` when the transaction appended only drills'
 *   events (else `live`), so the relay may position a drill's events less often than live ones;
 * - a sequencer run is one call of `cad_sequence_events(batch)`, whose statements PostgreSQL plans once
 *   per connection (the run's multi-statement text was parsed and planned every time): the advisory
 *   lock (`lock_timeout` 5 s), the next positions in insertion order, and the notification of the highest.
 */
export class DrillCommitsAsynchronous1766680000001 implements MigrationInterface {
  name = 'DrillCommitsAsynchronous1766680000001';

  async up(q: QueryRunner): Promise<void> {
    // The world as before (the incident's drill, else the world given; no such incident: live). A live
    // incident's event counts as live work whatever world it was given.
    await q.query(`CREATE OR REPLACE FUNCTION cad_event_world() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE incident_drill varchar; incident_found boolean := false;
      BEGIN
        IF NEW.incident_id IS NOT NULL THEN
          SELECT i.drill_id, true INTO incident_drill, incident_found FROM incident i WHERE i.id = NEW.incident_id;
          NEW.world := COALESCE(CASE WHEN incident_found THEN COALESCE(incident_drill, NEW.world) END, 'live');
        END IF;
        IF NEW.world = 'live' OR (incident_found AND incident_drill IS NULL) THEN
          PERFORM set_config('cad.live_written', 'on', true);
          -- Only what this trigger turned off is put back (a stricter level set since stays).
          IF COALESCE(current_setting('cad.sync_before', true), '') <> '' AND current_setting('synchronous_commit') = 'off' THEN
            PERFORM set_config('synchronous_commit', current_setting('cad.sync_before'), true);
          END IF;
        ELSIF COALESCE(current_setting('cad.live_written', true), '') <> 'on' AND current_setting('synchronous_commit') <> 'off' THEN
          PERFORM set_config('cad.sync_before', current_setting('synchronous_commit'), true);
          PERFORM set_config('synchronous_commit', 'off', true);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE OR REPLACE FUNCTION cad_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('cad_event', CASE WHEN COALESCE(current_setting('cad.live_written', true), '') = 'on' THEN 'live' ELSE 'drill' END);
        RETURN NULL;
      END $$`);
    // The bitmap scan stays off (see EventSequencer.runOnce): the ordered index scan marks positioned entries dead as it passes.
    await q.query(`CREATE OR REPLACE FUNCTION cad_sequence_events(batch integer) RETURNS integer LANGUAGE plpgsql
      SET enable_bitmapscan = off SET lock_timeout = '5s' AS $$
      DECLARE n integer; highest bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(7114140001);
        WITH top AS (SELECT COALESCE(MAX(seq), 0) AS n FROM incident_event),
             todo AS (SELECT id, row_number() OVER (ORDER BY id) AS k FROM incident_event WHERE seq IS NULL ORDER BY id LIMIT batch),
             done AS (UPDATE incident_event e SET seq = top.n + todo.k FROM top, todo WHERE e.id = todo.id RETURNING e.seq)
        SELECT count(*)::int, max(seq) INTO n, highest FROM done;
        IF n > 0 THEN PERFORM pg_notify('cad_event_seq', highest::text); END IF;
        RETURN n;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS cad_sequence_events(integer)');
    await q.query(`CREATE OR REPLACE FUNCTION cad_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('cad_event', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE OR REPLACE FUNCTION cad_event_world() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.incident_id IS NOT NULL THEN
          SELECT COALESCE(i.drill_id, NEW.world) INTO NEW.world FROM incident i WHERE i.id = NEW.incident_id;
          NEW.world := COALESCE(NEW.world, 'live');
        END IF;
        RETURN NEW;
      END $$`);
  }
}
