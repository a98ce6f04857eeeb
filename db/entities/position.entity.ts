import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A device's estimated clock offset: how far its clock runs ahead of the server's (negative: behind),
 * measured on each request that carries the device's send time (`X-Device-Time`) and smoothed, per
 * account and device.
 */
@Entity('device_clock')
export class DeviceClockRow {
  /** The signed-in account whose requests measured it: one account's requests never move another's offset. */
  @PrimaryColumn('varchar', { length: 80 }) account: string;
  /** The device: its `X-Device-Id`, else the account it signs in with (a responder account is its unit). */
  @PrimaryColumn('varchar', { length: 80, name: 'device_id' }) deviceId: string;
  /** Smoothed offset, milliseconds: device time minus server time. */
  @Column('double precision', { name: 'offset_ms' }) offsetMs: number;
  /** The last raw sample, milliseconds (a sample far from the estimate waits for a second one agreeing with it). */
  @Column('double precision', { name: 'last_sample_ms' }) lastSampleMs: number;
  @Column('int') samples: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** Why an AVL fix is or is not the unit's current position. */
export type AvlVerdict = 'accepted' | 'late' | 'implausible' | 'reestablished' | 'coarse';

/** Every AVL fix received, kept `AVL_RETENTION_H` hours, with its device, corrected and receive times. */
@Entity('avl_fix')
@Index('avl_fix_unit_time', ['unitId', 'fixedAt'])
export class AvlFixRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('varchar', { length: 40, name: 'unit_id' }) unitId: string;
  @Column('varchar', { length: 80, name: 'device_id' }) deviceId: string;
  /** The device's sequence number for the fix, if it sends one. */
  @Column('bigint', { nullable: true }) seq: string | null;
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  /** Horizontal accuracy reported by the device, metres (null when not sent). */
  @Column('double precision', { name: 'accuracy_m', nullable: true }) accuracyM: number | null;
  /** The fix time as the device stamped it. */
  @Column('timestamptz', { name: 'device_at' }) deviceAt: Date;
  /** The fix time corrected by the device's estimated clock offset: what the track is ordered by. */
  @Index('IDX_avl_fix_fixed_at') @Column('timestamptz', { name: 'fixed_at' }) fixedAt: Date;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('varchar', { length: 20 }) verdict: AvlVerdict;
  /** Highest speed implied against the last accepted fix and the accepted fixes of the last `AVL_TRACK_WINDOW_S`, km/h (null for the first fix or a late one). */
  @Column('double precision', { name: 'implied_kmh', nullable: true }) impliedKmh: number | null;
}

/**
 * The unit's current (last accepted) AVL fix, and the run of fixes that disagree with it (implausible
 * jumps): once `AVL_TRACK_FIXES` of them agree with each other over at least `AVL_REESTABLISH_S`, the
 * track moves to them.
 */
@Entity('avl_current')
export class AvlCurrentRow {
  @PrimaryColumn('varchar', { length: 40, name: 'unit_id' }) unitId: string;
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  @Column('double precision', { name: 'accuracy_m', nullable: true }) accuracyM: number | null;
  /** Corrected time of the current fix. */
  @Column('timestamptz', { name: 'fixed_at' }) fixedAt: Date;
  /** The newest fix of the disagreeing run, and how many fixes the run holds (0: none). */
  @Column('double precision', { name: 'run_lat', nullable: true }) runLat: number | null;
  @Column('double precision', { name: 'run_lon', nullable: true }) runLon: number | null;
  @Column('timestamptz', { name: 'run_at', nullable: true }) runAt: Date | null;
  @Column('int', { name: 'run_length', default: 0 }) runLength: number;
  /** Corrected time of the run's first fix: a run re-establishes the track only once it spans `AVL_REESTABLISH_S`. */
  @Column('timestamptz', { name: 'run_since', nullable: true }) runSince: Date | null;
  /** When the server received the run's first fix: the run must span `AVL_REESTABLISH_S` in receipt times too (device stamps can be forged). */
  @Column('timestamptz', { name: 'run_since_received', nullable: true }) runSinceReceived: Date | null;
}

/** A place name the city added (a park, a pier, a landmark), found by the address lookup like a street. */
@Entity('place_name')
export class PlaceNameRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index('IDX_place_name_normalised', { unique: true }) @Column('varchar', { length: 200, name: 'normalised' }) normalised: string;
  @Column('varchar', { length: 200 }) name: string;
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  @Column('varchar', { length: 80, name: 'created_by' }) createdBy: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

/** A LOCATION CHANGED alert to one crew: the incident moved after the crew was sent; the crew acknowledges. */
@Entity('location_alert')
@Index('location_alert_open', ['createdAt'], { where: 'acknowledged_at IS NULL' })
export class LocationAlertRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index('IDX_location_alert_incident_id') @Column('uuid', { name: 'incident_id' }) incidentId: string;
  @Column('uuid', { name: 'assignment_id' }) assignmentId: string;
  @Index('IDX_location_alert_unit_id') @Column('varchar', { length: 40, name: 'unit_id' }) unitId: string;
  @Column('text', { name: 'old_address', nullable: true }) oldAddress: string | null;
  @Column('text', { name: 'new_address', nullable: true }) newAddress: string | null;
  @Column('double precision', { name: 'old_lat' }) oldLat: number;
  @Column('double precision', { name: 'old_lon' }) oldLon: number;
  @Column('double precision', { name: 'new_lat' }) newLat: number;
  @Column('double precision', { name: 'new_lon' }) newLon: number;
  @Column('text') reason: string;
  @Column('varchar', { length: 80, name: 'changed_by' }) changedBy: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true }) acknowledgedAt: Date | null;
  /** When the dispatcher was alerted that the crew had not acknowledged (null: not yet, or acknowledged in time). */
  @Column('timestamptz', { name: 'overdue_at', nullable: true }) overdueAt: Date | null;
}
