import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { AuthModule } from '../auth/auth.module';
import { JurisdictionsController } from './jurisdictions.controller';
import { PlacesController } from './places.controller';
import { GeocoderService } from './geocoder.service';
import { PlaceNamesService } from './place-names.service';

/**
 * Places and addresses: the jurisdictions' API, the geocoder of typed addresses on the city's streets
 * and named places. Exports `GeocoderService` (intake checks a call's address against its point).
 */
@Module({
  imports: [RoutingModule, AuthModule],
  controllers: [JurisdictionsController, PlacesController],
  providers: [GeocoderService, PlaceNamesService],
  exports: [GeocoderService],
})
export class JurisdictionsModule {}
