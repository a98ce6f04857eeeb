import { XMLParser } from 'fast-xml-parser';
import { haversineMetres } from './geo';
import { DEFAULT_SPEEDS_KPH, parseMaxspeedKph } from './speeds';

/**
 * One direction of a road graph in compressed-sparse-row (CSR) form.
 * The edges leaving node `v` are the indices `e` with `firstOut[v] <= e < firstOut[v + 1]`;
 * `head[e]` is the node at the other end, `seconds[e]` the travel time (s), `metres[e]` the
 * length (m). `firstOut.length === nodeCount + 1`; the other arrays have `edgeCount` entries.
 */
export interface CsrAdjacency {
  readonly firstOut: Uint32Array;
  readonly head: Uint32Array;
  readonly seconds: Float64Array;
  readonly metres: Float64Array;
}

/** A drivable OSM way kept for drawing (node indices are in the direction of travel for one-way roads). */
export interface RoadWay {
  /** OSM way id. */
  readonly osmId: number;
  /** OSM `highway` value, e.g. `"residential"`. */
  readonly highway: string;
  /** OSM `name`, when tagged. */
  readonly name?: string;
  /** True when the way can only be driven in the direction of {@link nodes}. */
  readonly oneway: boolean;
  /** Speed used for the way's edges, km/h (from `maxspeed`, else the class default). */
  readonly speedKph: number;
  /** Graph node indices along the way (at least two). */
  readonly nodes: Uint32Array;
  /** OSM `ref`, when tagged (e.g. `"US 101"`; several refs are separated by `;`). */
  readonly ref?: string;
  /** OSM `tunnel` value when not `no` (e.g. `"yes"`, `"building_passage"`). */
  readonly tunnel?: string;
  /** OSM `bridge` value when not `no` (e.g. `"yes"`, `"viaduct"`). */
  readonly bridge?: string;
  /** OSM `layer` when tagged and not 0 (e.g. -1 below ground, 1 above). */
  readonly layer?: number;
}

/**
 * A directed road graph with dense node indices `0 .. nodeCount - 1`.
 * - `lat`, `lon`: WGS84 decimal degrees; `osmId`: the OSM node id (exact up to 2^53).
 * - `forward`: out-edges; `reverse`: the same edges reversed (in-edges: `reverse.head[e]` is the
 *   tail of an original edge into `v`), with identical `seconds`/`metres`.
 * - `componentId[v]`: strongly connected component of `v` (Tarjan numbering);
 *   `inMainComponent[v] === 1` iff `v` is in the largest one (`mainComponentSize` nodes).
 * - `ways`: the drivable ways, for display and for choosing the roadway a point snaps to.
 * - `edgeWay[e]`: index in `ways` of the way forward edge `e` belongs to, or -1 when unknown
 *   (a graph built from a bare edge list).
 */
export interface RoadGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly osmId: Float64Array;
  readonly forward: CsrAdjacency;
  readonly reverse: CsrAdjacency;
  readonly componentId: Uint32Array;
  readonly componentCount: number;
  readonly inMainComponent: Uint8Array;
  readonly mainComponentSize: number;
  readonly ways: readonly RoadWay[];
  readonly edgeWay: Int32Array;
}

/** Options for {@link parseOsmRoadGraph}. */
export interface ParseOsmOptions {
  /**
   * Per-`highway`-class default speeds in km/h that replace {@link DEFAULT_SPEEDS_KPH} entries.
   * Overriding a parent class (e.g. `primary`) also moves its `_link` default to 0.7 × the new
   * value unless the link class is given too. Keys must be drivable classes; values finite and > 0.
   */
  defaultSpeedsKph?: Partial<Record<string, number>>;
}

interface OsmTag { k?: string; v?: string }
interface OsmNodeEl { id?: string; lat?: string; lon?: string }
interface OsmWayEl { id?: string; nd?: { ref?: string }[]; tag?: OsmTag[] }

