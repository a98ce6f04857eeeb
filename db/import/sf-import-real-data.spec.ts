import { booleanPointInPolygon, point } from '@turf/turf';
import { DataSource } from 'typeorm';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDataSource } from '../data-source';
import { SF_DATA_DIR } from '../testing/sf-fixture';
import { readCityProfile } from './city-profile';
import { importCity } from './import-city';
import { DEFAULT_CITY_PROFILE } from './import-sf';
import { cloneTestDatabase } from '../testing/clone-database';

describe('import of the real San Francisco data builds the command chain, units, stations and plans', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = createDataSource(await cloneTestDatabase('import'));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
  });

  it('has one city, the 11 supervisor districts, and streets each with exactly one district parent', async () => {
    const levels = await ds.query(`SELECT level, count(*)::int AS n FROM jurisdiction GROUP BY level`);
    const by = Object.fromEntries(levels.map((r: any) => [r.level, r.n]));
    expect(by.city).toBe(1);
    expect(by.district).toBe(11);
    expect(by.street).toBeGreaterThan(41); // neighborhoods split where districts cross them
    const orphans = await ds.query(
      `SELECT s.id FROM jurisdiction s LEFT JOIN jurisdiction d ON d.id = s.parent_id AND d.level = 'district' WHERE s.level = 'street' AND d.id IS NULL`,
    );
    expect(orphans).toEqual([]);
    const slivers = await ds.query(`SELECT id FROM jurisdiction WHERE level = 'street' AND area_m2 < 20000`);
    expect(slivers).toEqual([]);
  });

  it('imports every unit in the data with capabilities from its type, and flags estimated station locations', async () => {
    const units = await ds.query(`SELECT id, unit_type, capabilities, station_id, lat, lon FROM unit`);
    expect(units).toHaveLength(129); // PROVENANCE.md: 129 units in the north-bbox file
    const e38 = units.find((u: any) => u.id === 'E38');
    expect(e38.capabilities).toEqual(['engine']);
    expect(e38.station_id).toBe('st-38');
    const medic = units.find((u: any) => u.unit_type === 'MEDIC');
    expect(medic.capabilities).toEqual(['ambulance', 'als']);
    const stations = await ds.query(`SELECT * FROM station`);
    expect(stations.length).toBeGreaterThan(0);
    for (const s of stations) {
      expect(s.estimated).toBe(true);
      expect(s.lat).toBeGreaterThan(37.7);
      expect(s.lat).toBeLessThan(37.85);
    }
  });

  it('imports the engines and trucks of stations the data cannot place out of service, and fits no travel from them', async () => {
    // Stations 4, 6 and 34 made one timed response each in the strip, 29 and 44 none (their quarters lie outside it).
    const oos = await ds.query(`SELECT id, status, station_id FROM unit WHERE out_of_service_by = 'import:base-unknown' ORDER BY id`);
    expect(oos.map((u: any) => u.id)).toEqual(['E04', 'E06', 'E29', 'E34', 'E44', 'T06']);
    expect(oos.every((u: any) => u.status === 'out_of_service' && u.station_id === null)).toBe(true);
    const stations = (await ds.query(`SELECT id FROM station ORDER BY number`)).map((s: any) => s.id);
    expect(stations).not.toEqual(expect.arrayContaining(['st-4']));
    expect(stations).toEqual(expect.arrayContaining(['st-1', 'st-21', 'st-36']));
    // Hostile twin: the strip's own engines stay in service at their stations.
    const [e01] = await ds.query(`SELECT status, station_id FROM unit WHERE world = 'live' AND id = 'E01'`);
    expect(e01).toEqual({ status: 'available', station_id: 'st-1' });

    // A stations file places stations 4 and 6: imported again, engine 4 is back in service there, at its
    // station (its position too); 29 stays out.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stations-'));
    const file = path.join(dir, 'stations.csv');
    fs.writeFileSync(file, 'station,lat,lon,name\n4,37.7725,-122.389,Station 4\n6,37.7672,-122.431,Station 6\n');
    // Hostile twins: a person took E06 out of service (their reason stands, placed or not), and E01 is on a task.
    await ds.query(`UPDATE unit SET out_of_service_by = 'dispatcher:jane' WHERE world = 'live' AND id = 'E06'`);
    const profile = readCityProfile(DEFAULT_CITY_PROFILE);
    const placed = await importCity(ds, profile, { dataDir: SF_DATA_DIR, files: { stations: file } });
    const unit = async (id: string) => (await ds.query(`SELECT status, out_of_service_by, station_id, home_lat, home_lon, lat, lon FROM unit WHERE world = 'live' AND id = $1`, [id]))[0];
    expect(await unit('E04')).toEqual({ status: 'available', out_of_service_by: null, station_id: 'st-4', home_lat: 37.7725, home_lon: -122.389, lat: 37.7725, lon: -122.389 });
    expect(await unit('E06')).toMatchObject({ status: 'out_of_service', out_of_service_by: 'dispatcher:jane', station_id: 'st-6' });
    expect(await unit('E29')).toMatchObject({ status: 'out_of_service', out_of_service_by: 'import:base-unknown' });
    expect(placed.notDispatchable.map((u) => u.unitId).sort()).toEqual(['E29', 'E34', 'E44']);

    // Imported again without the file: engine 4 goes out again while available; a unit on a task is left
    // as it is (reported), and station 4's row goes, as nothing places it now.
    await ds.query(`UPDATE unit SET status = 'en_route' WHERE world = 'live' AND id = 'T06'`);
    const again = await importCity(ds, profile, { dataDir: SF_DATA_DIR });
    expect(await unit('E04')).toMatchObject({ status: 'out_of_service', out_of_service_by: 'import:base-unknown', station_id: null });
    expect(await unit('T06')).toMatchObject({ status: 'en_route', out_of_service_by: null, station_id: null });
    expect(await unit('E06')).toMatchObject({ status: 'out_of_service', out_of_service_by: 'dispatcher:jane', station_id: null });
    expect(again.leftAsIs.map((u) => u.unitId).sort()).toEqual(['E06', 'T06']);
    expect(await ds.query(`SELECT id FROM station WHERE id IN ('st-4', 'st-6')`)).toEqual([]);
  });

  it('derives response plans from what SFFD sent: an engine and an ambulance to a medical call, a truck company to a structure fire', async () => {
    const plans = await ds.query(`SELECT call_type, slots, derived_from FROM response_plan`);
    const plan = (t: string) => plans.find((p: any) => p.call_type === t);
    expect(plan('Medical Incident').slots).toEqual({ engine: 1, ambulance: 1 });
    expect(plan('Medical Incident').derived_from).toBeGreaterThan(1000);
    expect(plan('Structure Fire').slots).toMatchObject({ engine: 1, truck: 1 });
    expect(plan('Structure Fire').slots.ambulance).toBeUndefined();
  });

  it('the city boundary (union of the districts) holds a point in the Marina', async () => {
    const [city] = await ds.query(`SELECT boundary FROM jurisdiction WHERE level = 'city'`);
    expect(booleanPointInPolygon(point([-122.4329574, 37.8051625]), city.boundary)).toBe(true);
  });
});
