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
export * from './allocation';