const ARRAY_ELEMENTS = new Set(['node', 'way', 'nd', 'tag', 'relation', 'member']);
const LINK_RATIO = 0.7;

function resolveSpeeds(overrides: Partial<Record<string, number>> | undefined): Record<string, number> {
  const speeds: Record<string, number> = { ...DEFAULT_SPEEDS_KPH };
  if (!overrides) return speeds;
  const given = new Set<string>();
  for (const [cls, kph] of Object.entries(overrides)) {
    if (kph === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_SPEEDS_KPH, cls)) {
      throw new RangeError(`defaultSpeedsKph.${cls}: not a drivable highway class`);
    }
    if (typeof kph !== 'number' || !Number.isFinite(kph) || kph <= 0) {
      throw new RangeError(`defaultSpeedsKph.${cls}: must be a finite number > 0 km/h, got ${String(kph)}`);
    }
    speeds[cls] = kph;
    given.add(cls);
  }
  for (const cls of Object.keys(speeds)) {
    if (!cls.endsWith('_link') || given.has(cls)) continue;
    const parent = cls.slice(0, -'_link'.length);
    if (given.has(parent)) speeds[cls] = speeds[parent] * LINK_RATIO;
  }
  return speeds;
}

/** -1: reverse only, 0: both ways, 1: forward only, null: skip the way (reversible). */
function onewayDirection(tags: Map<string, string>, highway: string): -1 | 0 | 1 | null {
  const raw = tags.get('oneway');
  const v = raw === undefined ? undefined : raw.trim().toLowerCase();
  if (v === 'yes' || v === 'true' || v === '1') return 1;
  if (v === '-1' || v === 'reverse') return -1;
  if (v === 'no' || v === 'false' || v === '0' || v === 'alternating') return 0;
  // Direction changes with time of day; OSRM's car profile also refuses these.
  if (v === 'reversible') return null;
  // Implied one-way (OSM wiki, Key:oneway): motorways, motorway links and roundabouts.
  const junction = tags.get('junction');
  if (highway === 'motorway' || highway === 'motorway_link' || junction === 'roundabout' || junction === 'circular') {
    return 1;
  }
  return 0;
}

/**
 * Builds a directed road graph from OSM XML (the `<osm>` document of the OSM API 0.6 / osmium /
 * osmfilter output), parsed with fast-xml-parser.
 *
 * - Only ways whose `highway` is a drivable class (motorway, trunk, primary, secondary, tertiary,
 *   unclassified, residential, living_street, service and the five `*_link`s) are used; footways,
 *   paths, cycleways, steps, pedestrian, track, construction, etc. are skipped, as are
 *   `area=yes` and `oneway=reversible` ways. Access tags are ignored (emergency vehicles).
 * - Direction: `oneway=yes|true|1` forward only, `oneway=-1|reverse` backward only,
 *   `no|false|0|alternating` both; untagged motorways, motorway links and `junction=roundabout|circular`
 *   are one-way (OSM wiki, Key:oneway). An explicit tag always wins.
 * - Edge length: haversine distance in metres with R = 6,371,008.8 m (see `haversineMetres`).
 *   Edge time (seconds) = metres / (speed km/h / 3.6). Speed comes from `maxspeed`
 *   (`parseMaxspeedKph`: "25 mph", "40", "50 km/h"), else the class default
 *   (`DEFAULT_SPEEDS_KPH`, overridable through `options.defaultSpeedsKph`).
 * - Tag values are decoded once: the five XML named entities and numeric character references
 *   (`O&#39;Farrell Street` gives `O'Farrell Street`), so names and labels read as the street sign.
 * - Only nodes referenced by drivable ways become graph nodes, numbered in order of first use.
 *   A way is split where it references a node missing from the file; zero-length repeats of
 *   the same node are dropped.
 * - The largest strongly connected component is found with an iterative Tarjan algorithm
 *   (R. Tarjan, SIAM J. Comput. 1(2), 1972), O(V + E), no recursion.
 *
 * @throws {RangeError} for an invalid `defaultSpeedsKph` entry.
 * @throws {Error} if the text is not an OSM document or contains no drivable way.
 */
