import { JurisdictionIndex } from '@cad/domain';
import { GeocodeCandidate, geocodeCandidates, GeocodeMiss, Geocoder, GeocodeResult, NamedPlace, RoadNetwork } from '@cad/routing';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { readSfCalls } from '@cad/db';
import { AppConfig } from '../config/config';

/** A found address with the street and district that hold it. */
export interface PlacedAddress extends GeocodeResult {
  streetId: string | null;
  districtId: string | null;
  outsideBoundary: boolean;
}

/**
 * The call taker's address lookup: a {@link Geocoder} over the road names of the OSM extract and the
 * block-level addresses of the calls data in the data folder (built on first use, a second or so).
 * When the calls file cannot be read (another city's data), it works from road names alone.
 */
@Injectable()
export class GeocoderService {
  private readonly log = new Logger('Geocoder');
  private geocoder: Geocoder | null = null;

  constructor(
    private readonly network: RoadNetwork,
    private readonly index: JurisdictionIndex,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Finds a typed address and places it in the command chain.
   * @returns the place, or why it was not found (`{miss}`: no such street, streets that do not meet,
   *   a number past the street's known numbers)
   */
  find(query: string): PlacedAddress | GeocodeMiss {
    const r = this.get().lookup(query);
    if ('miss' in r) return r;
    const place = this.index.locate(r.lat, r.lon);
    return { ...r, streetId: place.streetId ?? null, districtId: place.districtId ?? null, outsideBoundary: place.outsideBoundary };
  }

  /**
   * Finds a typed address or a city-added place name (exactly, after normalising), or answers why not
   * with up to five scored candidates (streets and places spelt alike, the typed number placed on
   * them; none is chosen).
   */
  lookup(query: string, places: readonly NamedPlace[], exactPlace: NamedPlace | null): PlacedAddress | (GeocodeMiss & { candidates: GeocodeCandidate[] }) {
    if (exactPlace) {
      const where = this.index.locate(exactPlace.lat, exactPlace.lon);
      return { lat: exactPlace.lat, lon: exactPlace.lon, precision: 'place', matched: exactPlace.name, streetId: where.streetId ?? null, districtId: where.districtId ?? null, outsideBoundary: where.outsideBoundary };
    }
    const r = this.find(query);
    return 'miss' in r ? { ...r, candidates: geocodeCandidates(this.get(), query, places) } : r;
  }

  private get(): Geocoder {
    if (!this.geocoder) {
      let known: { address: string; lat: number; lon: number }[] = [];
      try {
        known = readSfCalls(this.config.dataFile(this.config.CALLS_FILE), this.config.DATA_TIME_ZONE).rows;
      } catch (e) {
        this.log.warn(`calls file not read for addresses (${(e as Error).message}): road names only`);
      }
      this.geocoder = new Geocoder(this.network.roadsGeoJson(), known);
      const { streets, blocks } = this.geocoder.size;
      this.log.log(`address lookup: ${streets} streets, ${blocks} known blocks`);
    }
    return this.geocoder;
  }
}
