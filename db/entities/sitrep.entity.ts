import type { LineString } from 'geojson';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One version of a damage (field) report (issue 24), about an incident or a street (sub-district).
 * Reports are never overwritten: a correction is a new row with the next `version` of the same
 * `subject` (`incident:<id>` or `street:<id>`), naming its author and time; a situation report counts
 * the newest version of each subject. `(subject, world, version)` is unique, so two people correcting
 * one report at once cannot both write version 3 (the second gets a 409).
 */
@Entity('damage_report')
@Index('damage_report_subject_version', ['subject', 'world', 'version'], { unique: true })
@Index('damage_report_street', ['streetId', 'reportedAt'])
export class DamageReportRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** `incident:<uuid>` or `street:<jurisdiction id>`. */
  @Column('varchar', { length: 160 }) subject: string;
  @Column('integer') version: number;
  /** `live` or the drill run id. */
  @Column('varchar', { length: 80 }) world: string;
  @Column('uuid', { name: 'incident_id', nullable: true }) incidentId: string | null;
  /** The street that holds the subject (the incident's street, or the street reported on). */
  @Column('varchar', { length: 120, name: 'street_id' }) streetId: string;
  @Column('varchar', { length: 120, name: 'district_id', nullable: true }) districtId: string | null;
  /** The figures (`DamageFigures` of `@cad/domain`). */
  @Column('jsonb') figures: Record<string, unknown>;
  /** Roads found blocked, drawn as lines (GeoJSON `[lon, lat]`), offered to dispatchers as road closures. */
  @Column('jsonb', { name: 'blocked_roads' }) blockedRoads: LineString[];
  @Column('text', { nullable: true }) notes: string | null;
  @Column('varchar', { length: 120 }) author: string;
  /** When the assessment was made (the drill's clock in a drill). */
  @Column('timestamptz', { name: 'reported_at' }) reportedAt: Date;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

/**
 * A daily briefing: the situation report of one jurisdiction for one local date, produced once at the
 * configured local time (`BRIEFING_LOCAL_TIME`, city zone) on the system's clock. The unique key
 * `(jurisdiction, world, local date)` makes "exactly once" hold whichever worker gets there first.
 */
@Entity('briefing')
@Index('briefing_once_per_local_date', ['jurisdictionId', 'world', 'localDate'], { unique: true })
export class BriefingRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('varchar', { length: 120, name: 'jurisdiction_id' }) jurisdictionId: string;
  @Column('varchar', { length: 80 }) world: string;
  /** `YYYY-MM-DD` in the city's zone. */
  @Column('varchar', { length: 10, name: 'local_date' }) localDate: string;
  @Column('timestamptz', { name: 'period_from' }) periodFrom: Date;
  @Column('timestamptz', { name: 'period_to' }) periodTo: Date;
  /** The situation report (`SituationReport`) as produced. */
  @Column('jsonb') report: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

/**
 * A resident's report from the public page (issue 24): unverified, in its own call-taker queue, never
 * dispatched by itself. `state`: `pending` (waiting for a call taker), `accepted` (became the call
 * `callId`), `linked` (joined the open incident `incidentId`), `dismissed`.
 */
@Entity('public_report')
@Index('public_report_queue', ['state', 'receivedAt'])
export class PublicReportRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** `emergency` or `hazard`. */
  @Column('varchar', { length: 12 }) kind: string;
  /** Call type as chosen by the resident (`Structure Fire`, `Medical Incident`, ...). */
  @Column('varchar', { length: 120 }) type: string;
  @Column('text') description: string;
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  @Column('double precision', { name: 'accuracy_m', nullable: true }) accuracyM: number | null;
  @Column('varchar', { length: 120, name: 'street_id', nullable: true }) streetId: string | null;
  /** Phone number to call back, when the resident gave one. */
  @Column('varchar', { length: 40, nullable: true }) contact: string | null;
  /** The page's language (`en`, `zh-CN`). */
  @Column('varchar', { length: 10 }) language: string;
  @Column('varchar', { length: 12 }) state: string;
  /** An open incident nearby, shown to the call taker as a possible duplicate (never linked automatically). */
  @Column('uuid', { name: 'suggested_incident_id', nullable: true }) suggestedIncidentId: string | null;
  @Column('uuid', { name: 'call_id', nullable: true }) callId: string | null;
  @Column('uuid', { name: 'incident_id', nullable: true }) incidentId: string | null;
  @Column('varchar', { length: 120, name: 'reviewed_by', nullable: true }) reviewedBy: string | null;
  @Column('timestamptz', { name: 'reviewed_at', nullable: true }) reviewedAt: Date | null;
  /** Hash of the device id the page keeps (never the id itself), for the per-device limit's record. */
  @Column('varchar', { length: 64, name: 'device_hash' }) deviceHash: string;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
}