export function parseOsmRoadGraph(xml: string, options: ParseOsmOptions = {}): RoadGraph {
  const speeds = resolveSpeeds(options.defaultSpeedsKph);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Character references (`O&#39;Farrell Street`, `&#x27;`) are XML 1.0 (section 4.1), but
    // fast-xml-parser decodes only the five named XML entities unless `htmlEntities` is set; with it
    // set, numeric references and the HTML named ones (`&nbsp;`) are decoded once too (no double
    // decoding: `&amp;#39;` stays the text `&#39;`).
    htmlEntities: true,
    isArray: (name: string) => ARRAY_ELEMENTS.has(name),
  });
  const doc = parser.parse(xml) as { osm?: { node?: OsmNodeEl[]; way?: OsmWayEl[] } | string };
  if (!doc || typeof doc !== 'object' || doc.osm === undefined) {
    throw new Error('parseOsmRoadGraph: input is not OSM XML (no <osm> root element)');
  }
  const osm = typeof doc.osm === 'object' ? doc.osm : {};
  const nodeEls = osm.node ?? [];
  const wayEls = osm.way ?? [];

  // OSM node id -> position in nodeEls
  const fileIndex = new Map<string, number>();
  for (let i = 0; i < nodeEls.length; i++) {
    const id = nodeEls[i].id;
    if (id !== undefined) fileIndex.set(id, i);
  }

  const compactOf = new Int32Array(nodeEls.length).fill(-1);
  const usedFileIdx: number[] = [];
  const compact = (fi: number): number => {
    let c = compactOf[fi];
    if (c < 0) {
      c = usedFileIdx.length;
      compactOf[fi] = c;
      usedFileIdx.push(fi);
    }
    return c;
  };

  interface PendingWay { osmId: number; highway: string; name?: string; dir: -1 | 0 | 1; speedKph: number; nodes: number[]; level: Level }
  type Level = { -readonly [K in 'ref' | 'tunnel' | 'bridge' | 'layer']?: RoadWay[K] };
  const pending: PendingWay[] = [];

  for (const w of wayEls) {
    const tags = new Map<string, string>();
    for (const t of w.tag ?? []) if (t.k !== undefined && t.v !== undefined) tags.set(t.k, String(t.v));
    const highway = tags.get('highway');
    if (highway === undefined || !Object.prototype.hasOwnProperty.call(speeds, highway)) continue;
    if (tags.get('area') === 'yes') continue;
    const dir = onewayDirection(tags, highway);
    if (dir === null) continue;
    const speedKph = parseMaxspeedKph(tags.get('maxspeed')) ?? speeds[highway];
    const name = ownCopy(tags.get('name'));
    const highwayKept = ownCopy(highway);
    const osmId = Number(w.id);
    const level: Level = {};
    const ref = tags.get('ref');
    if (ref !== undefined) level.ref = ownCopy(ref);
    const tunnel = tags.get('tunnel');
    if (tunnel !== undefined && tunnel !== 'no') level.tunnel = ownCopy(tunnel);
    const bridge = tags.get('bridge');
    if (bridge !== undefined && bridge !== 'no') level.bridge = ownCopy(bridge);
    const layer = Number.parseInt(tags.get('layer') ?? '0', 10);
    if (Number.isFinite(layer) && layer !== 0) level.layer = layer;

    let run: number[] = [];
    const flush = (): void => {
      if (run.length >= 2) pending.push({ osmId, highway: highwayKept, name, dir, speedKph, nodes: run, level });
      run = [];
    };
    for (const nd of w.nd ?? []) {
      const fi = nd.ref === undefined ? undefined : fileIndex.get(nd.ref);
      if (fi === undefined) { flush(); continue; }
      const lat = Number(nodeEls[fi].lat);
      const lon = Number(nodeEls[fi].lon);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) { flush(); continue; }
      const c = compact(fi);
      if (run.length === 0 || run[run.length - 1] !== c) run.push(c);
    }
    flush();
  }
  if (pending.length === 0) {
    throw new Error('parseOsmRoadGraph: the OSM document contains no drivable highway way');
  }

  const n = usedFileIdx.length;
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const osmId = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const el = nodeEls[usedFileIdx[c]];
    lat[c] = Number(el.lat);
    lon[c] = Number(el.lon);
    osmId[c] = Number(el.id);
  }

  // Collect directed edges.
  let m = 0;
  for (const pw of pending) m += (pw.nodes.length - 1) * (pw.dir === 0 ? 2 : 1);
  const tail = new Uint32Array(m);
  const head = new Uint32Array(m);
  const metres = new Float64Array(m);
  const seconds = new Float64Array(m);
  const edgeWay = new Int32Array(m);
  const ways: RoadWay[] = [];
  let k = 0;
  for (const pw of pending) {
    const w = ways.length;
    const mps = pw.speedKph / 3.6;
    const seq = pw.dir === -1 ? pw.nodes.slice().reverse() : pw.nodes;
    for (let i = 0; i + 1 < seq.length; i++) {
      const a = seq[i];
      const b = seq[i + 1];
      const d = haversineMetres(lat[a], lon[a], lat[b], lon[b]);
      const s = d / mps;
      tail[k] = a; head[k] = b; metres[k] = d; seconds[k] = s; edgeWay[k] = w; k++;
      if (pw.dir === 0) { tail[k] = b; head[k] = a; metres[k] = d; seconds[k] = s; edgeWay[k] = w; k++; }
    }
    const way: RoadWay = {
      osmId: pw.osmId, highway: pw.highway, oneway: pw.dir !== 0, speedKph: pw.speedKph, nodes: Uint32Array.from(seq),
      ...(pw.name !== undefined ? { name: pw.name } : {}),
      ...pw.level,
    };
    ways.push(way);
  }

  return buildRoadGraph({ lat, lon, osmId, tail, head, metres, seconds, ways, edgeWay });
}

