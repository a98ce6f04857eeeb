import { normaliseStreet } from '@cad/routing';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `place_name.normalised` again, with the street normalisation that joins the letters around an
 * apostrophe (`Fisherman's Wharf` was stored as `FISHERMAN S WHARF`, is typed as `FISHERMANS WHARF`).
 * Oldest first; a name whose new key another place already holds keeps its old key (nothing is
 * dropped: it stays listed and offered as a candidate). Running it again changes nothing. `down`
 * changes nothing either: the old normalisation is not kept in the code.
 */
export class PlaceNamesRenormalised1766550000001 implements MigrationInterface {
  name = 'PlaceNamesRenormalised1766550000001';

  async up(q: QueryRunner): Promise<void> {
    const rows: { id: string; name: string; normalised: string }[] = await q.query(`SELECT id, name, normalised FROM "place_name" ORDER BY created_at, id`);
    const taken = new Set(rows.map((r) => r.normalised));
    for (const r of rows) {
      const next = normaliseStreet(r.name);
      if (next === r.normalised || taken.has(next)) continue;
      await q.query(`UPDATE "place_name" SET normalised = $1 WHERE id = $2`, [next, r.id]);
      taken.delete(r.normalised);
      taken.add(next);
    }
  }

  async down(): Promise<void> {
    // The former keys cannot be rebuilt (see the class comment); the new ones match as well.
  }
}
