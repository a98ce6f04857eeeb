import { JurisdictionIndex } from '@cad/domain';
import { normaliseStreet, NamedPlace } from '@cad/routing';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PlaceNameRow } from '@cad/db';
import { NotFound, OutsideJurisdiction, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';

/** A city-added place name as the API shows it. */
export interface PlaceNameView {
  id: string;
  name: string;
  lat: number;
  lon: number;
  createdBy: string;
  createdAt: string;
}

const view = (r: PlaceNameRow): PlaceNameView => ({ id: r.id, name: r.name, lat: r.lat, lon: r.lon, createdBy: r.createdBy, createdAt: r.createdAt.toISOString() });

/**
 * Common place names the city adds to the address lookup (`Pier 39`, `Coit Tower`): matched like
 * streets (normalised the same way: case, punctuation, suffixes), exactly to place a call, fuzzily to
 * offer candidates. Read from Postgres on each lookup, so every process sees an added name at once.
 */
@Injectable()
export class PlaceNamesService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Every place name, by name. */
  async all(): Promise<PlaceNameView[]> {
    return (await this.ds.getRepository(PlaceNameRow).find({ order: { name: 'ASC' } })).map(view);
  }

  /** The place whose normalised name is the typed one's, or null. */
  async exact(typed: string): Promise<NamedPlace | null> {
    const r = await this.ds.getRepository(PlaceNameRow).findOneBy({ normalised: normaliseStreet(typed) });
    return r ? { name: r.name, lat: r.lat, lon: r.lon } : null;
  }

  /**
   * Adds a place name at a point (WGS84 degrees).
   * @throws StateConflict (409) when a place of that (normalised) name exists, naming it
   * @throws OutsideJurisdiction (422) for a point more than `MAX_OUTSIDE_METRES` outside every street
   */
  async add(name: string, lat: number, lon: number, actor: string): Promise<PlaceNameView> {
    const place = this.index.locate(lat, lon);
    if (place.outsideBoundary && place.distanceMetres > this.config.MAX_OUTSIDE_METRES) {
      throw new OutsideJurisdiction(`lat/lon (${lat}, ${lon}) is ${Math.round(place.distanceMetres)} m outside every jurisdiction`);
    }
    const normalised = normaliseStreet(name);
    const rows: PlaceNameRow[] = await this.ds.query(
      `INSERT INTO place_name (normalised, name, lat, lon, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (normalised) DO NOTHING RETURNING id`,
      [normalised, name.trim(), lat, lon, actor],
    );
    const row = await this.ds.getRepository(PlaceNameRow).findOneByOrFail({ normalised });
    if (!rows.length) throw new StateConflict(`name: a place named ${row.name} already exists`, view(row));
    return view(row);
  }

  /**
   * Removes a place name.
   * @throws NotFound for an unknown id
   */
  async remove(id: string): Promise<void> {
    const r = await this.ds.getRepository(PlaceNameRow).delete({ id });
    if (!r.affected) throw new NotFound('place', id);
  }
}
