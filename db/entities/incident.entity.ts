import { bigintNumber } from './bigint-number';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CodedLastError, HeldReasonCode, IncidentStatus } from '@cad/domain';

/** An incident: one emergency, placed in the command chain, to which units are assigned. */
@Entity('incident')
/** A drill's incidents: the drill reads them after each step (issue 19's drill profile: a scan of every incident per read). */
@Index('incident_drill', ['drillId'], { where: 'drill_id IS NOT NULL' })
export class Incident {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('varchar', { length: 120 }) type: string;
  @Column('smallint') priority: number;
  @Index() @Column('varchar', { length: 20 }) status: IncidentStatus;
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
  @Index() @Column('varchar', { length: 120, name: 'street_id', nullable: true }) streetId: string | null;
  @Index() @Column('varchar', { length: 120, name: 'district_id', nullable: true }) districtId: string | null;
  @Column('varchar', { length: 120, name: 'city_id' }) cityId: string;
  /** True when the point lies outside every boundary and was given to the nearest jurisdiction. */
  @Column('boolean', { name: 'outside_boundary' }) outsideBoundary: boolean;
  /** Tier commanding the incident. */
  @Column('varchar', { length: 10, name: 'commanding_tier' }) commandingTier: string;
  /** The jurisdiction (street, district or city) whose tier commands the incident and whose units it draws on. */
  @Index() @Column('varchar', { length: 120, name: 'commanding_jurisdiction_id', nullable: true }) commandingJurisdictionId: string | null;
  /** When a dispatcher closed the incident (null while open or after a reopen). */
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  /**
   * False once units stopped being sent automatically (MAX_REPLACEMENTS crews in a row failed to
   * acknowledge one slot): nothing re-dispatches it until a dispatcher assigns a unit by hand.
   */
  @Column('boolean', { name: 'auto_dispatch', default: true }) autoDispatch: boolean;
  /** For a `merged` incident: the incident it duplicated, which took its calls and units. */
  @Column('uuid', { name: 'merged_into_id', nullable: true }) mergedIntoId: string | null;
  /** Free-text disposition given at close or cancel. */
  @Column('text', { nullable: true }) disposition: string | null;
  /**
   * True when the call's device location lay farther from its typed address than `LOCATION_MISMATCH_M`
   * plus the device's accuracy: the incident is at the typed address and the device point is kept
   * (`deviceLat`/`deviceLon`) until a dispatcher confirms or moves it. Dispatch is never held for it.
   */
  @Column('boolean', { name: 'location_unconfirmed', default: false }) locationUnconfirmed: boolean;
  /** The caller's device location, WGS84 degrees, when it disagreed with the typed address. */
  @Column('double precision', { name: 'device_lat', nullable: true }) deviceLat: number | null;
  @Column('double precision', { name: 'device_lon', nullable: true }) deviceLon: number | null;
  /** Accuracy reported with the device location, metres. */
  @Column('double precision', { name: 'device_accuracy_m', nullable: true }) deviceAccuracyM: number | null;
  @Column('boolean') exercise: boolean;
  @Column('varchar', { length: 80, name: 'drill_id', nullable: true }) drillId: string | null;
  /** Its own first alarm, units per capability, from the call that opened it (drill calls only, see `withFirstAlarm`); null: its plan's. */
  @Column('jsonb', { name: 'first_alarm', nullable: true }) firstAlarm: Record<string, number> | null;
  /** Bumped on every dispatch-relevant change; dispatch job ids carry it. */
  @Column('bigint', { transformer: bigintNumber }) revision: number;
  /** Revision at which dispatch last decided it (units sent, or waiting with a reason); null: never. A `received` incident decided below its revision is due for a dispatch round. */
  @Column('bigint', { name: 'decided_revision', nullable: true, transformer: bigintNumber }) decidedRevision: number | null;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('timestamptz', { name: 'dispatched_at', nullable: true }) dispatchedAt: Date | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt: Date | null;
  /** Last processing failure, if any. */
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  /** `lastError` coded (a `HeldReasonCode` of `@cad/domain`), for a console to word in its language; null for an older row or none. */
  @Column('text', { name: 'last_error_code', nullable: true }) lastErrorCode: HeldReasonCode | null;
  /** The names and numbers `lastErrorCode` cites (`{ capabilities: 'engine, truck' }`). */
  @Column('jsonb', { name: 'last_error_params', nullable: true }) lastErrorParams: CodedLastError['params'] | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
