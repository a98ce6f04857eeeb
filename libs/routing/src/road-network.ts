import { readFileSync } from 'fs';
import type { Feature, FeatureCollection, LineString, Position } from 'geojson';
import KDBush from 'kdbush';
import * as geokdbush from 'geokdbush';
import { hierarchyCacheKey, hierarchyCachePath, loadHierarchy, saveHierarchy } from './ch-cache';
import { closureEdgeIds, pathUsesEdges, type ClosureGeometry, type ClosureGeometryOptions } from './closure-geometry';
import { buildContractionHierarchy } from './contraction-hierarchy';
import { haversineMetres } from './geo';
import { parseOsmRoadGraph, type ParseOsmOptions, type RoadGraph } from './osm-graph';
import { RoutingEngine, type EnginePath } from './routing-engine';
import { EdgeSnapIndex, type AccessOptions, type AccessPoint } from './access-point';
import { ApproachFinder, routeToLegs, travelTimesToLegs, type Approach } from './approach';

/** Options of {@link RoadNetwork.fromOsmFile}: the parse options, plus where to cache the preprocessing. */
export interface RoadNetworkFileOptions extends ParseOsmOptions {
  /**
   * Folder for the preprocessed graph (contraction hierarchy), created if missing. The file is
   * keyed by the SHA-256 of the OSM file, the engine version and the parse options: a restart on the
   * same file loads it instead of preprocessing again; a changed file gets a new cache file. Without
   * it, the hierarchy is built in memory on the first query.
   */
  cacheDir?: string;
}

/** Where the network's contraction hierarchy came from. */
export type HierarchySource = 'cache' | 'built' | 'not built yet';

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
  /** Node indices from origin to destination, both included (to an access point: to the node before it). */
  nodes: number[];
  /** To an access point: the forward edge driven part-way at the end and the fraction of it driven. */
  lastEdge?: { edge: number; fraction: number };
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

/** Approaches a network remembers (see `RoadNetwork.approach`): a busy city's open incidents, a few hundred bytes each. */
const APPROACH_MEMO_SIZE = 4096;
/** Snapped points a network remembers (see `RoadNetwork.snap`): units, stations and incidents. */
const SNAP_MEMO_SIZE = 8192;

/**
 * A drivable road network with a spatial index and exact fastest-route searches.
 *
 * Node ids are the dense indices of the wrapped {@link RoadGraph} (`0 .. nodeCount - 1`); edge ids
 * are its `forward` edge indices (`0 .. edgeCount - 1`, one per direction of a two-way street);
 * times are seconds, lengths metres, coordinates WGS84 decimal degrees. Searches run on a
 * {@link RoutingEngine} (contraction hierarchy, with plain Dijkstra on the closed graph for answers
 * that a road closure changes); their results equal Dijkstra's on the graph with closures. The
 * hierarchy is built on the first query (or loaded from `cacheDir`, see {@link fromOsmFile}).
 * Not re-entrant: scratch arrays are reused, which is safe because every method runs synchronously.
 */
export class RoadNetwork {
  /** The underlying graph (treat as read-only). */
  readonly graph: RoadGraph;

  private readonly index: KDBush<number>;
  private osmIndex: Map<number, number> | undefined;
  private routing: RoutingEngine | undefined;
  private source: HierarchySource = 'not built yet';
  private edgeIndex: EdgeSnapIndex | undefined;
  private approaches: ApproachFinder | undefined;
  /** Approaches asked for lately, by point and options, with the closure revision they hold for (oldest first). */
  private readonly approachMemo = new Map<string, { revision: number; approach: Approach }>();
  /** Points snapped lately (oldest first): the nearest main-component node does not depend on closures. */
  private readonly snapMemo = new Map<string, SnapResult>();

  /**
   * Wraps a graph and builds the spatial index over its main-component nodes. `engine`, if given,
   * must have been built for this graph; else one is built on the first query.
   * @throws {Error} if the graph has no node, or `engine` belongs to another graph.
   */
  constructor(graph: RoadGraph, engine?: RoutingEngine) {
    if (graph.nodeCount === 0 || graph.mainComponentSize === 0) {
      throw new Error('RoadNetwork: the road graph is empty');
    }
    if (engine !== undefined && engine.graph !== graph) throw new Error('RoadNetwork: the engine was built for another graph');
    this.graph = graph;
    const n = graph.nodeCount;
    // Index items are node + 1: geokdbush@1 tells result items from kd-tree cells by the
    // truthiness of `item`, so an item of 0 would corrupt its search (and loop without end).
    const keys = new Uint32Array(graph.mainComponentSize);
    for (let v = 0, k = 0; v < n; v++) if (graph.inMainComponent[v]) keys[k++] = v + 1;
    const { lat, lon } = graph;
    this.index = new KDBush<number>(keys, (key) => lon[key - 1], (key) => lat[key - 1], 64, Float64Array);
    if (engine !== undefined) {
      this.routing = engine;
      this.source = 'built';
    }
  }

