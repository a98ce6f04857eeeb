import { CLOSED_INCIDENT_STATUSES, LIVE_WORLD } from '@cad/domain';
import type { DataSource } from 'typeorm';

import { BASE_UNKNOWN } from '@cad/db';
/** A unit's starting position in a scenario, WGS84 degrees. */
export interface WorldStart {
  unitId: string;
  lat: number;
  lon: number;
}

/**
 * Creates a drill run's world: one `unit` row per live unit, keyed (`world`, id), copying only the
 * fleet's definition (id, call sign, type, capabilities, station, home street and base), every unit
 * `available` at its base (but those the import put out of service: a type mapped to no capability, a
 * station the data cannot place), then moved to the scenario's starting position where one is given.
 * The live units' status and position are not read, and no live row is written.
 * @param world the drill run id
 * @param starts the scenario's starting positions (units not in the fleet are ignored)
 * @throws Error when the world is `live` (the live fleet is never recreated) or already exists
 */
export async function createWorld(ds: DataSource, world: string, starts: readonly WorldStart[]): Promise<void> {
  if (world === LIVE_WORLD) throw new Error('the live world is not created by a drill');
  await ds.transaction(async (m) => {
    await m.query(
      // A unit of an unmapped type (no capability), or one whose station the import could not place, stays
      // out of service in the drill as it is live; every other unit starts available, whatever its live status.
      `INSERT INTO unit (world, id, callsign, unit_type, capabilities, agency, station_id, home_street_id, home_lat, home_lon, lat, lon, status, out_of_service_by, version)
       SELECT $1, id, callsign, unit_type, capabilities, agency, station_id, home_street_id, home_lat, home_lon, home_lat, home_lon,
              CASE WHEN cardinality(capabilities) = 0 OR out_of_service_by = $3 THEN 'out_of_service' ELSE 'available' END,
              CASE WHEN cardinality(capabilities) = 0 OR out_of_service_by = $3 THEN out_of_service_by END, 1
         FROM unit WHERE world = $2`,
      [world, LIVE_WORLD, BASE_UNKNOWN],
    );
    if (starts.length) {
      await m.query(
        `UPDATE unit u SET lat = p.lat, lon = p.lon FROM unnest($2::text[], $3::float8[], $4::float8[]) AS p(id, lat, lon)
          WHERE u.world = $1 AND u.id = p.id`,
        [world, starts.map((u) => u.unitId), starts.map((u) => u.lat), starts.map((u) => u.lon)],
      );
    }
  });
}

/** The home station position (WGS84 degrees) and type of every unit of `world`, by unit id. */
export async function worldHomes(ds: DataSource, world: string): Promise<Map<string, { lat: number; lon: number; unitType: string }>> {
  const rows: { id: string; home_lat: number; home_lon: number; unit_type: string }[] = await ds.query(`SELECT id, home_lat, home_lon, unit_type FROM unit WHERE world = $1`, [world]);
  return new Map(rows.map((h) => [h.id, { lat: h.home_lat, lon: h.home_lon, unitType: h.unit_type }]));
}

/**
 * Deletes a drill run's world (its copy of the fleet). Its assignments and events stay, naming the
 * world, for the report and the record. Deleting the live world is refused.
 * @returns how many unit rows were deleted
 */
export async function dropWorld(ds: DataSource, world: string): Promise<number> {
  if (world === LIVE_WORLD) throw new Error('the live world is never dropped');
  const [, n]: [unknown, number] = await ds.query(`DELETE FROM unit WHERE world = $1`, [world]);
  return n;
}

/**
 * Ends the drill worlds no run is going on any more: runs this process does not hold (`going`) and
 * that `drill_run` does not record as running or paused (a process that died mid-drill), and any
 * exercise incident left open by them (also those of drills run before worlds existed): their open
 * tasks are cleared, their open incidents cancelled, their worlds deleted. Live rows are not touched.
 * @param going ids of the runs still going in this process
 */
export async function sweepWorlds(ds: DataSource, going: readonly string[]): Promise<void> {
  await ds.transaction(async (m) => {
    const alive = `(SELECT id FROM drill_run WHERE state IN ('running', 'paused') UNION SELECT unnest($1::text[]))`;
    await m.query(
      `UPDATE assignment a SET status = 'cleared', cleared_at = now() FROM incident i
        WHERE a.incident_id = i.id AND i.exercise AND a.status <> 'cleared' AND a.world <> 'live'
          AND (i.drill_id IS NULL OR i.drill_id NOT IN ${alive})`,
      [going],
    );
    await m.query(
      `UPDATE incident SET status = 'cancelled' WHERE exercise AND status <> ALL($2) AND (drill_id IS NULL OR drill_id NOT IN ${alive})`,
      [going, CLOSED_INCIDENT_STATUSES],
    );
    await m.query(`DELETE FROM unit WHERE world <> 'live' AND world NOT IN ${alive}`, [going]);
  });
}
