import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One move of an incident up (or, by hand, down) the command chain, with its reason. `key` is the
 * business key of what caused it (a deadline id, a dispatch revision, a request id): unique, so a
 * processor that runs twice, or a worker killed after its commit and retried, records it once.
 */
@Entity('escalation')
export class Escalation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column('uuid', { name: 'incident_id' }) incidentId: string;
  @Index({ unique: true }) @Column('varchar', { length: 160 }) key: string;
  @Column('varchar', { length: 10, name: 'from_tier' }) fromTier: string;
  @Column('varchar', { length: 10, name: 'to_tier' }) toTier: string;
  @Column('varchar', { length: 120, name: 'to_jurisdiction_id' }) toJurisdictionId: string;
  /** `plan_not_coverable`, `not_acknowledged`, `no_unit_in_time`, `manual`, `resources_requested`, `deescalated`. */
  @Column('varchar', { length: 40 }) reason: string;
  @Column('text') detail: string;
  @Column('varchar', { length: 80 }) actor: string;
  /** When it happened (simulated time in a drill). */
  @Column('timestamptz') at: Date;
  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' }) recordedAt: Date;
}
