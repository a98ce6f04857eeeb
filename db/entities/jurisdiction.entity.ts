import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Geometry, MultiPolygon, Polygon } from 'geojson';

export type JurisdictionLevel = 'city' | 'district' | 'street';

/** A node of the command chain: the city, a district, or a street (sub-district) with its boundary. */
@Entity('jurisdiction')
export class Jurisdiction {
  /** Readable id: `sf`, `sf-d2`, `sf-d2-marina`. */
  @PrimaryColumn('varchar', { length: 120 }) id: string;
  @Column('varchar', { length: 200 }) name: string;
  @Index() @Column('varchar', { length: 10 }) level: JurisdictionLevel;
  @Index() @Column('varchar', { length: 120, name: 'parent_id', nullable: true }) parentId: string | null;
  /** WGS84 boundary, GeoJSON `[lon, lat]`. */
  @Column('jsonb') boundary: Polygon | MultiPolygon | Geometry;
  /** Area of the boundary in square metres (turf geodesic area). */
  @Column('double precision', { name: 'area_m2' }) areaM2: number;
}
