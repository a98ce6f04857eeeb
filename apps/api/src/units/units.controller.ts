import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Station, Unit } from '@cad/db';

/** Units with live status and position, and stations. */
@Controller()
export class UnitsController {
  constructor(private readonly ds: DataSource) {}

  /** `GET /api/units`: every unit, WGS84 position, status. */
  @Get('units')
  async units() {
    const rows = await this.ds.getRepository(Unit).find({ order: { id: 'ASC' } });
    return rows.map((u) => ({
      id: u.id,
      callsign: u.callsign,
      unitType: u.unitType,
      capabilities: u.capabilities,
      status: u.status,
      lat: u.lat,
      lon: u.lon,
      stationId: u.stationId,
      homeStreetId: u.homeStreetId,
    }));
  }

  /** `GET /api/stations`: stations, flagged when their location is estimated. */
  @Get('stations')
  stations() {
    return this.ds.getRepository(Station).find({ order: { number: 'ASC' } });
  }
}
