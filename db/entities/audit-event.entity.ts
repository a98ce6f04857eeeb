import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One entry of the audit trail: who did what to what, when, from where, with the state before and
 * after. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE (the app connects as the table's
 * owner in development, so grants alone would not hold).
 */
@Entity('audit_event')
@Index('IDX_audit_event_at', ['at'])
@Index('IDX_audit_event_actor_at', ['actor', 'at'])
@Index('IDX_audit_event_action_at', ['action', 'at'])
export class AuditEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'PK_audit_event_id' }) id: string;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
  /** Username of who did it (`system:<name>` for the system, the typed username for a failed sign-in). */
  @Column('varchar', { length: 120 }) actor: string;
  /** Dotted action name: `sign-in`, `sign-in.failed`, `user.create`, `plan.update`, `config.change`, `export.cap`... */
  @Column('varchar', { length: 60 }) action: string;
  /** What it was done to (`user:<username>`, `plan:<call type>`, `incident:<id>`), null when nothing in particular. */
  @Column('varchar', { length: 200, nullable: true }) subject: string | null;
  /** Client address (IP) of the request; null for the system's own changes. */
  @Column('varchar', { length: 64, nullable: true }) source: string | null;
  @Column('jsonb', { nullable: true }) before: object | null;
  @Column('jsonb', { nullable: true }) after: object | null;
}
