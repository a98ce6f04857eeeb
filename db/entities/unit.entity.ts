import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { bigintNumber } from './bigint-number';
import type { UnitStatus } from '@cad/domain';

/**
 * A response unit (engine, truck, ambulance, chief...) with its status and AVL position in one world:
 * live work (`world` = `live`) or a drill run (`world` = the run id, a copy of the live fleet made
 * when the drill starts and deleted when it ends). The key is (world, id).
 */
@Entity('unit')
export class Unit {
  /** `live`, or the drill run id whose simulated fleet this row belongs to. */
  @PrimaryColumn('varchar', { length: 80, default: 'live' }) world: string;
  /** The unit id as used on the radio: `E38`, `T01`, `AM30`. */
  @PrimaryColumn('varchar', { length: 40 }) id: string;
  @Column('varchar', { length: 40 }) callsign: string;
  /** Unit type as the city's data writes it (SFFD `ENGINE`, `MEDIC`, a fleet file's own types). */
  @Column('varchar', { length: 40, name: 'unit_type' }) unitType: string;
  @Column('text', { array: true }) capabilities: string[];
  /** Agency the unit belongs to (`fire`, `ems`, `police`, `water_utility`, `gas_utility`), from the fleet file. */
  @Column('varchar', { length: 20, default: 'fire' }) agency: string;
  @Column('varchar', { length: 40, name: 'station_id', nullable: true }) stationId: string | null;
  /** Street the unit is based in: its draw for street-level incidents. */
  @Index() @Column('varchar', { length: 120, name: 'home_street_id', nullable: true }) homeStreetId: string | null;
  /** Home position, WGS84 degrees. */
  @Column('double precision', { name: 'home_lat' }) homeLat: number;
  @Column('double precision', { name: 'home_lon' }) homeLon: number;
  /** Last known (AVL) position, WGS84 degrees. */
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  @Index() @Column('varchar', { length: 20 }) status: UnitStatus;
  /** Who took the unit out of service (an actor, or `timer:*` for a task not acknowledged); null when in service. */
  @Column('varchar', { length: 80, name: 'out_of_service_by', nullable: true }) outOfServiceBy: string | null;
  /** Optimistic lock: every status change carries it in its WHERE. */
  @VersionColumn({ type: 'bigint', transformer: bigintNumber }) version: number;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
