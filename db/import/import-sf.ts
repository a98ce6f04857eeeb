import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { readCityProfile } from './city-profile';
import { CityImportSummary, importCity } from './import-city';

export type { ImportSummary } from './import-city';

/** Files and settings the import reads (the legacy settings `DISTRICTS_FILE`, `NEIGHBORHOODS_FILE`, ...). */
export interface ImportOptions {
  districtsFile: string;
  neighborhoodsFile: string;
  callsFile: string;
  stationsFile?: string;
  zone: string;
  streetMinAreaM2: number;
  /** City profile; default: the shipped `db/cities/san-francisco.yaml`. */
  profileFile?: string;
  /** Boundary tolerance of the placement, metres (default `DEFAULT_BOUNDARY_TOLERANCE_M`). */
  boundaryToleranceM?: number;
}

/** The city profile shipped with the project, used when none is configured. */
export const DEFAULT_CITY_PROFILE = path.resolve('db/cities/san-francisco.yaml');

/**
 * Imports the default city through its profile with the given files, zone and sliver threshold in place
 * of the profile's (the settings that predate profiles). A thin wrapper over {@link importCity}.
 * @throws Error naming a missing file (see `importCity`)
 */
export async function importSanFrancisco(ds: DataSource, opts: ImportOptions): Promise<CityImportSummary> {
  const profile = readCityProfile(opts.profileFile ?? DEFAULT_CITY_PROFILE);
  profile.timeZone = opts.zone;
  profile.boundaries.streetMinAreaM2 = opts.streetMinAreaM2;
  return importCity(ds, profile, {
    dataDir: path.dirname(opts.callsFile),
    boundaryToleranceM: opts.boundaryToleranceM,
    files: { calls: opts.callsFile, districts: opts.districtsFile, streets: opts.neighborhoodsFile, stations: opts.stationsFile ? path.resolve(opts.stationsFile) : undefined },
  });
}
