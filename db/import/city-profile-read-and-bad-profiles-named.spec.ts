import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CityProfileError, lifelinesOf, readCityProfile, resolveProfilePath } from './city-profile';

const RIVERTON = path.resolve('db/cities/fixtures/riverton/riverton.yaml');
const RIVERTON_DIR = path.dirname(RIVERTON);

/** Writes a variant of the Riverton profile (YAML text edited by `edit`) beside a temp folder. */
function variant(edit: (yaml: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-'));
  const f = path.join(dir, 'city.yaml');
  fs.writeFileSync(f, edit(fs.readFileSync(RIVERTON, 'utf8')));
  return f;
}

describe('a city profile names its files, properties, fleet, agencies, hospitals and lifelines; a bad one is refused naming the key', () => {
  it('reads the shipped San Francisco profile by its bare name', () => {
    const sf = readCityProfile('san-francisco');
    expect(resolveProfilePath('san-francisco')).toBe(path.resolve('db/cities/san-francisco.yaml'));
    expect(sf).toMatchObject({
      id: 'sf',
      name: 'San Francisco',
      timeZone: 'America/Los_Angeles',
      boundaries: { districts: { idProperty: 'supervisor_district' }, streets: { nameProperty: 'nhood' }, streetMinAreaM2: 20000 },
      calls: { format: 'sffd' },
      fleet: { source: 'sffd' },
      plans: { derived: true },
    });
    // The SF profile lists no hospital or lifeline it cannot source.
    expect(sf.hospitals).toEqual([]);
    expect(sf.lifelines).toEqual([]);
    // Move-ups are recommended only, with the policy's default bounds written out.
    expect(sf.moveUps).toEqual({ mode: 'recommend', confirmTimeoutS: 0, minSinceClearedS: 900, maxMovesPerUnitPerHour: 1, maxMovesPerHour: 6, minNetGain: 0.01 });
  });

  it('reads the fixture city: other property names, a fleet file, its own unit types, agencies with their own rules', () => {
    const r = readCityProfile(RIVERTON);
    expect(r.boundaries.districts).toEqual({ file: 'riverton_wards.geojson', idProperty: 'WARD_NO', nameProperty: 'WARD_NAME', nameTemplate: undefined });
    expect(r.unitTypes).toEqual({ PUMPER: ['engine'], LADDER: ['truck'], AMBULANCE: ['ambulance', 'als'] });
    expect(r.agencies.police).toEqual({ agency: 'police', ackTimeoutS: 90, firstUnitTravelS: 480, dispatchMode: 'request' });
    // Keys the profile leaves out take the agency's defaults.
    expect(r.agencies.ems).toMatchObject({ ackTimeoutS: 45, dispatchMode: 'direct' });
    expect(r.agencies.water_utility).toMatchObject({ ackTimeoutS: 600, firstUnitTravelS: 60, dispatchMode: 'direct' });
    const { networks, hospitals } = lifelinesOf(r, RIVERTON_DIR);
    expect(networks).toEqual([
      expect.objectContaining({ id: 'riverton-water', kind: 'water', agency: 'water_utility', file: path.join(RIVERTON_DIR, 'riverton_water_mains.geojson') }),
    ]);
    expect(hospitals[0]).toMatchObject({ name: 'Riverton General (fixture)', lat: 41.002, lon: -89.995 });
  });

  it.each([
    ['a missing district id property', (y: string) => y.replace('idProperty: WARD_NO, ', ''), /boundaries.districts.idProperty must be a non-empty string/],
    ['an unknown time zone', (y: string) => y.replace('America/Chicago', 'Mars/Olympus'), /timeZone must be an IANA zone \(got "Mars\/Olympus"\)/],
    ['an unknown capability', (y: string) => y.replace('LADDER: [truck]', 'LADDER: [hovercraft]'), /unitTypes.LADDER has unknown capability "hovercraft"/],
    ['an unknown agency', (y: string) => y.replace('  ems: { ackTimeoutS: 45 }', '  coast_guard: { ackTimeoutS: 45 }'), /agencies.coast_guard is not an agency/],
    ['a zero acknowledgement timeout', (y: string) => y.replace('ackTimeoutS: 45', 'ackTimeoutS: 0'), /agencies.ems.ackTimeoutS must be a number in 1..3600/],
    ['a bad dispatch mode', (y: string) => y.replace('dispatchMode: request }', 'dispatchMode: radio }'), /agencies.police.dispatchMode must be direct or request/],
    ['a hospital without a source', (y: string) => y.replace(', source: "made up for the tests" }\nlifelines', ' }\nlifelines'), /hospitals\[0\].source must be a non-empty string/],
    ['a lifeline of an unknown kind', (y: string) => y.replace('kind: water', 'kind: steam'), /lifelines\[0\].kind must be one of water, gas, power, telecom/],
    ['a move-up mode that is not recommend or apply', (y: string) => `${y}\nmoveUps: { mode: always }\n`, /moveUps.mode must be recommend or apply/],
    ['a move-up net gain above 1', (y: string) => `${y}\nmoveUps: { mode: apply, minNetGain: 5 }\n`, /moveUps.minNetGain must be a number in 0..1/],
    ['a fleet derived from a history that is not SFFD', (y: string) => y.replace('file: riverton_fleet.csv', 'source: sffd'), /calls.format must be sffd to derive the fleet/],
  ])('refuses %s, naming the file and the key', (_what, edit, message) => {
    const f = variant(edit);
    expect(() => readCityProfile(f)).toThrow(CityProfileError);
    expect(() => readCityProfile(f)).toThrow(message);
    expect(() => readCityProfile(f)).toThrow(f);
  });

  it('a missing profile, and a lifeline file missing from the data folder, are named by path', () => {
    expect(() => readCityProfile('atlantis')).toThrow(`city profile not found: ${path.resolve('db/cities/atlantis.yaml')}`);
    const r = readCityProfile(RIVERTON);
    expect(() => lifelinesOf(r, os.tmpdir())).toThrow(`file not found: ${path.join(os.tmpdir(), 'riverton_water_mains.geojson')} (lifelines[0].file in ${RIVERTON}`);
  });
});
