import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lifeline telemetry (issue 22): every accepted sensor reading, keyed by sensor and measurement instant
 * (a repeated QoS 1 message is stored once), indexed by time for the retention prune.
 */
export class SensorReadings1766430000001 implements MigrationInterface {
  name = 'SensorReadings1766430000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "sensor_reading" ("network" character varying(64) NOT NULL, "sensor" character varying(64) NOT NULL, "quantity" character varying(20) NOT NULL, "t" TIMESTAMP WITH TIME ZONE NOT NULL, "value" double precision NOT NULL, "seq" bigint, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_sensor_reading" PRIMARY KEY ("network", "sensor", "quantity", "t"))`,
    );
    await q.query(`CREATE INDEX "sensor_reading_t" ON "sensor_reading" ("t")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "sensor_reading"`);
  }
}
