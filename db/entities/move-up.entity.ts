import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One move-up carried out under MOVE_UP_MODE=apply (issue 19 part 5): an available unit relocated to
 * another station to cover a gap. Its life (`libs/domain/src/move-up-policy.ts`): `proposed` until the
 * dispatcher confirmed (or the confirm timeout passed), the owning district consented and the crew
 * acknowledged; then `moving` (the unit's home station is the target and it travels there) until it
 * arrives (`done`); or `refused`, or `cancelled` the moment its unit is dispatched (trigger
 * `move_up_cancel_on_dispatch` on `assignment`, in the dispatching transaction). One world per row
 * (live or a drill run); a unit has at most one open move per world (`move_up_one_open_per_unit`).
 */
@Entity('move_up')
@Index('move_up_one_open_per_unit', ['world', 'unitId'], { unique: true, where: `status IN ('proposed', 'moving')` })
@Index('move_up_world_started', ['world', 'startedAt'])
export class MoveUpRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** `live` or the drill run id. */
  @Column('varchar', { length: 80 }) world: string;
  @Column('varchar', { length: 40, name: 'unit_id' }) unitId: string;
  /** The unit's home station when proposed (restored when a started move is cancelled). */
  @Column('varchar', { length: 40, name: 'from_station_id', nullable: true }) fromStationId: string | null;
  @Column('double precision', { name: 'from_home_lat' }) fromHomeLat: number;
  @Column('double precision', { name: 'from_home_lon' }) fromHomeLon: number;
  @Column('varchar', { length: 120, name: 'from_home_street_id', nullable: true }) fromHomeStreetId: string | null;
  @Column('varchar', { length: 40, name: 'to_station_id' }) toStationId: string;
  /** District the unit is based in: its post consents (it loses the unit). */
  @Column('varchar', { length: 120, name: 'owning_district_id', nullable: true }) owningDistrictId: string | null;
  /** Jurisdictions whose consoles see the move (both ends' chains). */
  @Column('text', { array: true, name: 'jurisdiction_ids' }) jurisdictionIds: string[];
  /** `proposed`, `moving`, `done`, `refused` or `cancelled`. */
  @Column('varchar', { length: 20 }) status: string;
  /** Demand share (0..1) covered where the unit goes, and left uncovered where it was, when proposed. */
  @Column('double precision', { name: 'gain_share' }) gainShare: number;
  @Column('double precision', { name: 'gap_share' }) gapShare: number;
  /** The dispatcher's timeout for this move, seconds; null: explicit confirmation. */
  @Column('int', { name: 'confirm_timeout_s', nullable: true }) confirmTimeoutS: number | null;
  /** How the dispatcher's side was given: `confirmed` or `timeout`; null until then. */
  @Column('varchar', { length: 12, nullable: true }) dispatcher: string | null;
  @Column('varchar', { length: 80, name: 'confirmed_by', nullable: true }) confirmedBy: string | null;
  @Column('varchar', { length: 80, name: 'consented_by', nullable: true }) consentedBy: string | null;
  @Column('varchar', { length: 80, name: 'acknowledged_by', nullable: true }) acknowledgedBy: string | null;
  /** Why it was refused or cancelled. */
  @Column('text', { nullable: true }) reason: string | null;
  /** The incident its unit was dispatched to (cancelled). */
  @Column('uuid', { name: 'incident_id', nullable: true }) incidentId: string | null;
  @Column('varchar', { length: 80, name: 'proposed_by' }) proposedBy: string;
  /** Event times (simulated time in a drill). */
  @Column('timestamptz', { name: 'proposed_at' }) proposedAt: Date;
  /** When the unit set off (applied): what the hourly bounds count. */
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
}
