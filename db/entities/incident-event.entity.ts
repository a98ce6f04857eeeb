import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only event log with one global sequence (`seq`): incident, assignment and unit events.
 * A transaction appends its events with `seq` null; the sequencer (`EventSequencer`, one at a time
 * across every process, serialised by an advisory lock) gives committed rows the next consecutive
 * positions, in the order they became visible, and commits them in one go. So a reader that sees
 * `seq = n` has already seen every `seq < n`: the realtime relay pushes rows in `seq` order and a
 * reconnecting console asks for `seq > lastSeq`, and neither ever skips or waits for a gap.
 */
@Entity('incident_event')
@Index('IDX_incident_event_unsequenced', ['id'], { where: 'seq IS NULL' })
export class IncidentEvent {
  /** Insertion id (the order rows were inserted, not committed): internal, never sent to clients. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  /** Position in the log, given after commit; null until the sequencer reaches the row. */
  @Index('IDX_incident_event_seq', { unique: true }) @Column('bigint', { nullable: true }) seq: string | null;
  @Column('varchar', { length: 40 }) type: string;
  @Index() @Column('uuid', { name: 'incident_id', nullable: true }) incidentId: string | null;
  @Column('varchar', { length: 40, name: 'unit_id', nullable: true }) unitId: string | null;
  /**
   * `live` or the drill run id: set from the event's incident by the trigger `incident_event_world`
   * (migration 1766150000001) when the incident is a drill's, else as given (default `live`).
   */
  @Column('varchar', { length: 80, default: 'live' }) world: string;
  /** Jurisdictions whose consoles receive the event (street, district, city). */
  @Column('text', { array: true, name: 'jurisdiction_ids' }) jurisdictionIds: string[];
  /** Event time (simulated time in a drill). */
  @Column('timestamptz') at: Date;
  @Column('varchar', { length: 80 }) actor: string;
  @Column('jsonb') payload: unknown;
  /** When the row was inserted (the start of its transaction, not its commit). */
  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' }) recordedAt: Date;
}