/** Input of {@link buildRoadGraph}: node positions and a directed edge list in any order. */
export interface RoadGraphInput {
  /** WGS84 decimal degrees, one entry per node. */
  lat: Float64Array;
  lon: Float64Array;
  /** External node ids (OSM ids, or any numbering for a synthetic graph). */
  osmId: Float64Array;
  /** Edge `k` goes from node `tail[k]` to node `head[k]`, `metres[k]` long, taking `seconds[k]`. */
  tail: Uint32Array;
  head: Uint32Array;
  metres: Float64Array;
  seconds: Float64Array;
  /** Ways for drawing (may be empty). */
  ways: RoadWay[];
  /** Per input edge, its index in `ways` (-1 or absent: unknown). */
  edgeWay?: Int32Array;
}

/**
 * Builds a {@link RoadGraph} from an edge list: CSR forward and reverse adjacency (counting sort,
 * stable) and the strongly connected components (iterative Tarjan). O(V + E).
 */
export function buildRoadGraph(input: RoadGraphInput): RoadGraph {
  const { lat, lon, osmId, tail, head, metres, seconds, ways } = input;
  const n = lat.length;
  const forward = buildCsr(n, tail, head, metres, seconds);
  const reverse = buildCsr(n, head, tail, metres, seconds);
  const scc = stronglyConnectedComponents(forward, n);
  // The same stable counting sort as buildCsr, applied to the way index of each edge.
  const edgeWay = new Int32Array(tail.length).fill(-1);
  if (input.edgeWay !== undefined) {
    const fill = forward.firstOut.slice(0, n);
    for (let e = 0; e < tail.length; e++) edgeWay[fill[tail[e]]++] = input.edgeWay[e];
  }

  return {
    nodeCount: n, edgeCount: tail.length, lat, lon, osmId, forward, reverse,
    componentId: scc.componentId, componentCount: scc.componentCount,
    inMainComponent: scc.inMain, mainComponentSize: scc.mainSize, ways, edgeWay,
  };
}

