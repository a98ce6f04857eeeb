import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Move-ups carried out under MOVE_UP_MODE=apply (issue 19 part 5): `move_up`, one open move per unit and
 * world, and the trigger `move_up_cancel_on_dispatch`: when an assignment is inserted (a unit dispatched,
 * by any path: a dispatch round, by hand, a replacement, a drill), the unit's open move in that world is
 * cancelled in the same transaction, a started move's home station is put back, and `moveup.cancelled`
 * is appended to the event log (payload `MoveUpEventPayload`). The trigger `move_up_cancel_on_out_of_service`
 * on `unit` does the same when a unit is taken out of service.
 */
export class MoveUps1766460000001 implements MigrationInterface {
  name = 'MoveUps1766460000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "move_up" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "world" character varying(80) NOT NULL, "unit_id" character varying(40) NOT NULL, "from_station_id" character varying(40), "from_home_lat" double precision NOT NULL, "from_home_lon" double precision NOT NULL, "from_home_street_id" character varying(120), "to_station_id" character varying(40) NOT NULL, "owning_district_id" character varying(120), "jurisdiction_ids" text array NOT NULL, "status" character varying(20) NOT NULL, "gain_share" double precision NOT NULL, "gap_share" double precision NOT NULL, "confirm_timeout_s" integer, "dispatcher" character varying(12), "confirmed_by" character varying(80), "consented_by" character varying(80), "acknowledged_by" character varying(80), "reason" text, "incident_id" uuid, "proposed_by" character varying(80) NOT NULL, "proposed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_move_up_id" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "move_up_one_open_per_unit" ON "move_up" ("world", "unit_id") WHERE status IN ('proposed', 'moving')`);
    await q.query(`CREATE INDEX "move_up_world_started" ON "move_up" ("world", "started_at") `);
    // Cancels the open move of one unit (putting a started move's home station back) and records it; the
    // event of a dispatch names the incident (its timeline shows it) and carries no reason text.
    await q.query(`
      CREATE FUNCTION move_up_cancel(p_world varchar, p_unit varchar, p_reason text, p_incident uuid, p_at timestamptz, p_actor varchar) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE mv move_up%ROWTYPE;
      BEGIN
        FOR mv IN
          UPDATE move_up SET status = 'cancelled', reason = p_reason, incident_id = p_incident, ended_at = p_at
          WHERE world = p_world AND unit_id = p_unit AND status IN ('proposed', 'moving')
          RETURNING *
        LOOP
          IF mv.started_at IS NOT NULL THEN
            UPDATE unit SET station_id = mv.from_station_id, home_lat = mv.from_home_lat, home_lon = mv.from_home_lon, home_street_id = mv.from_home_street_id
            WHERE world = mv.world AND id = mv.unit_id;
          END IF;
          INSERT INTO incident_event (type, incident_id, unit_id, world, jurisdiction_ids, at, actor, payload)
          VALUES ('moveup.cancelled', p_incident, mv.unit_id, mv.world, mv.jurisdiction_ids, p_at, p_actor,
            jsonb_build_object('moveId', mv.id, 'unitId', mv.unit_id, 'toStationId', mv.to_station_id, 'status', 'cancelled', 'reason', CASE WHEN p_incident IS NULL THEN p_reason END, 'incidentId', p_incident));
        END LOOP;
      END $$`);
    await q.query(`
      CREATE FUNCTION move_up_cancel_on_dispatch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM move_up_cancel(NEW.world, NEW.unit_id, 'needed for incident ' || NEW.incident_id, NEW.incident_id, NEW.dispatched_at, 'dispatch');
        RETURN NULL;
      END $$`);
    await q.query('CREATE TRIGGER move_up_cancel_on_dispatch AFTER INSERT ON "assignment" FOR EACH ROW EXECUTE FUNCTION move_up_cancel_on_dispatch()');
    await q.query(`
      CREATE FUNCTION move_up_cancel_on_out_of_service() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM move_up_cancel(NEW.world, NEW.id, 'unit out of service', NULL, now(), COALESCE(NEW.out_of_service_by, 'dispatch'));
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER move_up_cancel_on_out_of_service AFTER UPDATE OF status ON "unit" FOR EACH ROW WHEN (NEW.status = 'out_of_service' AND OLD.status <> 'out_of_service') EXECUTE FUNCTION move_up_cancel_on_out_of_service()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS move_up_cancel_on_out_of_service ON "unit"');
    await q.query('DROP FUNCTION IF EXISTS move_up_cancel_on_out_of_service()');
    await q.query('DROP TRIGGER IF EXISTS move_up_cancel_on_dispatch ON "assignment"');
    await q.query('DROP FUNCTION IF EXISTS move_up_cancel_on_dispatch()');
    await q.query('DROP FUNCTION IF EXISTS move_up_cancel(varchar, varchar, text, uuid, timestamptz, varchar)');
    await q.query(`DROP INDEX "public"."move_up_world_started"`);
    await q.query(`DROP INDEX "public"."move_up_one_open_per_unit"`);
    await q.query(`DROP TABLE "move_up"`);
  }
}
