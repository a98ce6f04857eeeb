import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCityProfile } from '@cad/db';
import { loadConfig } from '../config/config';
import { loadRoadNetwork } from './routing.providers';
import { RIVERTON_DIR, RIVERTON_ENV } from '../testing/riverton-app';

/**
 * The road graph takes the speeds a city profile assumes for roads without `maxspeed`
 * (`roads.speedDefaultsKmh`): Riverton's residential grid at 30 km/h is driven more slowly than the
 * same OSM file at the built-in 40 km/h; a profile that names no speed builds the default network.
 */
describe('road speeds come from the city profile', () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cad-speeds-'));
  afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  /** Riverton's profile rewritten with another `roads` block, in a temporary folder (data files stay in the fixture). */
  function profileWith(roads: string): string {
    const yaml = fs.readFileSync(RIVERTON_ENV.CITY_PROFILE, 'utf8').replace(/roads:\n  file: riverton_roads.osm\n  speedDefaultsKmh: .*\n/, roads);
    const file = path.join(cacheDir, `riverton-${fs.readdirSync(cacheDir).length}.yaml`);
    fs.writeFileSync(file, yaml.replace('dataDir: .', `dataDir: ${RIVERTON_DIR}`).replace(/file: riverton_plans.yaml/, `file: ${path.join(RIVERTON_DIR, 'riverton_plans.yaml')}`));
    return file;
  }
  /** Seconds along Main St (residential) from its west end to the middle, on the network the profile gives. */
  function mainStreetSeconds(profile: string): number {
    const net = loadRoadNetwork(loadConfig({ ...RIVERTON_ENV, CITY_PROFILE: profile, ROUTING_CACHE_DIR: cacheDir }));
    const from = net.snap(41.0, -90.018).node;
    const to = net.snap(41.0, -90.0).node;
    return net.travelTimesTo(to, [from])[0];
  }

  it('Riverton at 30 km/h on residential roads takes 4/3 of the time the default 40 km/h gives', () => {
    expect(readCityProfile(RIVERTON_ENV.CITY_PROFILE).roads.speedDefaultsKmh).toEqual({ residential: 30, primary: 50 });
    const own = mainStreetSeconds(RIVERTON_ENV.CITY_PROFILE);
    const silent = mainStreetSeconds(profileWith('roads:\n  file: riverton_roads.osm\n'));
    const fast = mainStreetSeconds(profileWith('roads:\n  file: riverton_roads.osm\n  speedDefaultsKmh: { residential: 60 }\n'));
    expect(own / silent).toBeCloseTo(40 / 30, 6);
    expect(fast / silent).toBeCloseTo(40 / 60, 6);
  });

  it('a profile naming no speed (San Francisco) builds exactly the default network', () => {
    expect(readCityProfile('san-francisco').roads.speedDefaultsKmh).toBeUndefined();
    const silent = profileWith('roads:\n  file: riverton_roads.osm\n');
    const explicitDefault = profileWith('roads:\n  file: riverton_roads.osm\n  speedDefaultsKmh: { residential: 40 }\n');
    expect(mainStreetSeconds(silent)).toBeCloseTo(mainStreetSeconds(explicitDefault), 9);
  });

  it('a speed for a class that is not a drivable road, or out of range, is refused naming the key', () => {
    expect(() => readCityProfile(profileWith('roads:\n  file: riverton_roads.osm\n  speedDefaultsKmh: { footway: 5 }\n'))).toThrow(
      /roads\.speedDefaultsKmh\.footway is not a drivable OSM highway class/,
    );
    expect(() => readCityProfile(profileWith('roads:\n  file: riverton_roads.osm\n  speedDefaultsKmh: { residential: 0 }\n'))).toThrow(/roads\.speedDefaultsKmh\.residential must be a number in 1\.\.200/);
  });
});
