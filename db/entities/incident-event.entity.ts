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
  /** Jurisdictions whose consoles receive the event (street, district, city). */
  @Column('text', { array: true, name: 'jurisdiction_ids' }) jurisdictionIds: string[];
  /** Event time (simulated time in a drill). */
  @Column('timestamptz') at: Date;
  @Column('varchar', { length: 80 }) actor: string;
  @Column('jsonb') payload: unknown;
  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' }) recordedAt: Date;
}
