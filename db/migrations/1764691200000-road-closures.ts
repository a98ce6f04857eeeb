import { MigrationInterface, QueryRunner } from 'typeorm';

/** Road closures (GeoJSON geometry, reason, optional end, who entered and removed them). */
export class RoadClosures1764691200000 implements MigrationInterface {
  name = 'RoadClosures1764691200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"road_closure\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"geometry\" jsonb NOT NULL, \"reason\" text NOT NULL, \"edge_ids\" integer array NOT NULL, \"ends_at\" TIMESTAMP WITH TIME ZONE, \"created_by\" character varying(80) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"removed_at\" TIMESTAMP WITH TIME ZONE, \"removed_by\" character varying(80), CONSTRAINT \"PK_8788c3620779402e2d33ec29d54\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"road_closure_active\" ON \"road_closure\"  (\"created_at\") WHERE removed_at IS NULL");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP INDEX \"public\".\"road_closure_active\"");
    await q.query("DROP TABLE \"road_closure\"");
  }
}
