import { RoadNetwork } from '@cad/routing';
import { Controller, Get, Header } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Jurisdiction } from '@cad/db';

/** The command chain's boundaries and the road network, for maps. */
@Controller()
export class JurisdictionsController {
  private roadsJson: string | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly network: RoadNetwork,
  ) {}

  /** `GET /api/jurisdictions`: city, districts and streets with GeoJSON boundaries. */
  @Get('jurisdictions')
  list() {
    return this.ds.getRepository(Jurisdiction).find({ order: { level: 'ASC', id: 'ASC' } });
  }

  /** `GET /api/roads`: the drivable road network as a GeoJSON FeatureCollection of LineStrings. */
  @Get('roads')
  @Header('Content-Type', 'application/json')
  @Header('Cache-Control', 'public, max-age=3600')
  roads(): string {
    this.roadsJson ??= JSON.stringify(this.network.roadsGeoJson());
    return this.roadsJson;
  }
}
