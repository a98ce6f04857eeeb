import { JurisdictionIndex, JurisdictionShape } from '@cad/domain';
import { RoadNetwork } from '@cad/routing';
import { Provider } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { Jurisdiction, readCityProfile } from '@cad/db';

/**
 * The city's road network: `ROADS_FILE` in the data folder, with the speeds the city profile assumes
 * for roads without a `maxspeed` tag (`roads.speedDefaultsKmh`, km/h per OSM highway class; a class it
 * does not name keeps `DEFAULT_SPEEDS_KPH`). A profile that names no speed gives exactly the default
 * network (and its cached hierarchy). The hierarchy is cached in `ROUTING_CACHE_DIR`.
 * @throws Error naming the profile key for a class that is not drivable or a speed out of range; the
 *   `fs` error when the roads file cannot be read
 */
export function loadRoadNetwork(config: AppConfig): RoadNetwork {
  const speeds = readCityProfile(config.CITY_PROFILE).roads.speedDefaultsKmh;
  return RoadNetwork.fromOsmFile(config.dataFile(config.ROADS_FILE), { cacheDir: path.resolve(config.ROUTING_CACHE_DIR), ...(speeds ? { defaultSpeedsKph: speeds } : {}) });
}

/**
 * Loads the road network once per process. The contraction hierarchy is cached on disk
 * (`ROUTING_CACHE_DIR`, keyed by the OSM file's SHA-256, the engine version and the speeds), so a
 * restart loads it instead of preprocessing again.
 */
export const roadNetworkProvider: Provider = {
  provide: RoadNetwork,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => loadRoadNetwork(config),
};

/** Builds the point-in-polygon index of the command chain from the stored jurisdictions. */
export const jurisdictionIndexProvider: Provider = {
  provide: JurisdictionIndex,
  inject: [DataSource, AppConfig],
  useFactory: async (ds: DataSource, config: AppConfig) => {
    const rows = await ds.getRepository(Jurisdiction).find();
    return new JurisdictionIndex(rows as JurisdictionShape[], config.BOUNDARY_TOLERANCE_M);
  },
};
