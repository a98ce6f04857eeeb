import { readFileSync } from 'fs';
import type { Feature, FeatureCollection, LineString, Position } from 'geojson';
import KDBush from 'kdbush';
import * as geokdbush from 'geokdbush';
import { haversineMetres } from './geo';
import { MinHeap } from './min-heap';
import { parseOsmRoadGraph, type CsrAdjacency, type ParseOsmOptions, type RoadGraph } from './osm-graph';

/** Result of {@link RoadNetwork.snap}. */
export interface SnapResult {
  /** Graph node index (always in the main strongly connected component). */
  node: number;
  /** Great-circle distance from the query point to the node, metres. */
  distanceMetres: number;
}

/** Result of {@link RoadNetwork.route}. */
export interface RouteResult {
  /** Travel time, seconds. */
  seconds: number;
  /** Length, metres. */
  metres: number;
  /** Node indices from origin to destination, both included. */
  nodes: number[];
  /** Path geometry, `[lon, lat]` WGS84 positions (at least two). */
  geometry: LineString;
}

/** Properties of a road feature in {@link RoadNetwork.roadsGeoJson}. */
export interface RoadFeatureProperties {
  /** OSM `highway` class. */
  highway: string;
  /** OSM `name`, when tagged. */
  name?: string;
  /** True for one-way roads; their geometry runs in the direction of travel. */
  oneway: boolean;
}

/**
 * A drivable road network with a spatial index and shortest-travel-time searches.
 *
 * Node ids are the dense indices of the wrapped {@link RoadGraph} (`0 .. nodeCount - 1`); times are
 * seconds, lengths metres, coordinates WGS84 decimal degrees. Searches are Dijkstra's algorithm
 * (E. W. Dijkstra, Numer. Math. 1, 1959) with a typed-array binary heap; scratch arrays are kept
 * on the instance and reused, which is safe because every method runs synchronously to the end.
 */
export class RoadNetwork {
  /** The underlying graph (treat as read-only). */
  readonly graph: RoadGraph;

  private readonly index: KDBush<number>;
  private readonly heap: MinHeap;
  private readonly dist: Float64Array;
  private readonly seen: Uint32Array; // dist[v] valid iff seen[v] === generation
  private readonly done: Uint32Array; // v settled iff done[v] === generation
  private readonly want: Uint32Array; // v is a pending source iff want[v] === generation
  private readonly parentNode: Uint32Array;
  private readonly parentEdge: Uint32Array;
  private generation = 0;
  private osmIndex: Map<number, number> | undefined;

  /**
   * Wraps a graph and builds the spatial index over its main-component nodes.
   * @throws {Error} if the graph has no node.
   */
  constructor(graph: RoadGraph) {
    if (graph.nodeCount === 0 || graph.mainComponentSize === 0) {
      throw new Error('RoadNetwork: the road graph is empty');
    }
    this.graph = graph;
    const n = graph.nodeCount;
    // Index items are node + 1: geokdbush@1 tells result items from kd-tree cells by the
    // truthiness of `item`, so an item of 0 would corrupt its search (and loop without end).
    const keys = new Uint32Array(graph.mainComponentSize);
    for (let v = 0, k = 0; v < n; v++) if (graph.inMainComponent[v]) keys[k++] = v + 1;
    const { lat, lon } = graph;
    this.index = new KDBush<number>(keys, (key) => lon[key - 1], (key) => lat[key - 1], 64, Float64Array);
    this.heap = new MinHeap(Math.max(1024, graph.edgeCount + 1));
    this.dist = new Float64Array(n);
    this.seen = new Uint32Array(n);
    this.done = new Uint32Array(n);
    this.want = new Uint32Array(n);
    this.parentNode = new Uint32Array(n);
    this.parentEdge = new Uint32Array(n);
  }

  /**
   * Reads an OSM XML file (UTF-8) and builds the network; see `parseOsmRoadGraph` for the model.
   * @throws the `fs` error if the file cannot be read, and whatever `parseOsmRoadGraph` throws.
   */
  static fromOsmFile(path: string, options?: ParseOsmOptions): RoadNetwork {
    return RoadNetwork.fromOsmXml(readFileSync(path, 'utf8'), options);
  }