  /**
   * Reads an OSM XML file (UTF-8) and builds the network; see `parseOsmRoadGraph` for the model.
   * With `options.cacheDir`, the contraction hierarchy is loaded from
   * `<cacheDir>/road-ch-v<engine version>-<sha256>.bin` when present and valid for this file, else
   * built now and written there (see `hierarchyCacheKey`); {@link hierarchySource} tells which.
   * @throws the `fs` error if the file cannot be read or the cache cannot be written, and whatever
   *   `parseOsmRoadGraph` throws.
   */
  static fromOsmFile(path: string, options: RoadNetworkFileOptions = {}): RoadNetwork {
    const { cacheDir, ...parseOptions } = options;
    const bytes = readFileSync(path);
    const net = RoadNetwork.fromOsmXml(bytes.toString('utf8'), parseOptions);
    if (cacheDir === undefined) return net;
    const key = hierarchyCacheKey(bytes, JSON.stringify(parseOptions.defaultSpeedsKph ?? {}));
    const file = hierarchyCachePath(cacheDir, key);
    const g = net.graph;
    const cached = loadHierarchy(file, key, g.nodeCount, g.edgeCount);
    if (cached !== undefined) {
      net.routing = new RoutingEngine(g, cached);
      net.source = 'cache';
      return net;
    }
    const ch = buildContractionHierarchy(g);
    saveHierarchy(file, cacheDir, key, ch);
    net.routing = new RoutingEngine(g, ch);
    net.source = 'built';
    return net;
  }

  /**
   * A second network over the same graph and contraction hierarchy with its own, independent set
   * of closures (starting open): a drill closes roads on it without touching live routing. Shares
   * the read-only graph and hierarchy; allocates its own query scratch space and spatial index
   * (a few MB for the San Francisco graph).
   */
  withOwnClosures(): RoadNetwork {
    const copy = new RoadNetwork(this.graph, new RoutingEngine(this.graph, this.engine.ch));
    copy.edgeIndex = this.edgeIndex ??= new EdgeSnapIndex(this.graph); // read-only, shared
    return copy;
  }

  /** Builds the network from OSM XML text; throws whatever `parseOsmRoadGraph` throws. */
  static fromOsmXml(xml: string, options?: ParseOsmOptions): RoadNetwork {
    return new RoadNetwork(parseOsmRoadGraph(xml, options));
  }

  /** The routing engine (contraction hierarchy + closures), built on first use. */
  get engine(): RoutingEngine {
    if (this.routing === undefined) {
      this.routing = RoutingEngine.build(this.graph);
      this.source = 'built';
    }
    return this.routing;
  }

  /** Whether the contraction hierarchy was loaded from the disk cache, built, or not needed yet. */
  get hierarchySource(): HierarchySource {
    return this.source;
  }

  /** Number of directed edges (edge ids are `0 .. edgeCount - 1`). */
  get edgeCount(): number {
    return this.graph.edgeCount;
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
    // Remembered per point (issue 19's profile: dispatch snapped every capable unit, most at their stations, on every decision).
    const key = `${lat},${lon}`;
    const known = this.snapMemo.get(key);
    if (known) return { ...known };
    const node = geokdbush.around(this.index, lon, lat, 1)[0] - 1;
    const snapped = { node, distanceMetres: haversineMetres(lat, lon, this.graph.lat[node], this.graph.lon[node]) };
    remember(this.snapMemo, key, snapped, SNAP_MEMO_SIZE);
    return { ...snapped };
  }

  /**
   * The access point of a WGS84 point: the nearest point of an edge of the main component, on the
   * right roadway (an address: a surface street within 150 m before a tunnel, bridge deck or
   * motorway; a collision: the roadway it names, in its direction). See `EdgeSnapIndex.snap`.
   * The edge index is built on first use (about 0.3 s for San Francisco) and shared by drill copies.
   * @throws {RangeError} naming `lat` / `lon` as {@link snap}, or `headingDegrees` if not finite.
   */
  accessPoint(lat: number, lon: number, options: AccessOptions = {}): AccessPoint {
    this.snap(lat, lon); // validates
    const h = options.headingDegrees;
    if (h !== undefined && (typeof h !== 'number' || !Number.isFinite(h))) {
      throw new RangeError(`headingDegrees must be a finite number of degrees, got ${String(h)}`);
    }
    this.edgeIndex ??= new EdgeSnapIndex(this.graph);
    return this.edgeIndex.snap(lat, lon, options);
  }

