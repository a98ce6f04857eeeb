import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { AuthModule } from '../auth/auth.module';
import { CoverageController } from './coverage.controller';
import { CoverageService } from './coverage.service';

/** Station coverage (who reaches each place in time); exports `CoverageService` (move-ups use it). */
@Module({
  imports: [RoutingModule, AuthModule],
  controllers: [CoverageController],
  providers: [CoverageService],
  exports: [CoverageService],
})
export class CoverageModule {}
