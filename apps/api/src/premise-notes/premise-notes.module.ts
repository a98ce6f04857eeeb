import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PremiseNotesController } from './premise-notes.controller';
import { PremiseNotesService } from './premise-notes.service';

/** Premise and hazard notes at addresses (issue 26); imports auth. Exports nothing. */
@Module({
  imports: [AuthModule],
  controllers: [PremiseNotesController],
  providers: [PremiseNotesService],
})
export class PremiseNotesModule {}
