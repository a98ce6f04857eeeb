import { JurisdictionIndex, JurisdictionShape } from '@cad/domain';
import { RoadNetwork } from '@cad/routing';
import { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { Jurisdiction } from '@cad/db';

/** Loads the road network once per process, read-only. */
export const roadNetworkProvider: Provider = {
  provide: RoadNetwork,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => RoadNetwork.fromOsmFile(config.dataFile(config.ROADS_FILE)),
};

/** Builds the point-in-polygon index of the command chain from the stored jurisdictions. */
export const jurisdictionIndexProvider: Provider = {
  provide: JurisdictionIndex,
  inject: [DataSource],
  useFactory: async (ds: DataSource) => {
    const rows = await ds.getRepository(Jurisdiction).find();
    return new JurisdictionIndex(rows as JurisdictionShape[]);
  },
};
