import { CoverageReport, DISPATCHABLE_UNIT_STATUSES, JurisdictionIndex, LIVE_WORLD } from '@cad/domain';
import { computeCoverage, CoverageUnit, MoveUpWorker, positionToZoneSeconds, RoadNetwork, unitStartNode } from '@cad/routing';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { pointOnFeature } from '@turf/turf';
import { DataSource, In } from 'typeorm';
import { Jurisdiction, readSfCalls, Station, Unit } from '@cad/db';
import { AppConfig } from '../config/config';
import { TravelModelService } from '../routing/travel-model.service';

/**
 * Coverage and move-ups. A street is covered when an available engine can reach its demand point
 * within 240 s and an available ALS unit within 480 s (NFPA 1710 §4.1.2.1). Demand per street is
 * the number of the data set's calls for service located in it. Move-ups (relocating up to three
 * available units to stations to maximise covered demand) are solved in a worker thread, off the
 * API's event loop.
 */
@Injectable()
export class CoverageService implements OnApplicationShutdown {
  private zones: { id: string; name: string; node: number; weight: number }[] | null = null;
  private readonly worker = new MoveUpWorker();

  constructor(
    private readonly ds: DataSource,
    private readonly network: RoadNetwork,
    private readonly index: JurisdictionIndex,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly travel: TravelModelService,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  /** Coverage of every street (or those inside `jurisdictionId`) with move-up recommendations. */
  async report(jurisdictionId?: string, world: string = LIVE_WORLD): Promise<CoverageReport> {
    const { zones, units, stations, positions, input } = await this.problem(world, jurisdictionId);
    const now = computeCoverage(input);
    const moves = await this.worker.solve({
      ...input,
      stations: stations.map((s, k) => ({ id: s.id, position: units.length + k })),
      maxMoves: 3,
    });
    const fin = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      streets: now.zones.map((z, k) => ({ id: z.id, name: zones[k].name, weight: z.weight, covered: z.covered, engineSeconds: fin(z.engineSeconds), alsSeconds: fin(z.alsSeconds) })),
      share: now.share,
      coveredWeight: now.coveredWeight,
      totalWeight: now.totalWeight,
      moveUps: moves.moves.map((m) => {
        const k = units.findIndex((u) => u.id === m.unitId);
        return { unitId: m.unitId, unitType: units[k]?.unitType ?? null, toStationId: m.toStationId, moveSeconds: k < 0 ? null : this.moveSeconds(units[k], positions[k], positions[m.toPosition]) };
      }),
      shareAfterMoveUps: moves.after.share,
      targets: { engineSeconds: 240, alsSeconds: 480, source: 'NFPA 1710 (2020) §4.1.2.1' },
    };
  }

  /**
   * How long a recommended move takes, seconds: the unit's road travel to the station under the travel
   * model (no lights and sirens), with its turnout when it sets off from its own station. Null when the
   * station cannot be reached by road.
   * @param from the unit's start node, `to` the station's (the coverage problem's positions)
   */
  private moveSeconds(unit: Unit, from: number, to: number): number | null {
    const graph = this.network.travelTimesTo(to, [from])[0];
    if (!Number.isFinite(graph)) return null;
    const setting = this.travel.unitSettingOffFrom(unit, unit);
    return Math.round(this.travel.eta(graph, false, setting, setting.stationId !== null).etaS);
  }

  /**
   * What moving one available unit of `world` to station `toStationId` does to the city's covered
   * demand share (0..1): `gapShare` = share covered now minus share covered without the unit (the gap
   * its departure leaves), `gainShare` = share covered with the unit at the station minus share
   * covered without it; so the net gain is `gainShare - gapShare` (after minus now). Null when the
   * unit is not dispatchable in that world or the station is unknown.
   */
  async moveEffect(world: string, unitId: string, toStationId: string): Promise<{ gainShare: number; gapShare: number; shareNow: number; shareAfter: number } | null> {
    const { units, stations, input } = await this.problem(world);
    const k = units.findIndex((u) => u.id === unitId);
    const s = stations.findIndex((x) => x.id === toStationId);
    if (k < 0 || s < 0) return null;
    const others = input.units.filter((_, i) => i !== k);
    const now = computeCoverage(input).share;
    const without = computeCoverage({ ...input, units: others }).share;
    const after = computeCoverage({ ...input, units: [...others, { ...input.units[k], position: units.length + s }] }).share;
    return { gainShare: Math.min(1, Math.max(0, after - without)), gapShare: Math.min(1, Math.max(0, now - without)), shareNow: now, shareAfter: after };
  }

  /** The coverage problem of one world: demand zones (inside `jurisdictionId` when given), its dispatchable units, every station, and travel times from each (units first, then stations) to each zone. */
  private async problem(world: string, jurisdictionId?: string) {
    const zones = (await this.demandZones()).filter((z) => !jurisdictionId || this.index.chain(z.id).includes(jurisdictionId));
    const units = await this.ds.getRepository(Unit).find({ where: { world, status: In([...DISPATCHABLE_UNIT_STATUSES]) }, order: { id: 'ASC' } });
    const stations = await this.ds.getRepository(Station).find({ order: { id: 'ASC' } });
    // Parked units and stations start on the street above a tunnel (unitStartNode; no AVL track read here).
    const unitNodes = units.map((u) => unitStartNode(this.network, u.lat, u.lon).node);
    const stationNodes = stations.map((s) => unitStartNode(this.network, s.lat, s.lon).node);
    const positions = [...unitNodes, ...stationNodes];
    const matrix = positionToZoneSeconds(this.network, positions, zones.map((z) => z.node), 480);
    const coverageUnits: CoverageUnit[] = units.map((u, k) => ({ id: u.id, capabilities: u.capabilities, position: k }));
    const input = { zones: zones.map((z) => ({ id: z.id, weight: z.weight })), positionCount: positions.length, positionToZoneSeconds: matrix, units: coverageUnits };
    return { zones, units, stations, positions, input };
  }

  /** One demand zone per street: a point inside its boundary, weighted by its historical calls (read once). */
  async demandZones() {
    if (this.zones) return this.zones;
    const streets = await this.ds.getRepository(Jurisdiction).find({ where: { level: 'street' }, order: { id: 'ASC' } });
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    const { rows } = readSfCalls(this.config.dataFile(this.config.CALLS_FILE), this.config.DATA_TIME_ZONE);
    for (const r of rows) {
      if (seen.has(r.incidentNumber)) continue;
      seen.add(r.incidentNumber);
      const street = this.index.locate(r.lat, r.lon).streetId;
      if (street) counts.set(street, (counts.get(street) ?? 0) + 1);
    }
    this.zones = streets.map((s) => {
      const [lon, lat] = pointOnFeature({ type: 'Feature', properties: {}, geometry: s.boundary as never }).geometry.coordinates;
      return { id: s.id, name: s.name, node: this.network.snap(lat, lon).node, weight: counts.get(s.id) ?? 0 };
    });
    return this.zones;
  }
}
