import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A premise or hazard note the city keeps at an address (issue 26): shown on the card of an incident
 * within `PREMISE_NOTE_RADIUS_M` of its point, and to the incident's crews. `kind` is `premise`
 * (access, key box, contacts) or `hazard` (a danger to crews: dog, oxygen, structural).
 */
@Entity('premise_note')
@Index('IDX_premise_note_lat_lon', ['lat', 'lon'])
export class PremiseNoteRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'PK_premise_note_id' }) id: string;
  /** WGS84 degrees. */
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  @Column('varchar', { length: 200, nullable: true }) address: string | null;
  @Column('varchar', { length: 20 }) kind: string;
  @Column('varchar', { length: 1000 }) text: string;
  @Column('varchar', { length: 120, name: 'updated_by' }) updatedBy: string;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
