import type { LineString, Polygon } from 'geojson';
import type { RowProblem } from './sf-calls';

/** How one unit actually answered one historical call (instants UTC; null when the data has no stamp). */
export interface HistoricalUnitResponse {
  unitId: string;
  /** Unit type as the data names it (`ENGINE`, `MEDIC`, ...). */
  unitType: string;
  dispatch: Date | null;
  /** The unit reported en route (SFFD `Response DtTm`). */
  enRoute: Date | null;
  onScene: Date | null;
  available: Date | null;
}

/** One recorded call for service of a scenario, at its original time. Coordinates WGS84 degrees. */
export interface ScenarioCall {
  /** The source's own call id (SFFD `Call Number`); unique within a scenario. */
  externalId: string;
  type: string;
  priority: 1 | 2 | 3;
  lat: number;
  lon: number;
  address: string | null;
  /** When the call was received (instant, UTC). */
  received: Date;
  /** Local calendar date of `received` in the scenario's zone, `YYYY-MM-DD`. */
  localDate: string;
  /** 1-based line of the first CSV row of this call (header is line 1). */
  line: number;
  /** The historical units' times, when the source has them (SF CSV), else empty. */
  units: HistoricalUnitResponse[];
}

/** Where a unit starts the drill (WGS84 degrees). Units not listed start at their home station. */
export interface UnitStart {
  unitId: string;
  lat: number;
  lon: number;
}

/**
 * A road closed during a drill, from `at` until `until` (null: to the end of the drill), on the
 * drill's simulated clock and on the drill's routing only. What closes: `geometry` when given (a
 * GeoJSON LineString drawn along the road, or a Polygon around a flooded area, `[lon, lat]` WGS84),
 * else every road within `radiusMetres` (default 30 m) of `lat`/`lon`.
 */
export interface RoadClosure {
  at: Date;
  until: Date | null;
  lat: number;
  lon: number;
  radiusMetres?: number;
  geometry?: LineString | Polygon;
  note?: string;
}

/**
 * A drill scenario: recorded calls with their original times, starting unit positions and road
 * closures at given times, plus what the import could not read (line numbers) and how many repeated
 * rows it folded.
 */
export interface Scenario {
  name: string;
  /** IANA zone of the source's local times. */
  timeZone: string;
  /** Calls in order of receipt (ties by external id). */
  calls: ScenarioCall[];
  units: UnitStart[];
  closures: RoadClosure[];
  /** Rows that could not be read, with line numbers; never silently dropped. */
  problems: RowProblem[];
  /** Rows whose external id had already been read (loaded once). */
  duplicateRows: number;
  /** Data rows read from the source (excluding the header). */
  rowsRead: number;
}

/** Orders calls by receipt, then external id, so every run replays the same sequence. */
export function sortCalls(calls: ScenarioCall[]): ScenarioCall[] {
  return calls.sort((a, b) => a.received.getTime() - b.received.getTime() || a.externalId.localeCompare(b.externalId));
}

/** The calls of one local day (`YYYY-MM-DD` in the scenario's zone), or of several days `from..to` inclusive. */
export function callsBetween(s: Scenario, from: string, to: string = from): ScenarioCall[] {
  return s.calls.filter((c) => c.localDate >= from && c.localDate <= to);
}
