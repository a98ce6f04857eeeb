import * as path from 'node:path';
import { RoadNetwork, positionToZoneSeconds } from '@cad/routing';
import { callsOfDay, readSfCalls } from '../db/import/sf-calls';
const D = path.resolve(__dirname, '../../shared/data/san-francisco');
const net = RoadNetwork.fromOsmFile(path.join(D, 'sf_north_roads.osm'));
const { rows } = readSfCalls(path.join(D, 'sf_fire_calls_2016-12-31_to_2017-01-07_north_bbox.csv'), 'America/Los_Angeles');
const calls = callsOfDay(rows, '2017-01-01');
const nodes = calls.map((c) => net.snap(c.lat, c.lon).node);
console.log(nodes.length);
let t = performance.now();
for (let i = 0; i < 50; i++) { const t1 = performance.now(); net.travelTimesTo(nodes[i], nodes.slice(0, 97), 480); const d = performance.now() - t1; if (d > 50) console.log('slow', i, d); }
console.log('50 in', performance.now() - t);
t = performance.now();
const m = positionToZoneSeconds(net, nodes.slice(0, 97), nodes.slice(0, 100), 480); console.log('ptz', performance.now() - t, m.length);
