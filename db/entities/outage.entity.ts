import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The last sign of life of one process (an API node or a worker), written every `OUTAGE_HEARTBEAT_S`
 * seconds. A gap in the API processes' beats longer than `OUTAGE_GAP_S` is an outage.
 */
@Entity('heartbeat')
export class HeartbeatRow {
  /** The process: `<role>-<host>-<pid>-<start time>`. */
  @PrimaryColumn('varchar', { length: 160, name: 'process_id' }) processId: string;
  /** `api` or `worker` (a drill CLI writes none). */
  @Index('heartbeat_role_beat') @Column('varchar', { length: 20 }) role: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'beat_at' }) beatAt: Date;
  /** When the process was stopped on purpose (its orderly shutdown); null while it runs, or when it died. */
  @Column('timestamptz', { name: 'stopped_at', nullable: true }) stoppedAt: Date | null;
}

/**
 * A time the API was unreachable for crews and consoles (no API process beat for longer than
 * `OUTAGE_GAP_S`): from the last beat before the gap to the first beat after it (`ended_at` null
 * while it lasts, as a worker that kept running sees it). Acknowledgement deadlines that fell due
 * in it wait `OUTAGE_GRACE_S` after its end before they fire.
 */
@Entity('outage')
export class OutageRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  /** The last API heartbeat before the gap. */
  @Index('outage_started') @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  /** The first API heartbeat after it; null while the API is still down. */
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  /** When a process first saw the gap. */
  @Column('timestamptz', { name: 'detected_at' }) detectedAt: Date;
  /** The process that saw it (`worker-...` while the API was down, `api-...` when everything was). */
  @Column('varchar', { length: 160, name: 'detected_by' }) detectedBy: string;
  /**
   * Every API process up before the gap had been stopped on purpose (an orderly shutdown: an upgrade, a
   * maintenance window), none died or hung. It is still a time crews and consoles could not reach CAD, and
   * holds acknowledgement deadlines alike; the record says it was planned.
   */
  @Column('boolean', { default: false }) planned: boolean;
}

/**
 * A crew's status report by the id its phone gave it (`reportId`): a report sent twice (the phone
 * retried after a lost answer) is applied once, and the repeat answers what the first did.
 */
@Entity('status_report')
export class StatusReportRow {
  /** The unit whose crew sent it: a `reportId` is unique per unit, not across units. */
  @PrimaryColumn('varchar', { length: 40, name: 'unit_id' }) unitId: string;
  @PrimaryColumn('varchar', { length: 80, name: 'report_id' }) reportId: string;
  @Column('uuid', { name: 'assignment_id' }) assignmentId: string;
  @Column('varchar', { length: 20 }) status: string;
  /** When it happened, on the server clock (the device's stamp corrected by its clock offset). */
  @Column('timestamptz') at: Date;
  @Column('boolean') applied: boolean;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
}
