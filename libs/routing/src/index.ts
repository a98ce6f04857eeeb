/**
 * @cad/routing — drivable road graph from OSM XML, nearest-node snapping and travel-time searches.
 * Units: seconds, metres, WGS84 decimal degrees. No framework or database dependencies.
 */
export { EARTH_RADIUS_METRES, haversineMetres } from './geo';
export { DEFAULT_SPEEDS_KPH, DRIVABLE_HIGHWAY_CLASSES, KM_PER_MILE, KM_PER_NAUTICAL_MILE, parseMaxspeedKph } from './speeds';
export { parseOsmRoadGraph } from './osm-graph';
export type { CsrAdjacency, ParseOsmOptions, RoadGraph, RoadWay } from './osm-graph';
export { RoadNetwork } from './road-network';
export type { RoadFeatureProperties, RouteResult, SnapResult } from './road-network';
export { MinHeap } from './min-heap';
export { fillPlanNearest } from './allocate';
export type { Candidate, PlanFill, SlotChoice } from './allocate';
export { buildRoadGraph } from './osm-graph';
export type { RoadGraphInput } from './osm-graph';
export type { HierarchySource, RoadNetworkFileOptions } from './road-network';
export { CH_ENGINE_VERSION, buildContractionHierarchy } from './contraction-hierarchy';
export type { ContractionHierarchyData, ContractionOptions } from './contraction-hierarchy';
export { ChQuery } from './ch-query';
export type { ChPath } from './ch-query';
export { RoutingEngine } from './routing-engine';
export type { EngineCounters, EnginePath } from './routing-engine';
export { DijkstraSearch, reverseCsr } from './dijkstra';
export type { ReverseCsr } from './dijkstra';
export { hierarchyCacheKey, hierarchyCachePath, loadHierarchy, saveHierarchy } from './ch-cache';
export { closureEdgeIds, pathUsesEdges } from './closure-geometry';
export type { ClosureGeometry, ClosureGeometryOptions } from './closure-geometry';
export { generateSyntheticCity } from './synthetic-city';
export type { SyntheticCityOptions } from './synthetic-city';
export * from './allocation';
export { Geocoder, normaliseStreet } from './geocoder';
export type { GeocodeMiss, GeocodeMissCode, GeocodeResult, KnownAddress } from './geocoder';
export { EdgeSnapIndex, HEADING_TOLERANCE_DEGREES, ROADWAY_SNAP_METRES, SURFACE_SNAP_METRES, bearingGap, isSurfaceWay, planarBearing, sameRoadway } from './access-point';
export { MOVING_METRES, drivingAlongRoadway, touchesSurfaceStreet, unitStartNode } from './unit-start';
export type { TrackFix, UnitStart, UnitStartRule, UnitTrack } from './unit-start';
export type { AccessLeg, AccessOptions, AccessPoint, AccessRoad } from './access-point';
export { ApproachFinder, routeToLegs, travelTimesToLegs } from './approach';
export type { Approach, BesideClosure } from './approach';
export { edgeTails, stronglyConnectedComponents } from './osm-graph';
export { impliedSpeedKmh, judgeFix, TRACK_DEFAULTS } from './avl-track';
export type { JudgedPoint, TrackPoint, TrackRules, TrackState, TrackVerdict } from './avl-track';
export { geocodeCandidates, nameScore } from './geocode-candidates';
export type { GeocodeCandidate, NamedPlace } from './geocode-candidates';