  /**
   * The nearest named road to a WGS84 point within `withinMetres` metres (default 300), preferring a
   * surface street within a block over a nearer tunnel or motorway (see `EdgeSnapIndex.nearestNamed`).
   * @returns `{name, distanceMetres, surface}` (OSM `name`), or null when no named road is in reach
   * @throws {RangeError} naming `lat` / `lon` as {@link snap}.
   */
  nearestNamedRoad(lat: number, lon: number, withinMetres = 300): { name: string; distanceMetres: number; surface: boolean } | null {
    this.snap(lat, lon); // validates
    this.edgeIndex ??= new EdgeSnapIndex(this.graph);
    return this.edgeIndex.nearestNamed(lat, lon, withinMetres);
  }

  /**
   * How units reach a point under the current closures (see `ApproachFinder`): its access point,
   * or, when closures cut it off, the nearest reachable node beside the closure with the metres
   * left to walk. Compute it again after the closures change.
   * @throws {RangeError} as {@link accessPoint}.
   */
  approach(lat: number, lon: number, options: AccessOptions = {}): Approach {
    // Remembered per point, options and closure revision (issue 19's profile of the drill: dispatch, the
    // ETA table and every incident view asked again for the same incident, 4 % of the drill's CPU).
    // The answer is a pure function of these; it is frozen (callers only read it).
    // Every option as given (an empty roadway is not the same question as none).
    const key = JSON.stringify([lat, lon, options.roadway, options.headingDegrees, options.surfaceWithinMetres]);
    const revision = this.engine.revision;
    const known = this.approachMemo.get(key);
    if (known && known.revision === revision) return known.approach;
    const access = this.accessPoint(lat, lon, options);
    this.approaches ??= new ApproachFinder(this.graph);
    // Frozen: the same object answers every later question about this point, so no caller may change it.
    const approach = deepFreeze(this.approaches.approach(access, this.engine));
    remember(this.approachMemo, key, { revision, approach }, APPROACH_MEMO_SIZE);
    return approach;
  }

  /**
   * Travel times (seconds) from each source node to an approach's point (the access point at its
   * offset along the edge, or the node beside the closure), as exact as {@link travelTimesTo};
   * `Infinity` when unreachable or over `maxSeconds`.
   * @throws {RangeError} as {@link travelTimesTo} for a bad source or `maxSeconds`.
   */
  travelTimesToApproach(approach: Approach, sources: readonly number[], maxSeconds = Infinity): Float64Array {
    if (approach.legs.length === 0) {
      this.travelTimesTo(0, sources, maxSeconds); // validates
      return new Float64Array(sources.length).fill(Infinity);
    }
    const times = this.travelTimesTo(approach.legs[0].node, sources, maxSeconds); // validates
    const best = travelTimesToLegs(this.engine, approach.legs, sources);
    for (let i = 0; i < best.length; i++) times[i] = best[i] > maxSeconds ? Infinity : best[i];
    return times;
  }

  /**
   * Fastest route from node `from` to an approach's point on the graph with closures, or `null`
   * when unreachable. Ends with the part of the access point's edge driven (`lastEdge`), its
   * geometry ending at the access point.
   * @throws {RangeError} if `from` is not a node index.
   */
  routeToApproach(from: number, approach: Approach): RouteResult | null {
    this.checkNode(from, 'from');
    const best = routeToLegs(this.engine, from, approach.legs);
    if (best === null) return null;
    const { leg, path } = best;
    const r = this.routeOf(from, path);
    if (leg.edge < 0) return r;
    const { lat, lon } = this.graph;
    const v = this.graph.forward.head[leg.edge];
    const at: Position = [lon[leg.node] + (lon[v] - lon[leg.node]) * leg.fraction, lat[leg.node] + (lat[v] - lat[leg.node]) * leg.fraction];
    const coordinates = from === leg.node ? [r.geometry.coordinates[0], at] : [...r.geometry.coordinates, at];
    return {
      seconds: path.seconds + leg.seconds, metres: r.metres + leg.metres, nodes: r.nodes,
      geometry: { type: 'LineString', coordinates }, lastEdge: { edge: leg.edge, fraction: leg.fraction },
    };
  }