/** Counting sort of the edge list by `from` into CSR (stable, so parallel ways keep file order). */
function buildCsr(n: number, from: Uint32Array, to: Uint32Array, metres: Float64Array, seconds: Float64Array): CsrAdjacency {
  const m = from.length;
  const firstOut = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) firstOut[from[e] + 1]++;
  for (let v = 0; v < n; v++) firstOut[v + 1] += firstOut[v];
  const fill = firstOut.slice(0, n);
  const head = new Uint32Array(m);
  const sec = new Float64Array(m);
  const met = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const p = fill[from[e]]++;
    head[p] = to[e]; sec[p] = seconds[e]; met[p] = metres[e];
  }
  return { firstOut, head, seconds: sec, metres: met };
}

/**
 * Iterative Tarjan SCC (R. Tarjan, SIAM J. Comput. 1(2), 1972), O(V + E); returns component ids and
 * membership of the largest component. Edges `e` with `skip[e] === 1` (e.g. closed roads) are ignored.
 */
export function stronglyConnectedComponents(g: CsrAdjacency, n: number, skip?: Uint8Array): {
  componentId: Uint32Array; componentCount: number; inMain: Uint8Array; mainSize: number;
} {
  const { firstOut, head } = g;
  const index = new Int32Array(n).fill(-1);
  const low = new Uint32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Uint32Array(n);
  const callNode = new Uint32Array(n);
  const callEdge = new Uint32Array(n);
  const componentId = new Uint32Array(n);
  const sizes: number[] = [];
  let sp = 0;
  let counter = 0;

  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    let csp = 0;
    index[s] = low[s] = counter++;
    stack[sp++] = s; onStack[s] = 1;
    callNode[csp] = s; callEdge[csp] = firstOut[s]; csp++;
    while (csp > 0) {
      const v = callNode[csp - 1];
      const e = callEdge[csp - 1];
      if (e < firstOut[v + 1]) {
        callEdge[csp - 1] = e + 1;
        if (skip !== undefined && skip[e] === 1) continue;
        const w = head[e];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w; onStack[w] = 1;
          callNode[csp] = w; callEdge[csp] = firstOut[w]; csp++;
        } else if (onStack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      csp--;
      if (low[v] === index[v]) {
        const id = sizes.length;
        let size = 0;
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          componentId[w] = id;
          size++;
        } while (w !== v);
        sizes.push(size);
      }
      if (csp > 0) {
        const u = callNode[csp - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
    }
  }

  let main = 0;
  for (let c = 1; c < sizes.length; c++) if (sizes[c] > sizes[main]) main = c;
  const inMain = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (componentId[v] === main) inMain[v] = 1;
  return { componentId, componentCount: sizes.length, inMain, mainSize: sizes[main] ?? 0 };
}

/** Tail node of every forward edge of a graph (`RoadGraph.forward` stores heads only). O(E). */
export function edgeTails(graph: RoadGraph): Uint32Array {
  const { firstOut } = graph.forward;
  const tail = new Uint32Array(graph.edgeCount);
  for (let u = 0; u < graph.nodeCount; u++) for (let e = firstOut[u]; e < firstOut[u + 1]; e++) tail[e] = u;
  return tail;
}

/**
 * A copy of a tag value that does not hold the OSM text alive: the XML parser answers substrings of
 * the whole file, which V8 may keep as slices of it, so one street name kept in the graph would keep
 * the whole file (about 5 MB for San Francisco's north strip) in the heap for the process's life.
 */
function ownCopy<T extends string | undefined>(s: T): T {
  return (s === undefined ? s : Array.from(s).join('')) as T;
}
