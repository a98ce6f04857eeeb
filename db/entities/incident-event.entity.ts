import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only event log with one global sequence (`seq`): incident, assignment and unit events.
 * The realtime relay pushes rows in `seq` order; a reconnecting console asks for `seq > lastSeq`.
 */
@Entity('incident_event')
export class IncidentEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) seq: string;
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
  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' }) recordedAt: Date;
}
