import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A text message from a dispatcher to a unit's phone (issue 26), with its read receipt: `sent_at`
 * when the dispatcher sent it, `delivered_at` when the phone confirmed it arrived (at once, or when it
 * reconnects after being offline), `read_at` when the crew marked it read. Live units only.
 */
@Entity('unit_message')
@Index('IDX_unit_message_unit_sent', ['unitId', 'sentAt'])
export class UnitMessageRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'PK_unit_message_id' }) id: string;
  @Column('varchar', { length: 40, name: 'unit_id' }) unitId: string;
  /** The incident it is about, if any. */
  @Column('uuid', { name: 'incident_id', nullable: true }) incidentId: string | null;
  @Column('varchar', { length: 500 }) text: string;
  /** Username of the dispatcher who sent it. */
  @Column('varchar', { length: 120, name: 'sent_by' }) sentBy: string;
  @Column('timestamptz', { name: 'sent_at', default: () => 'now()' }) sentAt: Date;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt: Date | null;
}
