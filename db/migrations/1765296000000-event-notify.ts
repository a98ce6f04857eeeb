import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `incident_event_notify`: every insert into the event log notifies the channel `cad_event` (once per
 * statement; Postgres delivers it when the transaction commits, folding repeats), so the realtime
 * relay reads new events at once instead of waiting for its next poll.
 */
export class EventNotify1765296000000 implements MigrationInterface {
  name = 'EventNotify1765296000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION cad_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('cad_event', '');
        RETURN NULL;
      END $$`);
    await q.query(
      'CREATE TRIGGER incident_event_notify AFTER INSERT ON "incident_event" FOR EACH STATEMENT EXECUTE FUNCTION cad_event_notify()',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS incident_event_notify ON "incident_event"');
    await q.query('DROP FUNCTION IF EXISTS cad_event_notify()');
  }
}