  /** Builds the network from OSM XML text; throws whatever `parseOsmRoadGraph` throws. */
  static fromOsmXml(xml: string, options?: ParseOsmOptions): RoadNetwork {
    return new RoadNetwork(parseOsmRoadGraph(xml, options));
  }

  /** Number of graph nodes. */
  get nodeCount(): number {
    return this.graph.nodeCount;
  }

  /** True if `node` belongs to the largest strongly connected component. @throws {RangeError} for an invalid node. */
  isInMainComponent(node: number): boolean {
    this.checkNode(node, 'node');
    return this.graph.inMainComponent[node] === 1;
  }

  /** Graph node index of an OSM node id, or `undefined` if that node is not on a drivable way. */
  nodeByOsmId(osmId: number): number | undefined {
    if (!this.osmIndex) {
      const ids = this.graph.osmId;
      this.osmIndex = new Map();
      for (let v = 0; v < ids.length; v++) this.osmIndex.set(ids[v], v);
    }
    return this.osmIndex.get(osmId);
  }

  /** WGS84 position of a node, degrees. @throws {RangeError} if `node` is not an integer in `[0, nodeCount)`. */
  nodePosition(node: number): { lat: number; lon: number } {
    this.checkNode(node, 'node');
    return { lat: this.graph.lat[node], lon: this.graph.lon[node] };
  }

