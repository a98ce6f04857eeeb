import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One lifeline sensor reading as received over MQTT (issue 22), kept for `TELEMETRY_RETENTION_DAYS`
 * days after its measurement instant. The key is the sensor and that instant: a QoS 1 redelivery or a
 * gateway's resend of the same reading is never stored twice (`ON CONFLICT DO NOTHING`).
 */
@Entity('sensor_reading')
@Index('sensor_reading_t', ['t'])
export class SensorReadingRow {
  @PrimaryColumn('varchar', { length: 64 }) network: string;
  @PrimaryColumn('varchar', { length: 64 }) sensor: string;
  /** `pressure` (m), `flow` (m3/h) or `gas_pressure` (kPa). */
  @PrimaryColumn('varchar', { length: 20 }) quantity: string;
  /** Measurement instant (the payload's `t`). */
  @PrimaryColumn('timestamptz') t: Date;
  /** In the quantity's one unit (see `QUANTITIES` in `@cad/domain`). */
  @Column('double precision') value: number;
  /** The gateway's sequence number, when it sends one. */
  @Column('bigint', { nullable: true }) seq: string | null;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
}
