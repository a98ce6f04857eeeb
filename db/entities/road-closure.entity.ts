import type { LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A road closure entered by a dispatcher: a closed road (LineString) or a closed area such as a flood
 * (Polygon), with a reason and an optional end. Active while not removed and not past `endsAt`. A
 * drill scenario's closures are rows too, tagged with the drill's id.
 */
@Entity('road_closure')
@Index('road_closure_active', ['createdAt'], { where: 'removed_at IS NULL' })
export class RoadClosureRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** GeoJSON geometry, `[lon, lat]` WGS84 degrees. */
  @Column('jsonb') geometry: LineString | MultiLineString | Polygon | MultiPolygon;
  @Column('text') reason: string;
  /** Road-graph edge ids the geometry closed when it was entered (for the record; recomputed on load). */
  @Column('int', { array: true, name: 'edge_ids' }) edgeIds: number[];
  @Column('timestamptz', { name: 'ends_at', nullable: true }) endsAt: Date | null;
  @Column('varchar', { length: 80, name: 'created_by' }) createdBy: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'removed_at', nullable: true }) removedAt: Date | null;
  @Column('varchar', { length: 80, name: 'removed_by', nullable: true }) removedBy: string | null;
  /**
   * The drill whose scenario closed the road (applied to that drill's routing only, opened and
   * lifted on its simulated clock); null for a live closure, which every drill honours too.
   */
  @Column('varchar', { length: 80, name: 'drill_id', nullable: true }) drillId: string | null;
}