  /**
   * Travel times (seconds) from each of `sources` to `target` on the graph with closures, computed in
   * ONE pass of the contraction hierarchy for all sources (RPHAST-style, see `ChQuery`), plus one
   * reverse Dijkstra for the sources whose fastest open-road path a closure cuts. `result[i]` belongs
   * to `sources[i]`; it is `Infinity` when the target cannot be reached from that source or the time
   * exceeds `maxSeconds` (inclusive bound). Duplicated sources are fine.
   * @throws {RangeError} for an invalid `target` or `sources[i]` node, or a NaN/negative `maxSeconds`.
   */
  travelTimesTo(target: number, sources: readonly number[], maxSeconds = Infinity): Float64Array {
    this.checkNode(target, 'target');
    for (let i = 0; i < sources.length; i++) this.checkNode(sources[i], `sources[${i}]`);
    if (typeof maxSeconds !== 'number' || Number.isNaN(maxSeconds) || maxSeconds < 0) {
      throw new RangeError(`maxSeconds must be a number >= 0, got ${String(maxSeconds)}`);
    }
    const times = this.engine.travelTimesTo(target, sources);
    for (let i = 0; i < times.length; i++) if (times[i] > maxSeconds) times[i] = Infinity;
    return times;
  }

  /**
   * Fastest route from node `from` to node `to` on the graph with closures (bidirectional
   * contraction-hierarchy query, shortcuts unpacked; Dijkstra on the closed graph when the open-road
   * route crosses a closure). Returns `null` when `to` is unreachable from `from`.
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
    const path = this.engine.route(from, to);
    return path === null ? null : this.routeOf(from, path);
  }

  /** A {@link RouteResult} from an engine path starting at `from` (a lone node: its position twice). */
  private routeOf(from: number, path: EnginePath): RouteResult {
    const { lat, lon } = this.graph;
    const { metres: metresArr, head } = this.graph.forward;
    const nodes: number[] = [from];
    let metres = 0;
    for (const e of path.edges) {
      nodes.push(head[e]);
      metres += metresArr[e];
    }
    const coordinates: Position[] = nodes.map((v) => [lon[v], lat[v]]);
    if (coordinates.length === 1) coordinates.push([lon[from], lat[from]]);
    return { seconds: path.seconds, metres, nodes, geometry: { type: 'LineString', coordinates } };
  }

  /**
   * Edge ids that a closure geometry closes: for a LineString, the edges lying along it (both end
   * nodes and the midpoint within `toleranceMetres`, default 10 m, so cross streets stay open); for a
   * Polygon, every edge with an end inside or crossing its boundary. Both directions of two-way
   * streets. See `closureEdgeIds` for the exact rule. Does not close anything by itself.
   * @throws {RangeError} for an unsupported or empty geometry or a bad tolerance.
   */
  closuresFromGeoJson(geometry: ClosureGeometry, options?: ClosureGeometryOptions): number[] {
    return closureEdgeIds(this.graph, geometry, options);
  }

  /**
   * Replaces the set of closed edges (ids from {@link closuresFromGeoJson}, e.g. the union over all
   * active closures). From the moment it returns, `route` and `travelTimesTo` avoid them, and a
   * source that the closures cut off gets `Infinity` / `null`. Costs one pass over the hierarchy's arcs.
   * @throws {RangeError} for an id not in `[0, edgeCount)` (then nothing changes).
   */
  setClosures(edgeIds: Iterable<number>): void {
    this.engine.setClosures(edgeIds);
  }

  /** Closes edges in addition to those already closed. @throws {RangeError} as {@link setClosures}. */
  closeEdges(edgeIds: Iterable<number>): void {
    this.engine.closeEdges(edgeIds);
  }

  /** Reopens edges (ids not closed are ignored). @throws {RangeError} as {@link setClosures}. */
  reopenEdges(edgeIds: Iterable<number>): void {
    this.engine.reopenEdges(edgeIds);
  }

  /** Ids of the currently closed edges, ascending. */
  closedEdgeIds(): number[] {
    return this.routing === undefined ? [] : this.routing.closedEdgeIds();
  }

  /**
   * True if a route (`RouteResult.nodes`) drives along one of `edgeIds`, e.g. to find the active
   * assignments that a new closure cuts: `network.routeUsesEdges(route.nodes, closureIds)`.
   */
  routeUsesEdges(nodes: readonly number[], edgeIds: Iterable<number>): boolean {
    return pathUsesEdges(this.graph, nodes, edgeIds);
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

  private checkNode(node: number, name: string): void {
    if (!Number.isInteger(node) || node < 0 || node >= this.graph.nodeCount) {
      throw new RangeError(`${name} must be a node index in [0, ${this.graph.nodeCount}), got ${String(node)}`);
    }
  }
}

/** Sets `key` in a memo of at most `size` entries, dropping the oldest first when it is full. */
function remember<K, V>(memo: Map<K, V>, key: K, value: V, size: number): void {
  if (memo.size >= size && !memo.has(key)) memo.delete(memo.keys().next().value!);
  memo.set(key, value);
}

/** Freezes an object and every object or array it holds (an approach: its access point, legs and road). */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
