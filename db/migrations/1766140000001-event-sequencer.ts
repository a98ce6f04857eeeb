import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log's position is given after commit (issue 14): the old `seq` (a `bigserial` taken at
 * insert, so a late commit could land below a number already relayed) becomes the internal insertion
 * `id`, and a new nullable `seq` is the log position the sequencer assigns to committed rows. Events
 * already in the log keep their numbers as positions, so a console's `lastSeq` stays valid across the
 * upgrade. Counters that could cap at 2^31 become `bigint`: `incident.revision`, `deadline.revision`,
 * `unit.version`.
 */
export class EventSequencer1766140000001 implements MigrationInterface {
  name = 'EventSequencer1766140000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "incident_event" RENAME COLUMN "seq" TO "id"');
    await q.query('ALTER SEQUENCE "incident_event_seq_seq" RENAME TO "incident_event_id_seq"');
    await q.query('ALTER TABLE "incident_event" RENAME CONSTRAINT "PK_8d011344d2503a6776401925f15" TO "PK_ee6d654432381374612876fc867"');
    await q.query('ALTER TABLE "incident_event" ADD "seq" bigint');
    await q.query('UPDATE "incident_event" SET "seq" = "id"');
    await q.query('CREATE UNIQUE INDEX "IDX_incident_event_seq" ON "incident_event" ("seq")');
    await q.query('CREATE INDEX "IDX_incident_event_unsequenced" ON "incident_event" ("id") WHERE seq IS NULL');
    await q.query('ALTER TABLE "incident" ALTER COLUMN "revision" TYPE bigint');
    await q.query('ALTER TABLE "deadline" ALTER COLUMN "revision" TYPE bigint');
    await q.query('ALTER TABLE "unit" ALTER COLUMN "version" TYPE bigint');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "unit" ALTER COLUMN "version" TYPE integer');
    await q.query('ALTER TABLE "deadline" ALTER COLUMN "revision" TYPE integer');
    await q.query('ALTER TABLE "incident" ALTER COLUMN "revision" TYPE integer');
    await q.query('DROP INDEX "IDX_incident_event_unsequenced"');
    await q.query('DROP INDEX "IDX_incident_event_seq"');
    // The insertion id becomes the number again (the pre-sequencer log).
    await q.query('ALTER TABLE "incident_event" DROP COLUMN "seq"');
    await q.query('ALTER TABLE "incident_event" RENAME CONSTRAINT "PK_ee6d654432381374612876fc867" TO "PK_8d011344d2503a6776401925f15"');
    await q.query('ALTER SEQUENCE "incident_event_id_seq" RENAME TO "incident_event_seq_seq"');
    await q.query('ALTER TABLE "incident_event" RENAME COLUMN "id" TO "seq"');
  }
}
