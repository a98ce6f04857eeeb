import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { noControl, notBlank, uuidParam, wgs84 } from '../common/validation';
import { AuditService, ClientAddress } from '../auth/audit.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { PlaceNamesService } from './place-names.service';

/** `POST /api/places`: a common place name and where it is (WGS84 degrees). */
export class PlaceNameDto {
  @IsString() @Length(2, 200) @notBlank('name') @noControl('name') name: string;
  @wgs84('lat') lat: number;
  @wgs84('lon') lon: number;
}

/** Place names the city adds to the address lookup. */
@Controller()
export class PlacesController {
  constructor(
    private readonly places: PlaceNamesService,
    private readonly audit: AuditService,
  ) {}

  /** `GET /api/places`: every city-added place name. */
  @Get('places')
  list() {
    return this.places.all();
  }

  /** `POST /api/places {name, lat, lon}`: adds a place name; `409` when one of that name exists. */
  @Post('places')
  @Allow(...DISPATCHERS)
  async add(@Body() dto: PlaceNameDto, @CurrentUser() user: Principal, @ClientAddress() source: string | null) {
    const place = await this.places.add(dto.name, dto.lat, dto.lon, actorOf(user));
    await this.audit.record({ actor: user, action: 'place.create', subject: `place:${place.id}`, source, after: place });
    return place;
  }

  /** `DELETE /api/places/:id`. */
  @Delete('places/:id')
  @Allow(...DISPATCHERS)
  @HttpCode(204)
  async remove(@Param('id', uuidParam('a place id')) id: string, @CurrentUser() user: Principal, @ClientAddress() source: string | null) {
    await this.places.remove(id);
    await this.audit.record({ actor: user, action: 'place.delete', subject: `place:${id}`, source });
  }
}
