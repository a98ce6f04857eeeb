import { RoadNetwork } from '@cad/routing';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Controller, Get, Query, Req, RequestMethod, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/principal';
import { IsString, Length } from 'class-validator';
import { AddressNotFound } from '../common/errors';
import { noControl, notBlank } from '../common/validation';
import { GeocoderService } from './geocoder.service';
import { PlaceNamesService } from './place-names.service';

/** `GET /api/geocode` query. */
export class GeocodeQuery {
  @IsString() @Length(1, 300) @notBlank('q') @noControl('q') q: string;
}
import { DataSource } from 'typeorm';
import { Jurisdiction } from '@cad/db';

/** Routes served outside the `/api` prefix with no sign-in: the road network for the public alert and report pages. */
export const PUBLIC_MAP_ROUTES = [{ path: 'public/roads.json', method: RequestMethod.GET }];

/** The command chain's boundaries and the road network, for maps. */
@Controller()
export class JurisdictionsController {
  private roadsBody: { json: Buffer; gzip: Buffer; etag: string } | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly network: RoadNetwork,
    private readonly geocoder: GeocoderService,
    private readonly places: PlaceNamesService,
  ) {}

  /**
   * `GET /api/geocode?q=500 Columbus Ave`: where a typed address is (WGS84), how sure
   * (`intersection`, `block`, `interpolated`, `street`), what was matched, and its street and district.
   * `404` naming the address and why (no street of that name, streets that do not meet, a number past
   * the street's known numbers; coded too, as `miss: {code, params}`, see `GeocodeMissCode`) with
   * `candidates`: up to five scored guesses (`{address, lat, lon, precision, matched, score}`, best
   * first; none is chosen); `400` when `q` is missing. City-added
   * place names (`/api/places`) are found like streets.
   */
  @Get('geocode')
  async geocode(@Query() query: GeocodeQuery) {
    const r = this.geocoder.lookup(query.q, await this.places.all(), await this.places.exact(query.q));
    if ('miss' in r) throw new AddressNotFound(`address ${query.q} not found: ${r.miss}`, r.candidates, { code: r.code, params: r.params });
    return r;
  }

  /** `GET /api/jurisdictions`: city, districts and streets with GeoJSON boundaries. */
  @Get('jurisdictions')
  list() {
    return this.ds.getRepository(Jurisdiction).find({ order: { level: 'ASC', id: 'ASC' } });
  }

  /**
   * `GET /api/roads`: the drivable road network as a GeoJSON FeatureCollection of LineStrings
   * (see {@link sendRoads}).
   */
  @Get('roads')
  roads(@Req() req: Request, @Res() res: Response): void {
    this.sendRoads(req, res);
  }

  /**
   * `GET /public/roads.json` (no sign-in): the same road network (OpenStreetMap data: geometry,
   * `highway`, `name`), for the residents' alert and report pages, which have no tile server: a resident
   * reads an alert's area against the streets named on it. Public data, the same for every reader, so
   * any origin may read it.
   */
  @Get('public/roads.json')
  @Public()
  publicRoads(@Req() req: Request, @Res() res: Response): void {
    res.setHeader('Access-Control-Allow-Origin', '*');
    this.sendRoads(req, res);
  }

  /**
   * Sends the road network, built and compressed once (it does not change while the API runs): gzip
   * to a client that accepts it (about an eighth of the 0.8 MB of San Francisco's north; phones on a
   * congested network in an emergency), `ETag` and `304` on `If-None-Match`, kept an hour by clients.
   */
  private sendRoads(req: Request, res: Response): void {
    if (!this.roadsBody) {
      const json = Buffer.from(JSON.stringify(this.network.roadsGeoJson()));
      this.roadsBody = { json, gzip: gzipSync(json, { level: 9 }), etag: `"roads-${createHash('sha1').update(json).digest('hex')}"` };
    }
    const body = this.roadsBody;
    // Negotiated as RFC 9110 says (q-values, case, `*`): `gzip;q=0` refuses gzip. Each encoding is its own
    // representation, with its own strong ETag.
    const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    const etag = gzip ? body.etag.replace(/"$/, '-gzip"') : body.etag;
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('ETag', etag);
    // Express compares If-None-Match with the ETag just set (weak forms, lists and `*` too).
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.type('application/json');
    if (gzip) {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(body.gzip);
    } else res.send(body.json);
  }
}
