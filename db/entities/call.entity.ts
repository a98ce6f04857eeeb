import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A call for service as received: kept as sent, whatever incident it becomes or joins. */
@Entity('call')
/** Calls suggested as duplicates of an incident: an incident's view reads them (issue 19's drill profile: a scan of every call per view). */
@Index('call_suggested_incident', ['suggestedIncidentId'], { where: 'suggested_incident_id IS NOT NULL' })
/**
 * The call number is an idempotency key within one world, compared case-insensitively:
 * `UNIQUE (COALESCE(drill_id, ''), upper(call_number)) WHERE call_number IS NOT NULL` (migration
 * 1766660000001). A live call (`drill_id` null) only ever meets a live call's number, an exercise call
 * only a call of its own drill run. TypeORM cannot declare an expression index: `synchronize: false`.
 */
@Index('call_number_per_world', { synchronize: false })
export class Call {
  @PrimaryGeneratedColumn('uuid') id: string;
  /**
   * External call number (the caller system's id), stored as sent; unique per world (live, or one drill
   * run) ignoring case, so a repeated post stores one call (index `call_number_per_world`).
   */
  @Column('varchar', { length: 80, name: 'call_number', nullable: true })
  callNumber: string | null;
  @Column('varchar', { length: 120 }) type: string;
  @Column('smallint') priority: number;
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  @Column('text', { nullable: true }) address: string | null;
  /**
   * The roadway a traffic collision is on, as the caller named it (`"US 101 northbound"`, `"tunnel"`):
   * the incident snaps to that roadway (and carriageway) instead of the nearest surface street (issue 18).
   */
  @Column('varchar', { length: 80, nullable: true }) roadway: string | null;
  /** Direction of travel on `roadway`, degrees clockwise from true north in [0, 360); keeps the carriageway going that way. */
  @Column('double precision', { name: 'heading_degrees', nullable: true }) headingDegrees: number | null;
  /** Horizontal accuracy of `lat`/`lon` when they are the caller's device location, metres (null: a point placed by hand). */
  @Column('double precision', { name: 'accuracy_m', nullable: true }) accuracyM: number | null;
  @Column('text', { nullable: true }) notes: string | null;
  @Column('varchar', { length: 40 }) source: string;
  /** When the call was received (simulated historical time for drill calls). */
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('boolean') exercise: boolean;
  /**
   * Taken on a console while the system was down (kept in its outbox and sent on recovery):
   * `received_at` is when it was taken, `created_at` when it was entered (late, not slow).
   */
  @Column('boolean', { name: 'taken_offline', default: false }) takenOffline: boolean;
  /** A drill call's own first alarm, units per capability (replaces its plan's first alarm); null for every other call. */
  @Column('jsonb', { name: 'first_alarm', nullable: true }) firstAlarm: Record<string, number> | null;
  @Column('varchar', { length: 80, name: 'drill_id', nullable: true }) drillId: string | null;
  @Index() @Column('uuid', { name: 'incident_id', nullable: true }) incidentId: string | null;
  /** True when the call was linked to an incident another call had already opened (a duplicate). */
  @Column('boolean', { default: false }) linked: boolean;
  /** An open incident of another kind nearby, shown to the dispatcher as a possible link (never linked automatically). */
  @Column('uuid', { name: 'suggested_incident_id', nullable: true }) suggestedIncidentId: string | null;
  /** Set when a dispatcher unlinked the call: it stays its own incident. */
  @Column('timestamptz', { name: 'unlinked_at', nullable: true }) unlinkedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