  /**
   * Nearest node of the main strongly connected component to a WGS84 point (great-circle
   * nearest via geokdbush over a kdbush index built once). There is no distance cut-off: check
   * `distanceMetres` (haversine, R = 6,371,008.8 m) for points outside the covered area.
   * Nodes of the small disconnected pieces are never returned, so any snapped pair can be routed.
   * @throws {RangeError} naming `lat` / `lon` if non-finite or outside [-90, 90] / [-180, 180].
   */
  snap(lat: number, lon: number): SnapResult {
    if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
      throw new RangeError(`lat must be a finite number in [-90, 90], got ${String(lat)}`);
    }
    if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
      throw new RangeError(`lon must be a finite number in [-180, 180], got ${String(lon)}`);
    }
    const node = geokdbush.around(this.index, lon, lat, 1)[0] - 1;
    return { node, distanceMetres: haversineMetres(lat, lon, this.graph.lat[node], this.graph.lon[node]) };
  }

  /**
   * Travel times (seconds) from each of `sources` to `target`, computed by ONE Dijkstra search on
   * the reversed graph from `target`. `result[i]` belongs to `sources[i]`; it is `Infinity` when
   * the target cannot be reached from that source or the time exceeds `maxSeconds` (inclusive
   * bound). The search stops as soon as every source is settled, or the next settled time exceeds
   * `maxSeconds`, or the reachable set is exhausted. Duplicated sources are fine.
   * @throws {RangeError} for an invalid `target` or `sources[i]` node, or a NaN/negative `maxSeconds`.
   */
  travelTimesTo(target: number, sources: readonly number[], maxSeconds = Infinity): Float64Array {
    this.checkNode(target, 'target');
    for (let i = 0; i < sources.length; i++) this.checkNode(sources[i], `sources[${i}]`);
    if (typeof maxSeconds !== 'number' || Number.isNaN(maxSeconds) || maxSeconds < 0) {
      throw new RangeError(`maxSeconds must be a number >= 0, got ${String(maxSeconds)}`);
    }
    const result = new Float64Array(sources.length).fill(Infinity);
    if (sources.length === 0) return result;

    const gen = this.nextGeneration();
    const { want, done, dist } = this;
    let remaining = 0;
    for (const s of sources) {
      if (want[s] !== gen) {
        want[s] = gen;
        remaining++;
      }
    }
    this.search(this.graph.reverse, target, gen, maxSeconds, (u) => {
      if (want[u] === gen && --remaining === 0) return true;
      return false;
    });
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i];
      if (done[s] === gen) result[i] = dist[s];
    }
    return result;
  }

  /**
   * Fastest route from node `from` to node `to` on the forward graph (point-to-point Dijkstra,
   * stopping when `to` is settled). Returns `null` when `to` is unreachable from `from`.
   * `from === to` yields `{ seconds: 0, metres: 0, nodes: [from] }` with a two-position geometry
   * (the same `[lon, lat]` twice) so that it stays a valid GeoJSON LineString.
   * @throws {RangeError} if `from` or `to` is not an integer in `[0, nodeCount)`.
   */
  route(from: number, to: number): RouteResult | null {
    this.checkNode(from, 'from');
    this.checkNode(to, 'to');
    const { lat, lon } = this.graph;
    if (from === to) {
      const p: Position = [lon[from], lat[from]];
      return { seconds: 0, metres: 0, nodes: [from], geometry: { type: 'LineString', coordinates: [p, [...p]] } };
    }
    const gen = this.nextGeneration();
    this.search(this.graph.forward, from, gen, Infinity, (u) => u === to);
    if (this.done[to] !== gen) return null;

    const metresArr = this.graph.forward.metres;
    const nodes: number[] = [];
    let metres = 0;
    for (let v = to; v !== from; v = this.parentNode[v]) {
      nodes.push(v);
      metres += metresArr[this.parentEdge[v]];
    }
    nodes.push(from);
    nodes.reverse();
    const coordinates: Position[] = nodes.map((v) => [lon[v], lat[v]]);
    return { seconds: this.dist[to], metres, nodes, geometry: { type: 'LineString', coordinates } };
  }

  /**
   * The drivable OSM ways as GeoJSON (RFC 7946): one LineString feature per way (`id` = OSM way
   * id; a way split by missing node references gives one feature per piece), `[lon, lat]`
   * positions, properties `{ highway, name?, oneway }`. A new object is built on every call.
   */
  roadsGeoJson(): FeatureCollection<LineString, RoadFeatureProperties> {
    const { lat, lon } = this.graph;
    const features: Feature<LineString, RoadFeatureProperties>[] = this.graph.ways.map((w) => {
      const coordinates: Position[] = new Array(w.nodes.length);
      for (let i = 0; i < w.nodes.length; i++) coordinates[i] = [lon[w.nodes[i]], lat[w.nodes[i]]];
      const properties: RoadFeatureProperties = { highway: w.highway, oneway: w.oneway };
      if (w.name !== undefined) properties.name = w.name;
      return { type: 'Feature', id: w.osmId, properties, geometry: { type: 'LineString', coordinates } };
    });
    return { type: 'FeatureCollection', features };
  }

  /**
   * Dijkstra from `origin` over `adj`, settling nodes in time order until `stop(u)` returns true
   * for a settled node, the next time exceeds `bound`, or the heap is empty.
   */
  private search(adj: CsrAdjacency, origin: number, gen: number, bound: number, stop: (u: number) => boolean): void {
    const { firstOut, head, seconds } = adj;
    const { heap, dist, seen, done, parentNode, parentEdge } = this;
    heap.clear();
    dist[origin] = 0;
    seen[origin] = gen;
    heap.push(0, origin);
    while (heap.size > 0) {
      const d = heap.peekKey();
      const u = heap.pop();
      if (done[u] === gen) continue; // stale duplicate
      if (d > bound) break;
      done[u] = gen;
      if (stop(u)) break;
      for (let e = firstOut[u], end = firstOut[u + 1]; e < end; e++) {
        const w = head[e];
        if (done[w] === gen) continue;
        const nd = d + seconds[e];
        if (seen[w] !== gen || nd < dist[w]) {
          seen[w] = gen;
          dist[w] = nd;
          parentNode[w] = u;
          parentEdge[w] = e;
          heap.push(nd, w);
        }
      }
    }
    heap.clear();
  }

  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.done.fill(0);
      this.want.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }

  private checkNode(node: number, name: string): void {
    if (!Number.isInteger(node) || node < 0 || node >= this.graph.nodeCount) {
      throw new RangeError(`${name} must be a node index in [0, ${this.graph.nodeCount}), got ${String(node)}`);
    }
  }
}
