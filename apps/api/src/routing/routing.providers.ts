import { JurisdictionIndex, JurisdictionShape } from '@cad/domain';
import { RoadNetwork } from '@cad/routing';
import { Provider } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { Jurisdiction } from '@cad/db';

/**
 * Loads the road network once per process. The contraction hierarchy is cached on disk
 * (`ROUTING_CACHE_DIR`, keyed by the OSM file's SHA-256, the engine version and the speeds), so a
 * restart loads it instead of preprocessing again.
 */
export const roadNetworkProvider: Provider = {
  provide: RoadNetwork,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => RoadNetwork.fromOsmFile(config.dataFile(config.ROADS_FILE), { cacheDir: path.resolve(config.ROUTING_CACHE_DIR) }),
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
