import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { mulberry32 } from '@cad/domain';
import { RoadNetwork } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

describe('the preprocessed graph is cached on disk, keyed by the source file hash', () => {
  let dir: string;
  let osm: string;
  let cacheDir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cad-routing-cache-'));
    osm = join(dir, 'roads.osm');
    cacheDir = join(dir, 'cache');
    copyFileSync(SF_OSM, osm);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the first start builds and writes the hierarchy; a restart loads it and answers the same', () => {
    const first = RoadNetwork.fromOsmFile(osm, { cacheDir });
    expect(first.hierarchySource).toBe('built');
    expect(readdirSync(cacheDir)).toHaveLength(1);

    const restarted = RoadNetwork.fromOsmFile(osm, { cacheDir });
    expect(restarted.hierarchySource).toBe('cache');
    const rand = mulberry32(11);
    const main: number[] = [];
    for (let v = 0; v < first.nodeCount; v++) if (first.isInMainComponent(v)) main.push(v);
    const pick = (): number => main[Math.floor(rand() * main.length)];
    for (let i = 0; i < 50; i++) {
      const [s, t] = [pick(), pick()];
      expect(restarted.route(s, t)).toEqual(first.route(s, t));
    }
    const sources = Array.from({ length: 100 }, pick);
    const target = pick();
    expect(restarted.travelTimesTo(target, sources)).toEqual(first.travelTimesTo(target, sources));
  });

  it('another file content or other speeds get their own cache file', () => {
    const slower = RoadNetwork.fromOsmFile(osm, { cacheDir, defaultSpeedsKph: { residential: 20 } });
    expect(slower.hierarchySource).toBe('built');
    appendFileSync(osm, '\n<!-- edited -->\n');
    const edited = RoadNetwork.fromOsmFile(osm, { cacheDir });
    expect(edited.hierarchySource).toBe('built');
    expect(readdirSync(cacheDir)).toHaveLength(3);
    expect(RoadNetwork.fromOsmFile(osm, { cacheDir }).hierarchySource).toBe('cache');
  });

  it('a damaged cache file is ignored and rewritten', () => {
    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), 'not a hierarchy');
    const net = RoadNetwork.fromOsmFile(osm, { cacheDir });
    expect(net.hierarchySource).toBe('built');
    expect(RoadNetwork.fromOsmFile(osm, { cacheDir }).hierarchySource).toBe('cache');
  });

  it('without a cache folder the hierarchy is built on the first query', () => {
    const net = RoadNetwork.fromOsmFile(osm);
    expect(net.hierarchySource).toBe('not built yet');
    net.route(net.snap(37.79, -122.41).node, net.snap(37.8, -122.43).node);
    expect(net.hierarchySource).toBe('built');
  });
});
