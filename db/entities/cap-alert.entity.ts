import type { Geometry } from 'geojson';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One CAP message: written here (`direction` `issued`: a draft awaiting approval, then the message as
 * sent) or received from another agency (`received`). A message's identity is sender + identifier +
 * sent (CAP 1.2 §3.2.1), unique. `state`: `pending` (awaiting a second commander), `issued` (sent and
 * current), `superseded` (an Update replaced it), `cancelled` (a Cancel withdrew it), `withdrawn` (a
 * draft dropped before issue); received messages are `issued`, `superseded` or `cancelled`.
 */
@Entity('cap_alert')
@Index('cap_alert_identity', ['sender', 'identifier', 'sent'], { unique: true })
@Index('cap_alert_recent', ['direction', 'sentAt'])
export class CapAlertRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** `issued` or `received`. */
  @Column('varchar', { length: 10 }) direction: string;
  @Column('varchar', { length: 12 }) state: string;
  /** CAP version read or written: `1.2` or `1.1`. */
  @Column('varchar', { length: 4 }) version: string;
  @Column('varchar', { length: 300 }) sender: string;
  @Column('varchar', { length: 300 }) identifier: string;
  /** CAP `sent` as written (with its offset); null while a draft awaits approval. */
  @Column('varchar', { length: 40, nullable: true }) sent: string | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  /** `Actual`, `Exercise`, `System`, `Test` or `Draft`. */
  @Column('varchar', { length: 12 }) status: string;
  /** `Alert`, `Update`, `Cancel`, `Ack` or `Error`. */
  @Column('varchar', { name: 'msg_type', length: 12 }) msgType: string;
  @Column('varchar', { length: 12 }) scope: string;
  /** CAP `references`: `sender,identifier,sent` separated by spaces. */
  @Column('text', { nullable: true }) references: string | null;
  /** The message of ours that this one updates or cancels. */
  @Column('uuid', { name: 'previous_id', nullable: true }) previousId: string | null;
  /** The CAP XML as sent or received (null while pending). */
  @Column('text', { nullable: true }) xml: string | null;
  /** What the author wrote (`AlertDraft`), kept to build the message at approval and to prefill an update. */
  @Column('jsonb', { nullable: true }) draft: Record<string, unknown> | null;
  /** The info blocks, one per language (`CapInfo` without areas), for pages and lists. */
  @Column('jsonb') infos: Record<string, unknown>[];
  /** The union of the areas as GeoJSON (`[lon, lat]` WGS84), for maps; null when an area has geocodes only. */
  @Column('jsonb', { nullable: true }) geometry: Geometry | null;
  @Column('text', { name: 'area_desc' }) areaDesc: string;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('varchar', { length: 80, nullable: true }) author: string | null;
  @Column('varchar', { length: 80, nullable: true }) approver: string | null;
  @Column('uuid', { name: 'incident_id', nullable: true }) incidentId: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
