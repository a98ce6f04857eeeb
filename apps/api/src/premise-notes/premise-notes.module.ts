import { PremiseNotesController } from './premise-notes.controller';
import { PremiseNotesService } from './premise-notes.service';

/** Premise and hazard notes at addresses (issue 26); uses the record, the configuration and `AccessService`. */
export const PremiseNotesModule = {
  controllers: [PremiseNotesController],
  providers: [PremiseNotesService],
};
