import { modelTravelS, TravelModel, TravelSample, TravelUnit, turnoutS, uncalibratedTravelModel } from '@cad/domain';
import { BASE_UNKNOWN, fitAndStoreTravelModel, GraphTimes, ScenarioCall, sfScenario, storedTravelModel, travelSamplesOf, Unit, type UnitHome } from '@cad/db';
import { haversineMetres, RoadNetwork, unitStartNode } from '@cad/routing';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import * as fs from 'node:fs';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';

/** An ETA split as the console shows it ("turnout 1:10 + travel 2:05"), seconds. */
export interface EtaParts {
  /** turnout + travel; Infinity when the unit cannot reach the incident. */
  etaS: number;
  turnoutS: number;
  travelS: number;
}

/** The road network's one-to-many travel times to a point's access point from units at their stations (as live dispatch routes: `unitStartNode`). */
export function graphTimesOn(network: RoadNetwork): GraphTimes {
  return (to, from) =>
    network.travelTimesToApproach(
      network.approach(to.lat, to.lon),
      from.map((f) => unitStartNode(network, f.lat, f.lon).node),
    );
}

/**
 * Fits the travel model on the configured city's calls (`CALLS_FILE`) and the live fleet's stations,
 * and stores it (import step; see `fitAndStoreTravelModel`).
 * @returns the model, or the uncalibrated one when the calls file is missing
 */
export async function fitLiveTravelModel(ds: DataSource, config: AppConfig, network: RoadNetwork, at = new Date()): Promise<TravelModel> {
  const file = config.dataFile(config.CALLS_FILE);
  if (!fs.existsSync(file)) return uncalibratedTravelModel(at.toISOString());
  const calls = sfScenario(file, config.DATA_TIME_ZONE).calls;
  const units = await ds.getRepository(Unit).find({ where: { world: 'live' } });
  const homes = placedHomes(units);
  return fitAndStoreTravelModel(ds, calls, homes, graphTimesOn(network), at);
}

/**
 * The one travel model of this process, for live ETAs, recommendations and drills: read from
 * `travel_model` at start (fitted at import); fitted and stored here when the record has none (a
 * record imported before the model existed) or an older fit without station terms or a nested error.
 */
/** A unit this close to its home position sets off from its station (its station term applies), metres. */
export const AT_STATION_M = 50;

@Injectable()
export class TravelModelService implements OnModuleInit {
  private readonly log = new Logger('TravelModel');
  private current: TravelModel = uncalibratedTravelModel(new Date(0).toISOString());

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly network: RoadNetwork,
  ) {}

  async onModuleInit(): Promise<void> {
    const stored = await storedTravelModel(this.ds);
    // A model stored before station terms (no `stations`) or before its error was nested (a figure
    // read off the cross-validation that chose it) is an older fit: refitted and replaced.
    if (stored?.stations && stored.crossValidation.nested) this.current = stored;
    else {
      this.current = await fitLiveTravelModel(this.ds, this.config, this.network);
      const cv = this.current.crossValidation;
      this.log.log(`travel model fitted on ${this.current.sample.responses} responses: nested leave-one-day-out median error ${(cv.medianAbsPctError * 100).toFixed(1)} %, RMSE ${cv.rmseS.toFixed(0)} s`);
    }
  }

  /** The model in use (method, sample, lines, turnout, cross-validated error). */
  model(): TravelModel {
    return this.current;
  }

  /**
   * The historical responses of `calls` as the model is fitted on them (`travelSamplesOf`: engines and
   * trucks of the live fleet, graph time from their home stations on this process's road network), for
   * the drill's residual draw (`CrewModel.travelRatio`). One road-graph search per call with such responses.
   */
  async samplesOf(calls: readonly ScenarioCall[]): Promise<TravelSample[]> {
    const units = await this.ds.getRepository(Unit).find({ where: { world: 'live' } });
    const homes = placedHomes(units);
    return travelSamplesOf(calls, homes, graphTimesOn(this.network)).samples;
  }

  /** Turnout of a unit type, seconds: the data's median, else the NFPA 1710 target. */
  turnoutOf(unitType: string): number {
    return turnoutS(this.current, unitType);
  }

  /**
   * The stored ETA of a task given a new route (a closure or a moved incident re-routed it): turnout
   * still to come (none once en route) + modelled travel of the new route.
   * @param graphS the new route's graph time, seconds; null when no route reaches the incident
   * @param unit the unit's type and home station (a `Unit` row will do)
   * @returns `etaSeconds` (-1 when unreachable, as stored) and the `turnoutSeconds` it counts
   */
  rerouted(status: string, graphS: number | null, emergency: boolean, unit: TravelUnit): { etaSeconds: number; turnoutSeconds: number } {
    const e = this.eta(graphS ?? Infinity, emergency, unit, status !== 'en_route');
    return { etaSeconds: Number.isFinite(e.etaS) ? e.etaS : -1, turnoutSeconds: e.turnoutS };
  }

  /**
   * The unit as the model should see it when it sets off from `from`: with its home station (and so the
   * station's term) only when `from` is within {@link AT_STATION_M} of its home; a unit out on the road,
   * placed by a fix, gets its type's line alone. The station term carries the error of the station's
   * estimated position and its own exit (see `modelTravelS`), neither of which applies to a unit elsewhere.
   * @param unit the unit's type, home station and home position (WGS84 degrees; a `Unit` row will do)
   * @param from where it sets off, WGS84 degrees
   */
  unitSettingOffFrom(unit: TravelUnit & { homeLat: number; homeLon: number }, from: { lat: number; lon: number }): TravelUnit {
    const atHome = haversineMetres(unit.homeLat, unit.homeLon, from.lat, from.lon) <= AT_STATION_M;
    return { unitType: unit.unitType, stationId: atHome ? unit.stationId : null };
  }

  /**
   * ETA of a unit from its graph travel time: the unit type's turnout + modelled travel (the line of
   * its type and response mode, plus its home station's term).
   * @param graphS road-graph travel time, seconds (Infinity: unreachable)
   * @param emergency lights and sirens (incident priority 1)
   * @param unit the unit's type and home station (a `Unit` row will do)
   * @param atStation false for a unit already on the road (no turnout)
   */
  eta(graphS: number, emergency: boolean, unit: TravelUnit, atStation = true): EtaParts {
    const travel = modelTravelS(this.current, graphS, emergency, unit);
    const turnout = atStation ? turnoutS(this.current, unit.unitType) : 0;
    return { etaS: turnout + travel, turnoutS: turnout, travelS: travel };
  }
}

/**
 * The home stations the travel model is fitted from: every live unit's but those imported out of service
 * because the data cannot place their station (`BASE_UNKNOWN`: their home is a guess).
 */
export function placedHomes(units: readonly Unit[]): UnitHome[] {
  return units.filter((u) => u.outOfServiceBy !== BASE_UNKNOWN).map((u) => ({ id: u.id, unitType: u.unitType, lat: u.homeLat, lon: u.homeLon, stationId: u.stationId }));
}
