import { HospitalsController } from './hospitals.controller';
import { HospitalsService } from './hospitals.service';

/** Hospitals of the city profile and the choice on transport (issue 26); uses the record, events, the index, config and `AccessService`. */
export const HospitalsModule = {
  controllers: [HospitalsController],
  providers: [HospitalsService],
};
