import { fitTravelModel, TravelModel, TravelSample } from '@cad/domain';
import type { DataSource } from 'typeorm';
import { TravelModelRow } from '../entities/travel-model.entity';
import type { ScenarioCall } from './scenario';

/** Where a unit starts from: its home station (WGS84 degrees). */
export interface UnitHome {
  id: string;
  unitType: string;
  lat: number;
  lon: number;
  /** Home station id (`unit.station_id`, e.g. `st-3`): the key of the travel model's station term; null when none. */
  stationId?: string | null;
}

/**
 * Graph travel times, seconds, from each origin to one destination (Infinity when unreachable): the
 * road network's one-to-many search, passed in so the record does not depend on the routing library.
 */
export type GraphTimes = (to: { lat: number; lon: number }, from: readonly { lat: number; lon: number }[]) => ArrayLike<number>;

/** Unit types whose responses the travel model is fitted on (fire apparatus, which leave from their stations). */
export const TRAVEL_FIT_UNIT_TYPES: readonly string[] = ['ENGINE', 'TRUCK'];

/**
 * The historical responses the travel model is fitted on: for every engine and truck response with
 * `en route` and `on scene` stamps, by a unit whose home station is known, the graph travel time from
 * that station to the call and the observed `on scene − en route` seconds, with the call's local day,
 * response mode (priority 1 = emergency) and the unit's home station id. Also every unit's observed turnout (`en route − dispatch`).
 * Assumes the unit left from its station (the data does not say where it was).
 */
export function travelSamplesOf(
  calls: readonly ScenarioCall[],
  homes: readonly UnitHome[],
  graphTimes: GraphTimes,
): { samples: TravelSample[]; turnouts: { unitType: string; seconds: number }[] } {
  const home = new Map(homes.map((h) => [h.id, h]));
  const samples: TravelSample[] = [];
  const turnouts: { unitType: string; seconds: number }[] = [];
  for (const c of calls) {
    for (const u of c.units) if (u.dispatch && u.enRoute) turnouts.push({ unitType: u.unitType, seconds: (u.enRoute.getTime() - u.dispatch.getTime()) / 1000 });
    const us = c.units.filter((u) => TRAVEL_FIT_UNIT_TYPES.includes(u.unitType) && home.has(u.unitId) && u.enRoute && u.onScene);
    if (!us.length) continue;
    const times = graphTimes(c, us.map((u) => home.get(u.unitId)!));
    us.forEach((u, j) =>
      samples.push({
        day: c.localDate,
        graphS: times[j],
        observedS: (u.onScene!.getTime() - u.enRoute!.getTime()) / 1000,
        emergency: c.priority === 1,
        unitType: u.unitType,
        stationId: home.get(u.unitId)!.stationId ?? null,
      }),
    );
  }
  return { samples, turnouts };
}

/** Id of the stored model of the imported (live) city. */
export const LIVE_TRAVEL_MODEL_ID = 'live';

/**
 * Import step: fits the travel model on the imported calls (see `fitTravelModel` of `@cad/domain`)
 * and stores it as `travel_model` row `id`, replacing the previous fit.
 * @param homes the live fleet's home stations
 * @param at the fit's time, recorded with it
 * @returns the stored model
 */
export async function fitAndStoreTravelModel(
  ds: DataSource,
  calls: readonly ScenarioCall[],
  homes: readonly UnitHome[],
  graphTimes: GraphTimes,
  at: Date,
  id: string = LIVE_TRAVEL_MODEL_ID,
): Promise<TravelModel> {
  const { samples, turnouts } = travelSamplesOf(calls, homes, graphTimes);
  const model = fitTravelModel(samples, turnouts, at.toISOString());
  await ds.getRepository(TravelModelRow).save({ id, model: model as unknown as Record<string, unknown>, fittedAt: at });
  return model;
}

/** The stored travel model `id`, or null when none was fitted yet. */
export async function storedTravelModel(ds: DataSource, id: string = LIVE_TRAVEL_MODEL_ID): Promise<TravelModel | null> {
  const row = await ds.getRepository(TravelModelRow).findOneBy({ id });
  return row ? (row.model as unknown as TravelModel) : null;
}
