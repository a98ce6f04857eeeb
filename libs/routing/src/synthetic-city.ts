import { haversineMetres } from './geo';
import { buildRoadGraph, type RoadGraph } from './osm-graph';
import { METRES_PER_DEGREE_LAT, metresPerDegreeLon, mulberry32 } from '@cad/domain';

/** Options of {@link generateSyntheticCity}. */
export interface SyntheticCityOptions {
  /** PRNG seed: the same seed and size always give the same graph. */
  seed: number;
  /** Grid columns (west–east); nodes = columns × rows. At least 2. */
  columns: number;
  /** Grid rows (south–north). At least 2. */
  rows: number;
  /** Block length, metres. Default 100. */
  blockMetres?: number;
  /** South-west corner, WGS84 degrees. Default 37.70, -122.52 (so that it overlays San Francisco's latitude). */
  origin?: { lat: number; lon: number };
}

/**
 * Street class of grid line `k` (a row or a column): `expressway` every 48th line (80 km/h, two-way),
 * `arterial` every 12th (55 km/h, two-way), a one-way pair on lines 6 and 7 of every 12 (45 km/h,
 * opposite directions), else `local`.
 */
function lineClass(k: number): { kind: 'expressway' | 'arterial' | 'pair' | 'local'; kph: number; dir: -1 | 0 | 1 } {
  if (k % 48 === 0) return { kind: 'expressway', kph: 80, dir: 0 };
  if (k % 12 === 0) return { kind: 'arterial', kph: 55, dir: 0 };
  if (k % 12 === 6) return { kind: 'pair', kph: 45, dir: 1 };
  if (k % 12 === 7) return { kind: 'pair', kph: 45, dir: -1 };
  return { kind: 'local', kph: 0, dir: 0 };
}

/**
 * A seeded, road-like synthetic city: a jittered grid of `columns × rows` intersections, `blockMetres`
 * apart, with a hierarchy of streets (see `lineClass`: expressways, arterials, one-way pairs) and
 * local streets in between whose speed is 30, 35 or 40 km/h per street, of which 10 % are one-way;
 * 6 % of local blocks are missing (dead ends, irregular blocks) and 2 % of cells get a diagonal
 * local street (25 km/h). Every edge time gets ±5 % noise so that ties are rare. Node positions
 * are jittered by up to 15 % of a block. Lengths are haversine metres; times are metres / speed.
 * Nodes are numbered row-major (`row * columns + column`), `osmId` = node index, `ways` is empty.
 * About 40 ms per 10,000 nodes.
 * @throws {RangeError} if `columns` or `rows` is not an integer ≥ 2.
 */
export function generateSyntheticCity(options: SyntheticCityOptions): RoadGraph {
  const { seed, columns, rows } = options;
  if (!Number.isInteger(columns) || columns < 2) throw new RangeError(`columns must be an integer >= 2, got ${columns}`);
  if (!Number.isInteger(rows) || rows < 2) throw new RangeError(`rows must be an integer >= 2, got ${rows}`);
  const block = options.blockMetres ?? 100;
  const origin = options.origin ?? { lat: 37.7, lon: -122.52 };
  const rand = mulberry32(seed);
  const n = columns * rows;
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const osmId = new Float64Array(n);
  const mPerDegLon = metresPerDegreeLon(origin.lat);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < columns; i++) {
      const v = j * columns + i;
      const jx = (rand() - 0.5) * 0.3 * block;
      const jy = (rand() - 0.5) * 0.3 * block;
      lat[v] = origin.lat + (j * block + jy) / METRES_PER_DEGREE_LAT;
      lon[v] = origin.lon + (i * block + jx) / mPerDegLon;
      osmId[v] = v;
    }
  }

  const tail: number[] = [];
  const head: number[] = [];
  const metres: number[] = [];
  const seconds: number[] = [];
  const addEdge = (a: number, b: number, kph: number): void => {
    const d = haversineMetres(lat[a], lon[a], lat[b], lon[b]);
    tail.push(a); head.push(b); metres.push(d);
    seconds.push((d / (kph / 3.6)) * (0.95 + 0.1 * rand()));
  };
  const addStreet = (a: number, b: number, kph: number, dir: -1 | 0 | 1): void => {
    if (dir >= 0) addEdge(a, b, kph);
    if (dir <= 0) addEdge(b, a, kph);
  };
  /** Lays one grid line of `count` nodes, `node(k)` giving its k-th node. */
  const layLine = (lineIndex: number, count: number, node: (k: number) => number): void => {
    const cls = lineClass(lineIndex);
    let kph = cls.kph;
    let dir = cls.dir;
    const local = cls.kind === 'local';
    if (local) {
      kph = [30, 35, 40][Math.floor(rand() * 3)];
      if (rand() < 0.1) dir = rand() < 0.5 ? 1 : -1;
    }
    for (let k = 0; k + 1 < count; k++) {
      if (local && rand() < 0.06) continue;
      addStreet(node(k), node(k + 1), kph, dir);
    }
  };
  for (let j = 0; j < rows; j++) layLine(j, columns, (k) => j * columns + k);
  for (let i = 0; i < columns; i++) layLine(i, rows, (k) => k * columns + i);
  for (let j = 0; j + 1 < rows; j++) {
    for (let i = 0; i + 1 < columns; i++) {
      if (rand() < 0.02) {
        const a = j * columns + i;
        const b = (j + 1) * columns + i + 1;
        if (rand() < 0.5) addStreet(a, b, 25, 0);
        else addStreet(a + 1, b - 1, 25, 0);
      }
    }
  }
  return buildRoadGraph({
    lat, lon, osmId,
    tail: Uint32Array.from(tail), head: Uint32Array.from(head),
    metres: Float64Array.from(metres), seconds: Float64Array.from(seconds), ways: [],
  });
}
