import { Module } from '@nestjs/common';
import { TravelModelController } from './travel-model.controller';
import { roadNetworkProvider, jurisdictionIndexProvider } from './routing.providers';
import { TravelModelService } from './travel-model.service';
import { JurisdictionIndex } from '@cad/domain';
import { RoadNetwork } from '@cad/routing';

/**
 * The city's road network and jurisdictions, read once at start-up, and the travel-time model (its fit
 * and `GET /api/travel-model`). Exports `RoadNetwork`, `JurisdictionIndex` and `TravelModelService`.
 */
@Module({
  controllers: [TravelModelController],
  providers: [roadNetworkProvider, jurisdictionIndexProvider, TravelModelService],
  exports: [RoadNetwork, JurisdictionIndex, TravelModelService],
})
export class RoutingModule {}
