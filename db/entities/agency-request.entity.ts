import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A unit the command centre asks of another agency's own post (police, the utilities) instead of
 * dispatching one itself: the agency's `dispatchMode` is `request` in the city profile (issue 21). One
 * row per plan slot (`incident_id`, `slot` unique, so a dispatch job run twice asks once). The post
 * accepts with a unit of its agency (an assignment then exists) or declines with a reason; an open
 * request past `due_at` (the agency's acknowledgement timeout) is marked unanswered and escalates its
 * incident one tier, once.
 */
@Entity('agency_request')
@Index('agency_request_slot', ['incidentId', 'slot'], { unique: true })
@Index('agency_request_open_due', ['dueAt'], { where: `status = 'open'` })
export class AgencyRequestRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'incident_id' }) incidentId: string;
  /** `live` or the drill run id (the incident's world). */
  @Column('varchar', { length: 64 }) world: string;
  /** The plan slot asked for: `<capability>-<n>` (`police-1`). */
  @Column('varchar', { length: 40 }) slot: string;
  @Column('varchar', { length: 20 }) agency: string;
  @Column('varchar', { length: 20 }) capability: string;
  /** `open`, `accepted`, `declined`, or `withdrawn` (its incident ended before the post answered). */
  @Column('varchar', { length: 12 }) status: string;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt: Date;
  /** Wall-clock time by which the agency's post should answer (its acknowledgement timeout). */
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  /** Set when the request passed `due_at` unanswered (it stays open: the post may still accept). */
  @Column('timestamptz', { name: 'unanswered_at', nullable: true }) unansweredAt: Date | null;
  @Column('timestamptz', { name: 'answered_at', nullable: true }) answeredAt: Date | null;
  @Column('varchar', { length: 80, name: 'answered_by', nullable: true }) answeredBy: string | null;
  /** The unit the post sent (accepted). */
  @Column('varchar', { length: 40, name: 'unit_id', nullable: true }) unitId: string | null;
  @Column('uuid', { name: 'assignment_id', nullable: true }) assignmentId: string | null;
  /** Why the post declined. */
  @Column('text', { nullable: true }) note: string | null;
}
