import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts (role bound to a jurisdiction or a unit, bcrypt password hash) and shared settings. */
export class Accounts1764604800000 implements MigrationInterface {
  name = 'Accounts1764604800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"app_user\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"username\" character varying(80) NOT NULL, \"display_name\" character varying(200) NOT NULL, \"password_hash\" character varying(100) NOT NULL, \"role\" character varying(30) NOT NULL, \"jurisdiction_id\" character varying(120), \"unit_id\" character varying(40), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_22a5c4a3d9b2fb8e4e73fc4ada1\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"IDX_c480e576dd71729addbc2d51b6\" ON \"app_user\"  (\"username\") ");
    await q.query("CREATE TABLE \"app_setting\" (\"key\" character varying(80) NOT NULL, \"value\" text NOT NULL, CONSTRAINT \"PK_0d66bfb0d9f93124a4549d21af0\" PRIMARY KEY (\"key\"))");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE \"app_setting\"");
    await q.query("DROP INDEX \"public\".\"IDX_c480e576dd71729addbc2d51b6\"");
    await q.query("DROP TABLE \"app_user\"");
  }
}
