import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AssignmentStatus } from '@cad/domain';
import type { LineString } from 'geojson';

/**
 * One unit assigned to one incident. A unit has at most one active (not cleared) assignment: the
 * partial unique index `assignment_one_active_per_unit` enforces it, per world (a drill's E38 is not the live E38). A unit can be assigned to the
 * same incident again after it cleared (a second task), so (incident, unit) is not unique.
 */
@Entity('assignment')
@Index('assignment_one_active_per_unit', ['world', 'unitId'], { unique: true, where: `status <> 'cleared'` })
@Index('assignment_incident_unit', ['incidentId', 'unitId'])
@Index('assignment_one_replacement', ['replacesId'], { unique: true, where: 'replaces_id IS NOT NULL' })
/** Tasks taken back for want of acknowledgement, by incident: what `requeueUnreplaced` looks for after every unit freed. */
@Index('assignment_released_unacknowledged', ['incidentId'], { where: `released_reason = 'not_acknowledged'` })
export class Assignment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'incident_id' }) incidentId: string;
  @Column('varchar', { length: 40, name: 'unit_id' }) unitId: string;
  /** The world of the unit (and of the incident): `live` or the drill run id. */
  @Column('varchar', { length: 80, default: 'live' }) world: string;
  /** The plan slot this unit fills. */
  @Column('varchar', { length: 40 }) capability: string;
  @Column('varchar', { length: 20 }) status: AssignmentStatus;
  /** ETA from dispatch, seconds: turnout (`turnoutSeconds`) + modelled travel from the unit's position (issue 20; before it, raw graph time); -1 when unreachable. */
  @Column('double precision', { name: 'eta_seconds' }) etaSeconds: number;
  /** Route length, metres. */
  /** The turnout counted in `etaSeconds` (the unit type's median from the data, travel model), seconds; null before issue 20. */
  @Column('double precision', { name: 'turnout_seconds', nullable: true }) turnoutSeconds: number | null;
  @Column('double precision', { name: 'route_metres' }) routeMetres: number;
  @Column('jsonb', { nullable: true }) route: LineString | null;
  @Column('timestamptz', { name: 'dispatched_at' }) dispatchedAt: Date;
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true }) acknowledgedAt: Date | null;
  @Column('timestamptz', { name: 'en_route_at', nullable: true }) enRouteAt: Date | null;
  @Column('timestamptz', { name: 'on_scene_at', nullable: true }) onSceneAt: Date | null;
  @Column('timestamptz', { name: 'transporting_at', nullable: true }) transportingAt: Date | null;
  @Column('timestamptz', { name: 'at_hospital_at', nullable: true }) atHospitalAt: Date | null;
  @Column('timestamptz', { name: 'cleared_at', nullable: true }) clearedAt: Date | null;
  /**
   * Why the task was taken back before it finished: `not_acknowledged` (the crew did not confirm
   * it in time, so another unit replaces it) or `incident_cancelled`; null for a task that ran its course.
   */
  @Column('varchar', { length: 40, name: 'released_reason', nullable: true }) releasedReason: string | null;
  /**
   * Why the crew cleared the task before on scene (a cancel): one of `TASK_CANCEL_REASONS`
   * (`cancelled_by_dispatch`, `not_needed`, `unable_to_locate`, `handled_by_another_unit`); null otherwise.
   */
  @Column('varchar', { length: 40, name: 'cancel_reason', nullable: true }) cancelReason: string | null;
  /** The task (taken back for want of acknowledgement) this one replaces; at most one replacement per task. */
  @Column('uuid', { name: 'replaces_id', nullable: true }) replacesId: string | null;
  /** Time of the status now in force; a report older than this is recorded but does not overwrite it. */
  @Column('timestamptz', { name: 'status_at' }) statusAt: Date;
}
