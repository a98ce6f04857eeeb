import { MigrationInterface, QueryRunner } from 'typeorm';

/** Initial schema: command chain, stations, units, calls, incidents, assignments, event log, response plans. */
export class Initial1764432000000 implements MigrationInterface {
  name = 'Initial1764432000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"jurisdiction\" (\"id\" character varying(120) NOT NULL, \"name\" character varying(200) NOT NULL, \"level\" character varying(10) NOT NULL, \"parent_id\" character varying(120), \"boundary\" jsonb NOT NULL, \"area_m2\" double precision NOT NULL, CONSTRAINT \"PK_0f85126272d91bb550d40207022\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_d4cb91f7f738b5c5114d66f31f\" ON \"jurisdiction\"  (\"level\") ");
    await q.query("CREATE INDEX \"IDX_5ecf6902e9ba2fc03a895cbff2\" ON \"jurisdiction\"  (\"parent_id\") ");
    await q.query("CREATE TABLE \"station\" (\"id\" character varying(40) NOT NULL, \"number\" integer NOT NULL, \"name\" character varying(120) NOT NULL, \"lat\" double precision NOT NULL, \"lon\" double precision NOT NULL, \"estimated\" boolean NOT NULL, \"method\" character varying(300) NOT NULL, \"street_id\" character varying(120), CONSTRAINT \"PK_cad1b3e7182ef8df1057b82f6aa\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE TABLE \"unit\" (\"id\" character varying(40) NOT NULL, \"callsign\" character varying(40) NOT NULL, \"unit_type\" character varying(40) NOT NULL, \"capabilities\" text array NOT NULL, \"station_id\" character varying(40), \"home_street_id\" character varying(120), \"home_lat\" double precision NOT NULL, \"home_lon\" double precision NOT NULL, \"lat\" double precision NOT NULL, \"lon\" double precision NOT NULL, \"status\" character varying(20) NOT NULL, \"version\" integer NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_4252c4be609041e559f0c80f58a\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_ed231a1f497de4156b17b1e9ab\" ON \"unit\"  (\"home_street_id\") ");
    await q.query("CREATE INDEX \"IDX_866278f3c1b87d8202d7698610\" ON \"unit\"  (\"status\") ");
    await q.query("CREATE TABLE \"call\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"call_number\" character varying(80), \"type\" character varying(120) NOT NULL, \"priority\" smallint NOT NULL, \"lat\" double precision NOT NULL, \"lon\" double precision NOT NULL, \"address\" text, \"notes\" text, \"source\" character varying(40) NOT NULL, \"received_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"exercise\" boolean NOT NULL, \"drill_id\" character varying(80), \"incident_id\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_2098af0169792a34f9cfdd39c47\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"IDX_55b3828e1b7a71bf048a3a575d\" ON \"call\"  (\"call_number\") WHERE call_number IS NOT NULL");
    await q.query("CREATE INDEX \"IDX_98409dbd3b743d12bf77b451fb\" ON \"call\"  (\"incident_id\") ");
    await q.query("CREATE TABLE \"incident\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"type\" character varying(120) NOT NULL, \"priority\" smallint NOT NULL, \"status\" character varying(20) NOT NULL, \"lat\" double precision NOT NULL, \"lon\" double precision NOT NULL, \"address\" text, \"street_id\" character varying(120), \"district_id\" character varying(120), \"city_id\" character varying(120) NOT NULL, \"outside_boundary\" boolean NOT NULL, \"commanding_tier\" character varying(10) NOT NULL, \"exercise\" boolean NOT NULL, \"drill_id\" character varying(80), \"revision\" integer NOT NULL, \"received_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"dispatched_at\" TIMESTAMP WITH TIME ZONE, \"resolved_at\" TIMESTAMP WITH TIME ZONE, \"last_error\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_5f90b28b0b8238d89ee8edcf96e\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_1a9c57d6fbaa740c8bee92c177\" ON \"incident\"  (\"status\") ");
    await q.query("CREATE INDEX \"IDX_674cfe1b5fcf08b00f6cf1fb5a\" ON \"incident\"  (\"street_id\") ");
    await q.query("CREATE INDEX \"IDX_eb06ab8bb0783f67fb5521bd4d\" ON \"incident\"  (\"district_id\") ");
    await q.query("CREATE TABLE \"assignment\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"incident_id\" uuid NOT NULL, \"unit_id\" character varying(40) NOT NULL, \"capability\" character varying(40) NOT NULL, \"status\" character varying(20) NOT NULL, \"eta_seconds\" double precision NOT NULL, \"route_metres\" double precision NOT NULL, \"route\" jsonb, \"dispatched_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"en_route_at\" TIMESTAMP WITH TIME ZONE, \"on_scene_at\" TIMESTAMP WITH TIME ZONE, \"cleared_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_43c2f5a3859f54cedafb270f37e\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"assignment_incident_unit\" ON \"assignment\"  (\"incident_id\", \"unit_id\") ");
    await q.query("CREATE UNIQUE INDEX \"assignment_one_active_per_unit\" ON \"assignment\"  (\"unit_id\") WHERE status <> 'cleared'");
    await q.query("CREATE TABLE \"incident_event\" (\"seq\" BIGSERIAL NOT NULL, \"type\" character varying(40) NOT NULL, \"incident_id\" uuid, \"unit_id\" character varying(40), \"jurisdiction_ids\" text array NOT NULL, \"at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"actor\" character varying(80) NOT NULL, \"payload\" jsonb NOT NULL, \"recorded_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_8d011344d2503a6776401925f15\" PRIMARY KEY (\"seq\"))");
    await q.query("CREATE INDEX \"IDX_c1f0bc379dcf587065927d8796\" ON \"incident_event\"  (\"incident_id\") ");
    await q.query("CREATE TABLE \"response_plan\" (\"call_type\" character varying(120) NOT NULL, \"slots\" jsonb NOT NULL, \"commanding_tier\" character varying(10) NOT NULL, \"derived_from\" integer NOT NULL, CONSTRAINT \"PK_8c8a703d9a742fcb3fb79058146\" PRIMARY KEY (\"call_type\"))");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE \"response_plan\"");
    await q.query("DROP INDEX \"public\".\"IDX_c1f0bc379dcf587065927d8796\"");
    await q.query("DROP TABLE \"incident_event\"");
    await q.query("DROP INDEX \"public\".\"assignment_one_active_per_unit\"");
    await q.query("DROP INDEX \"public\".\"assignment_incident_unit\"");
    await q.query("DROP TABLE \"assignment\"");
    await q.query("DROP INDEX \"public\".\"IDX_eb06ab8bb0783f67fb5521bd4d\"");
    await q.query("DROP INDEX \"public\".\"IDX_674cfe1b5fcf08b00f6cf1fb5a\"");
    await q.query("DROP INDEX \"public\".\"IDX_1a9c57d6fbaa740c8bee92c177\"");
    await q.query("DROP TABLE \"incident\"");
    await q.query("DROP INDEX \"public\".\"IDX_98409dbd3b743d12bf77b451fb\"");
    await q.query("DROP INDEX \"public\".\"IDX_55b3828e1b7a71bf048a3a575d\"");
    await q.query("DROP TABLE \"call\"");
    await q.query("DROP INDEX \"public\".\"IDX_866278f3c1b87d8202d7698610\"");
    await q.query("DROP INDEX \"public\".\"IDX_ed231a1f497de4156b17b1e9ab\"");
    await q.query("DROP TABLE \"unit\"");
    await q.query("DROP TABLE \"station\"");
    await q.query("DROP INDEX \"public\".\"IDX_5ecf6902e9ba2fc03a895cbff2\"");
    await q.query("DROP INDEX \"public\".\"IDX_d4cb91f7f738b5c5114d66f31f\"");
    await q.query("DROP TABLE \"jurisdiction\"");
  }
}
