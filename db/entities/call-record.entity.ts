import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Who called and how to call them back (issue 26). Kept apart from `call` and from the event log,
 * whose payloads reach observers, exports and logs: only dispatchers and the crews of the call's
 * incident read it (`GET /api/incidents/:id/callers`). Deleted `CALLER_RETENTION_DAYS` after it was
 * recorded.
 */
@Entity('caller_contact')
export class CallerContactRow {
  /** The call it belongs to: one caller per call (a second caller is a second call, linked as a duplicate). */
  @PrimaryColumn('uuid', { name: 'call_id', primaryKeyConstraintName: 'PK_caller_contact_call_id' }) callId: string;
  @Column('varchar', { length: 120, name: 'caller_name', nullable: true }) callerName: string | null;
  /** The number to call back, as the call-taker typed it (digits, `+`, spaces, `-`, `(`, `)`). */
  @Column('varchar', { length: 40, name: 'callback_number' }) callbackNumber: string;
  /** When it was recorded (its retention counts from here). */
  @Index('IDX_caller_contact_recorded_at') @Column('timestamptz', { name: 'recorded_at', default: () => 'now()' }) recordedAt: Date;
  @Column('varchar', { length: 120, name: 'recorded_by' }) recordedBy: string;
}

/** The answer to one call-taking question on a call (question ids from the configured sets, `CALL_TAKING_FILE`). */
@Entity('call_answer')
export class CallAnswerRow {
  @PrimaryColumn('uuid', { name: 'call_id', primaryKeyConstraintName: 'PK_call_answer' }) callId: string;
  @PrimaryColumn('varchar', { length: 40, name: 'question_id', primaryKeyConstraintName: 'PK_call_answer' }) questionId: string;
  @Column('varchar', { length: 500 }) answer: string;
  @Column('timestamptz', { name: 'answered_at', default: () => 'now()' }) answeredAt: Date;
  @Column('varchar', { length: 120, name: 'answered_by' }) answeredBy: string;
}

/** One timestamped narrative entry on an incident, by its author; append-only, shown in order. */
@Entity('incident_narrative')
@Index('IDX_incident_narrative_incident_at', ['incidentId', 'at'])
export class NarrativeEntryRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'PK_incident_narrative_id' }) id: string;
  @Column('uuid', { name: 'incident_id' }) incidentId: string;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
  /** Username of who wrote it (a dispatcher, or a crew's account). */
  @Column('varchar', { length: 120 }) author: string;
  @Column('varchar', { length: 2000 }) text: string;
}
