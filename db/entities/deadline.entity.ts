import { bigintNumber } from './bigint-number';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A timer that must not be lost: an acknowledgement or escalation deadline. Postgres holds it; a
 * BullMQ delayed job (id `deadline-<id>`) fires it on time, and the reconciler fires any pending
 * deadline past due whose job was lost. `key` (kind, subject, revision) is unique, so arming twice
 * is harmless; firing moves `state` from `pending` under a row lock, so it acts once.
 */
@Entity('deadline')
@Index('deadline_pending_due', ['dueAt'], { where: `state = 'pending'` })
export class Deadline {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column('varchar', { length: 160 }) key: string;
  /** `ack` (a task not acknowledged) or `pending` (an incident left without units). */
  @Column('varchar', { length: 20 }) kind: string;
  @Index() @Column('uuid', { name: 'incident_id' }) incidentId: string;
  @Column('uuid', { name: 'assignment_id', nullable: true }) assignmentId: string | null;
  /** Incident revision when armed; a deadline from an older revision fires as a no-op. */
  @Column('bigint', { transformer: bigintNumber }) revision: number;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  /** `pending`, `fired` (acted), `void` (no longer relevant when it fired) or `cancelled`. */
  @Column('varchar', { length: 20 }) state: string;
  /** `queue` or `reconciler`. */
  @Column('varchar', { length: 20, name: 'fired_by', nullable: true }) firedBy: string | null;
  @Column('timestamptz', { name: 'fired_at', nullable: true }) firedAt: Date | null;
}
