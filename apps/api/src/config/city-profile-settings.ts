import { readCityProfile } from '@cad/db';
import * as path from 'node:path';

/**
 * The settings a city profile gives (file names relative to DATA_DIR, the data's time zone, the
 * sliver threshold, the fire agency's first-unit target as FIRST_ENGINE_TRAVEL_S, the move-up policy as MOVE_UP_*), as environment-style strings for {@link loadConfig}; explicit variables win.
 * @param file the profile path (or a bare name under `db/cities/`)
 * @param dataDir the data folder: a profile's stations file is given as an absolute path in it
 * @throws Error naming the profile file and the bad key (see `readCityProfile`)
 */
export function profileSettings(file: string, dataDir: string): Record<string, string> {
  const p = readCityProfile(file);
  const out: Record<string, string> = {
    CALLS_FILE: p.calls.file,
    ROADS_FILE: p.roads.file,
    DISTRICTS_FILE: p.boundaries.districts.file,
    NEIGHBORHOODS_FILE: p.boundaries.streets.file,
    DATA_TIME_ZONE: p.timeZone,
    STREET_MIN_AREA_M2: String(p.boundaries.streetMinAreaM2),
  };
  // The fire agency's first-unit target is the first engine's (NFPA 1710 §4.1.2.1: 240 s).
  if (p.agencies.fire) out.FIRST_ENGINE_TRAVEL_S = String(p.agencies.fire.firstUnitTravelS);
  // The move-up policy (issue 19 part 5), key by key.
  const mu = p.moveUps ?? {};
  const keys = { mode: 'MOVE_UP_MODE', confirmTimeoutS: 'MOVE_UP_CONFIRM_TIMEOUT_S', minSinceClearedS: 'MOVE_UP_MIN_SINCE_CLEARED_S', maxMovesPerUnitPerHour: 'MOVE_UP_MAX_PER_UNIT_PER_HOUR', maxMovesPerHour: 'MOVE_UP_MAX_PER_HOUR', minNetGain: 'MOVE_UP_MIN_NET_GAIN' } as const;
  for (const [k, env] of Object.entries(keys)) {
    const v = mu[k as keyof typeof keys];
    if (v !== undefined) out[env] = String(v);
  }
  if (p.fleet.stationsFile) out.STATIONS_FILE = path.resolve(dataDir, p.fleet.stationsFile);
  return out;
}
