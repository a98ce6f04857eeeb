/**
 * Coverage contract (`GET /api/coverage`), shared by the API and the console. Seconds of road travel;
 * targets from NFPA 1710 (2020) §4.1.2.1.
 */

/** Coverage of one street: whether an available engine and ALS unit reach it in time. */
export interface StreetCoverage {
  id: string;
  name: string;
  /** Historical demand: calls for service in this street in the data set. */
  weight: number;
  covered: boolean;
  /** Fastest available engine's road travel time, seconds (null: none within 480 s). */
  engineSeconds: number | null;
  /** Fastest available ALS unit's road travel time, seconds (null: none within 480 s). */
  alsSeconds: number | null;
}

/** What `GET /api/coverage` answers. */
export interface CoverageReport {
  streets: StreetCoverage[];
  /** Demand-weighted share of streets covered, 0..1. */
  share: number;
  coveredWeight: number;
  totalWeight: number;
  /**
   * Recommended relocations of available units to stations (never applied automatically): the unit and
   * its type (`MEDIC`, `ENGINE`…), the station, and the drive's seconds (travel model, no lights and
   * sirens, turnout when it leaves its own station; null when unknown or unreachable).
   */
  moveUps: { unitId: string; unitType: string | null; toStationId: string; moveSeconds: number | null }[];
  /** Share after the recommended move-ups. */
  shareAfterMoveUps: number;
  targets: { engineSeconds: number; alsSeconds: number; source: string };
}
