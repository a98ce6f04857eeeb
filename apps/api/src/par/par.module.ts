import { ParController } from './par.controller';
import { ParService } from './par.service';

/** On-scene welfare (PAR) timers (issue 26); uses the record, events, the index, config and `AccessService`. */
export const ParModule = {
  controllers: [ParController],
  providers: [ParService],
};
