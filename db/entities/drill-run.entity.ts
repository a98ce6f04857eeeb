import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A drill run as recorded: its allocation policy (which every worker process reads to dispatch the
 * drill's incidents), its last state as shown by `GET /api/drills/:id`, and its after-action report
 * once finished, so both survive a restart of the API that ran it.
 */
@Entity('drill_run')
export class DrillRunRow {
  /** The run's exercise id (`drill-<day>-<policy>-s<seed>-<base36 time>`). */
  @PrimaryColumn('varchar', { length: 80 }) id: string;
  @Column('varchar', { length: 20 }) policy: string;
  /** `running`, `paused`, `stopped`, `finished` or `failed`. */
  @Column('varchar', { length: 20 }) state: string;
  /** The run's view (`DrillRunView`) when last recorded. */
  @Column('jsonb') view: Record<string, unknown>;
  /** The after-action report (`DrillReport`), written when the run ends. */
  @Column('jsonb', { nullable: true }) report: Record<string, unknown> | null;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
