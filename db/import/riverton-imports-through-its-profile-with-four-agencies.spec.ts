import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { emptyTestDatabase } from '../testing/empty-database';
import { readCityProfile } from './city-profile';
import { importCity } from './import-city';
import { deriveUnitsAndStations } from './stations';
import type { SfUnitResponse } from './sf-calls';

const PROFILE = path.resolve('db/cities/fixtures/riverton/riverton.yaml');
const DATA = path.dirname(PROFILE);

describe('a second city imports through its profile: its own boundary properties, a fleet file of four agencies, its own run cards', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await emptyTestDatabase('riverton');
  });
  afterAll(async () => {
    await ds.destroy();
  });

  it('builds the chain from WARD_NO / WARD_NAME / AREA_LABEL, with no San Francisco id or name', async () => {
    const steps: string[] = [];
    const s = await importCity(ds, readCityProfile(PROFILE), { dataDir: DATA, onProgress: (i, n, label) => steps.push(`${i + 1}/${n} ${label}`) });
    expect(steps).toEqual(['1/5 boundaries', '2/5 command chain', '3/5 calls and fleet', '4/5 response plans', '5/5 write']);
    expect(s).toMatchObject({ city: 'riverton', cities: 1, districts: 2, streets: 4, plans: 5 });
    const rows: { id: string; name: string; level: string; parent_id: string | null }[] = await ds.query(
      `SELECT id, name, level, parent_id FROM jurisdiction ORDER BY level, id`,
    );
    expect(rows).toEqual([
      { id: 'riverton', name: 'Riverton', level: 'city', parent_id: null },
      { id: 'riverton-d1', name: 'West Ward', level: 'district', parent_id: 'riverton' },
      { id: 'riverton-d2', name: 'East Ward', level: 'district', parent_id: 'riverton' },
      // Old Town lies across both wards: one street per ward, named after its ward.
      { id: 'riverton-d1-old-town', name: 'Old Town (D1)', level: 'street', parent_id: 'riverton-d1' },
      { id: 'riverton-d1-riverside', name: 'Riverside', level: 'street', parent_id: 'riverton-d1' },
      { id: 'riverton-d2-mill-park', name: 'Mill Park', level: 'street', parent_id: 'riverton-d2' },
      { id: 'riverton-d2-old-town', name: 'Old Town (D2)', level: 'street', parent_id: 'riverton-d2' },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/sf|San Francisco/);
  });

  it('imports each unit with its agency; an unmapped type imports out of service and is reported; bad rows are reported by line, not thrown', async () => {
    const s = await importCity(ds, readCityProfile(PROFILE), { dataDir: DATA });
    const units: { id: string; agency: string; capabilities: string[]; status: string; out_of_service_by: string | null; station_id: string | null; home_street_id: string }[] =
      await ds.query(`SELECT id, agency, capabilities, status, out_of_service_by, station_id, home_street_id FROM unit WHERE world = 'live' ORDER BY id`);
    const by = Object.fromEntries(units.map((u) => [u.id, u]));
    expect(Object.keys(by)).toEqual(['RB1', 'RE1', 'RE2', 'RL1', 'RM1', 'RPD-11', 'RPD-12', 'RWC-1']);
    expect(by.RE1).toMatchObject({ agency: 'fire', capabilities: ['engine'], status: 'available', station_id: 'st-1', home_street_id: 'riverton-d1-riverside' });
    expect(by.RE2).toMatchObject({ station_id: 'st-2', home_street_id: 'riverton-d2-mill-park' });
    expect(by.RM1).toMatchObject({ agency: 'ems', capabilities: ['ambulance', 'als'] });
    expect(by['RPD-11']).toMatchObject({ agency: 'police', capabilities: ['police'], home_street_id: 'riverton-d1-riverside' });
    expect(by['RWC-1']).toMatchObject({ agency: 'water_utility', capabilities: ['water_crew'] });
    // FIREBOAT is in no mapping: never an engine, never a throw: out of service and reported.
    expect(by.RB1).toMatchObject({ capabilities: [], status: 'out_of_service', out_of_service_by: 'import:unmapped-type' });
    expect(s.notDispatchable).toEqual([{ unitId: 'RB1', unitType: 'FIREBOAT', line: 9, reason: expect.stringMatching(/type "FIREBOAT" maps to no capability/) }]);
    expect(s.fleetProblems).toEqual([
      { line: 10, reason: 'unknown agency "sheriff"' },
      { line: 11, reason: 'unit RE1 is listed twice' },
      { line: 12, reason: expect.stringMatching(/lat\/lon must be WGS84 degrees \(got "not-a-number"/) },
    ]);
    expect(s.agencies).toEqual({ fire: 4, ems: 1, police: 2, water_utility: 1 });
    // Station 1 sits at the median of its units' bases (RE1, RL1, RB1), flagged as estimated.
    const [st1] = await ds.query(`SELECT lat, lon, estimated, street_id FROM station WHERE id = 'st-1'`);
    expect(st1).toMatchObject({ lat: 41.0005, lon: -90.0105, estimated: true, street_id: 'riverton-d1-riverside' });
  });

  it('stores run cards that name police and water crews (the lifeline alarms too: the water crew it has, no gas crew it lacks), and the calls rows it cannot read', async () => {
    const s = await importCity(ds, readCityProfile(PROFILE), { dataDir: DATA });
    const plans = await ds.query(`SELECT call_type, slots, commanding_tier FROM response_plan ORDER BY call_type`);
    expect(plans).toEqual([
      // No gas crew in Riverton's fleet: the gas alarm sends an engine and the police cordon, no slot that would wait for ever.
      { call_type: 'Gas pressure drop', slots: { engine: 1, police: 1 }, commanding_tier: 'street' },
      { call_type: 'Medical', slots: { ambulance: 1 }, commanding_tier: 'street' },
      { call_type: 'Structure Fire', slots: { engine: 2, truck: 1, police: 1 }, commanding_tier: 'district' },
      { call_type: 'Water Main Break', slots: { water_crew: 1, police: 1 }, commanding_tier: 'street' },
      { call_type: 'Water main leak suspected', slots: { water_crew: 1 }, commanding_tier: 'street' },
    ]);
    expect(s.badRows).toEqual([{ line: 11, reason: expect.stringMatching(/bad CallTime "2024-11-03T25:00:00"/) }]);
  });

  it('re-importing keeps a unit out on a call where it is, and the unmapped unit out of service', async () => {
    await ds.query(`UPDATE unit SET status = 'on_scene', lat = 41.004, lon = -89.985 WHERE world = 'live' AND id = 'RE2'`);
    await importCity(ds, readCityProfile(PROFILE), { dataDir: DATA });
    const [re2] = await ds.query(`SELECT status, lat, lon FROM unit WHERE world = 'live' AND id = 'RE2'`);
    expect(re2).toEqual({ status: 'on_scene', lat: 41.004, lon: -89.985 });
    const [n] = await ds.query(`SELECT count(*)::int AS n FROM unit WHERE world = 'live'`);
    expect(n.n).toBe(8);
  });

  it('a missing fleet file or boundary property answers an error naming it, and writes nothing', async () => {
    const before = await ds.query(`SELECT count(*)::int AS n FROM unit`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'riverton-'));
    for (const f of fs.readdirSync(DATA)) if (f !== 'riverton_fleet.csv') fs.copyFileSync(path.join(DATA, f), path.join(dir, f));
    const p = readCityProfile(path.join(dir, 'riverton.yaml'));
    await expect(importCity(ds, p, { dataDir: dir })).rejects.toThrow(
      `file not found: ${path.join(dir, 'riverton_fleet.csv')} (fleet.file in ${path.join(dir, 'riverton.yaml')}, looked in the data folder ${dir})`,
    );
    const wards = JSON.parse(fs.readFileSync(path.join(DATA, 'riverton_wards.geojson'), 'utf8'));
    delete wards.features[1].properties.WARD_NO;
    fs.writeFileSync(path.join(dir, 'riverton_wards.geojson'), JSON.stringify(wards));
    fs.copyFileSync(path.join(DATA, 'riverton_fleet.csv'), path.join(dir, 'riverton_fleet.csv'));
    await expect(importCity(ds, p, { dataDir: dir })).rejects.toThrow(
      `${path.join(dir, 'riverton_wards.geojson')}: feature 1 has no property "WARD_NO" (boundaries.districts in the city profile)`,
    );
    expect(await ds.query(`SELECT count(*)::int AS n FROM unit`)).toEqual(before);
  });

  it('an SFFD history with unit types outside the list (AIRPORT, INVESTIGATION) imports them as not dispatchable instead of throwing', () => {
    const row = (unitId: string, unitType: string, line: number): SfUnitResponse =>
      ({ line, unitId, unitType, callNumber: `c${line}`, incidentNumber: `i${line}`, callType: 'Alarms', priorityCode: '3', address: '', lat: 37.62, lon: -122.38, received: new Date(0), dispatch: null, response: null, onScene: null, available: null, localDate: '1970-01-01' }) as SfUnitResponse;
    const { units } = deriveUnitsAndStations([row('AP1', 'AIRPORT', 2), row('INV2', 'INVESTIGATION', 3), row('E01', 'ENGINE', 4)], new Map());
    expect(units.map((u) => [u.id, u.capabilities, u.dispatchable])).toEqual([
      ['AP1', [], false],
      ['E01', ['engine'], true],
      ['INV2', [], false],
    ]);
    // A profile may map them: AIRPORT crash tenders fill engine slots there.
    const mapped = deriveUnitsAndStations([row('AP1', 'AIRPORT', 2)], new Map(), { AIRPORT: ['engine'] });
    expect(mapped.units[0]).toMatchObject({ capabilities: ['engine'], dispatchable: true });
  });
});
