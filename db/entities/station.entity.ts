import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A fire station. Locations are estimated from the data unless a stations file overrides them. */
@Entity('station')
export class Station {
  /** `st-16`. */
  @PrimaryColumn('varchar', { length: 40 }) id: string;
  @Column('int') number: number;
  @Column('varchar', { length: 120 }) name: string;
  /** WGS84 degrees. */
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  /** True when the location was estimated from incident data rather than given. */
  @Column('boolean') estimated: boolean;
  /** How the location was obtained, in words. */
  @Column('varchar', { length: 300 }) method: string;
  @Column('varchar', { length: 120, name: 'street_id', nullable: true }) streetId: string | null;
}
