import { JurisdictionIndex } from '@cad/domain';
import { ClosureGeometry, RoadNetwork } from '@cad/routing';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import { Assignment, Incident, RoadClosureRow, Unit } from '@cad/db';
import { InvalidInput, NotFound } from '../common/errors';
import type { Principal } from '../auth/principal';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from '../events/events.service';
import { assignmentView } from '../assignments/assignment.view';
import { accessOptionsOf } from './incident-access';
import { ClosureJurisdiction } from './closure-jurisdiction';
import { extendLineEnds, firstPoint, LINE_END_EXTENSION_METRES } from './closure-geometry';
import { TravelModelService } from '../routing/travel-model.service';
import { ClosedArea, ClosedAreaIndex } from './closed-area-index';
import type { ClosureView } from '@cad/contracts';
export type { ClosureView } from '@cad/contracts';

/** SQL condition of a live closure in force (drill closures are applied to their drill only). */
const LIVE = `drill_id IS NULL AND removed_at IS NULL AND (ends_at IS NULL OR ends_at > now())`;

const view = (c: RoadClosureRow): ClosureView => ({
  ...(c.drillId ? { drillId: c.drillId } : {}),
  id: c.id,
  geometry: c.geometry,
  reason: c.reason,
  closedEdges: c.edgeIds.length,
  endsAt: c.endsAt ? c.endsAt.toISOString() : null,
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
});

/** One task re-routed around a closure. */
export interface Rerouted {
  assignmentId: string;
  unitId: string;
  /** New road ETA from the unit's position, seconds; null when the closures cut the unit off. */
  etaSeconds: number | null;
}

/**
 * Road closures: stored in Postgres, applied to this process's road network. The process that takes
 * a closure applies it before answering; every process re-reads the set of active closures before
 * each dispatch and every 5 s (which also ends closures past `endsAt`), so API and worker processes
 * route alike. When a closure is entered, active tasks whose route drives along it are re-routed from
 * the unit's position (`assignment.rerouted`, which reaches the responder's phone); a unit the
 * closures cut off is reported unreachable, never given a wrong ETA.
 *
 * A drill scenario's closures are rows tagged with the drill's id, opened and lifted on the drill's
 * simulated clock. They apply to a network of that drill's own ({@link networkFor}: the same graph
 * and hierarchy with live closures plus the drill's), never to live routing; live closures apply
 * to every drill too.
 */
@Injectable()
export class ClosuresService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Closures');
  /** Ids of the closures applied to the network, sorted and joined (cheap to compare). */
  private applied = '';
  private timer: NodeJS.Timeout | null = null;
  /** Per drill with closures of its own: its network and the closure ids applied to it. */
  private readonly drillNetworks = new Map<string, { network: RoadNetwork; applied: string; rows: RoadClosureRow[] }>();
  /** The live closures in force as last applied (for the rule of units inside a closed area). */
  private liveRows: RoadClosureRow[] = [];
  /**
   * Networks for units standing inside closed areas, keyed by the closure ids applied to the world and
   * the areas whose roads stay open for the unit (a few at a time; see {@link networksForUnits}).
   */
  private readonly insideNetworks = new Map<string, RoadNetwork>();
  /**
   * The closed areas of each world's closure set, indexed (see {@link ClosedAreaIndex}), keyed by the
   * world and the closure ids applied to it: a closure entered, lifted or ended changes the key, so a
   * stale index is never read. A few at a time (live and a drill or two).
   */
  private readonly areaIndexes = new Map<string, ClosedAreaIndex>();
  /** Edge ids per closure id (a closure's geometry never changes). */
  private readonly edgeCache = new Map<string, number[]>();

  constructor(
    private readonly ds: DataSource,
    private readonly network: RoadNetwork,
    private readonly events: EventsService,
    private readonly index: JurisdictionIndex,
    private readonly clock: ClockService,
    private readonly travel: TravelModelService,
    private readonly jurisdiction: ClosureJurisdiction,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => void this.sync().catch((e: Error) => this.log.warn(`closures: ${e.message}`)), 5000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Applies the record's active closures to this process's road network if they changed since the
   * last call (one small query). Call before routing that must honour closures entered elsewhere.
   */
  async sync(): Promise<void> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM road_closure WHERE ${LIVE} ORDER BY id`);
    if (rows.map((r) => r.id).join(',') !== this.applied) await this.apply();
  }

  private async apply(): Promise<void> {
    const active = await this.active();
    this.network.setClosures(this.edgesOfAll(active));
    this.liveRows = active;
    this.applied = active
      .map((c) => c.id)
      .sort()
      .join(',');
  }

  /** Union of the closed edges of closure rows (cached per closure). */
  private edgesOfAll(rows: RoadClosureRow[]): Set<number> {
    const ids = new Set<number>();
    for (const c of rows) {
      let edges = this.edgeCache.get(c.id);
      if (!edges) this.edgeCache.set(c.id, (edges = this.edgesOf(c.geometry as ClosureGeometry)));
      for (const e of edges) ids.add(e);
    }
    return ids;
  }

  /**
   * The network a world last routed on, without reading the record (for read models such as the
   * incident view's access point, which may run inside a transaction): the drill's own network when
   * it has one, else the live one, with the closures as of their last {@link networkFor}.
   */
  lastKnownNetworkFor(drillId: string | null | undefined): RoadNetwork {
    return (drillId ? this.drillNetworks.get(drillId)?.network : undefined) ?? this.network;
  }

  /**
   * The network to route an incident on: the live one (synced with the record), or, for a drill
   * that has closures of its own, that drill's network with live closures plus the drill's.
   * @param drillId the incident's drill (null or undefined for live work)
   */
  async networkFor(drillId: string | null | undefined): Promise<RoadNetwork> {
    if (!drillId) {
      await this.sync();
      return this.network;
    }
    // One small query for both sets: the live closures in force and the drill's open ones.
    const ids: { id: string; drill_id: string | null }[] = await this.ds.query(
      `SELECT id, drill_id FROM road_closure WHERE (${LIVE}) OR (drill_id = $1 AND removed_at IS NULL) ORDER BY id`,
      [drillId],
    );
    if (
      ids
        .filter((r) => !r.drill_id)
        .map((r) => r.id)
        .join(',') !== this.applied
    ) {
      await this.apply();
    }
    if (!ids.some((r) => r.drill_id)) {
      this.drillNetworks.delete(drillId);
      return this.network;
    }
    const key = ids.map((r) => r.id).join(',');
    let d = this.drillNetworks.get(drillId);
    if (!d) {
      // One drill runs at a time; keep a few recent ones (a worker may still dispatch a stopped drill's calls).
      if (this.drillNetworks.size >= 4) this.drillNetworks.delete(this.drillNetworks.keys().next().value!);
      d = { network: this.network.withOwnClosures(), applied: '', rows: [] };
      this.drillNetworks.set(drillId, d);
    }
    if (d.applied !== key) {
      d.rows = await this.ds.getRepository(RoadClosureRow).findBy({ id: In(ids.map((r) => r.id)) });
      d.network.setClosures(this.edgesOfAll(d.rows));
      d.applied = key;
    }
    return d.network;
  }

  /**
   * The networks units route on, one per start point (WGS84 degrees), under the **rule of units inside a
   * closed area**: a unit whose start point lies inside a closure *area* (Polygon or MultiPolygon) is
   * already inside that cordon, so it may drive the closed roads of that area (move within it and leave
   * it); every other closure still holds for it. A unit outside every closed area routes on the world's
   * network ({@link networkFor}) as before: it stops at an access point at the closure's edge, or, cut
   * off, waits. Lines (closed blocks) never open for anyone.
   * @param drillId the world (null or undefined for live work)
   * @returns per position, the network to route that unit on (the world's own when no area holds it)
   */
  async networksForUnits(drillId: string | null | undefined, positions: readonly { lat: number; lon: number }[]): Promise<RoadNetwork[]> {
    const base = await this.networkFor(drillId);
    const own = drillId ? this.drillNetworks.get(drillId) : undefined;
    const rows = own && own.network === base ? own.rows : this.liveRows;
    const applied = own && own.network === base ? own.applied : this.applied;
    const index = this.areaIndexFor(`${drillId ?? ''}|${applied}`, rows);
    if (!index.size) return positions.map(() => base);
    return positions.map((p) => {
      const inside = index.containing(p.lat, p.lon);
      if (!inside.length) return base;
      const open = new Set(inside);
      const key = `${drillId ?? ''}|${applied}|${[...open].sort().join(',')}`;
      let net = this.insideNetworks.get(key);
      if (!net) {
        // A handful of areas at a time in practice; a stale key (closures changed) is dropped first.
        if (this.insideNetworks.size >= 8) this.insideNetworks.delete(this.insideNetworks.keys().next().value!);
        net = base.withOwnClosures();
        net.setClosures(this.edgesOfAll(rows.filter((r) => !open.has(r.id))));
        this.insideNetworks.set(key, net);
      }
      return net;
    });
  }

  /** The index of a closure set's areas (Polygon, MultiPolygon), built once per `key` (world and closure ids applied). */
  private areaIndexFor(key: string, rows: readonly RoadClosureRow[]): ClosedAreaIndex {
    let index = this.areaIndexes.get(key);
    if (!index) {
      // A stale key (closures changed) is never asked for again: keep only the few most recent.
      if (this.areaIndexes.size >= 8) this.areaIndexes.delete(this.areaIndexes.keys().next().value!);
      const areas = rows.filter((r) => r.geometry.type === 'Polygon' || r.geometry.type === 'MultiPolygon').map((r) => ({ id: r.id, geometry: r.geometry }) as ClosedArea);
      index = new ClosedAreaIndex(areas);
      this.areaIndexes.set(key, index);
    }
    return index;
  }

  /**
   * Opens a drill scenario's closure at the drill's simulated time `at`: stores it tagged with the
   * drill, applies it to that drill's network only, and re-routes that drill's tasks driving along it.
   * @returns the closure's id and what was re-routed; null when the geometry closes no road (logged)
   */
  async openForDrill(drillId: string, geometry: ClosureGeometry, reason: string, at: Date): Promise<{ id: string; closedEdges: number; rerouted: Rerouted[] } | null> {
    const edgeIds = this.edgesOf(geometry);
    if (!edgeIds.length) {
      this.log.warn(`drill ${drillId}: closure "${reason}" closes no road; skipped`);
      return null;
    }
    // Consoles draw it as an exercise closure (the event carries the drill's id); row and event commit together.
    const saved = await this.ds.transaction(async (m) => {
      const row = await m.getRepository(RoadClosureRow).save({ geometry, reason, edgeIds, endsAt: null, createdBy: 'drill', removedAt: null, removedBy: null, drillId });
      await this.events.append(m, { type: 'road.closed', jurisdictionIds: this.citiesOf(geometry), at, actor: 'drill', payload: view(row) });
      return row;
    });
    this.edgeCache.set(saved.id, edgeIds);
    await this.networkFor(drillId);
    const rerouted = await this.reroute(edgeIds, 'drill', drillId, at);
    return { id: saved.id, closedEdges: edgeIds.length, rerouted };
  }

  /**
   * Lifts closures of a drill: the given ones (reached their end on the simulated clock), or every
   * one still open when `ids` is omitted (the drill ended).
   */
  async liftForDrill(drillId: string, at: Date, ids?: string[]): Promise<void> {
    const lifted = await this.ds.getRepository(RoadClosureRow).find({ where: { drillId, removedAt: IsNull(), ...(ids ? { id: In(ids.length ? ids : ['00000000-0000-0000-0000-000000000000']) } : {}) } });
    // Lifted and told in one transaction (as a closure is entered), then the drill's tasks re-routed.
    await this.ds.transaction(async (m) => {
      await m
        .createQueryBuilder()
        .update(RoadClosureRow)
        .set({ removedAt: at, removedBy: 'drill' })
        .where(`drill_id = :drillId AND removed_at IS NULL${ids ? ' AND id IN (:...ids)' : ''}`, { drillId, ids: ids?.length ? ids : ['00000000-0000-0000-0000-000000000000'] })
        .execute();
      await this.events.appendAll(
        m,
        lifted.map((c) => ({ type: 'road.reopened', jurisdictionIds: this.citiesOf(c.geometry), at, actor: 'drill', payload: { ...view(c), removedAt: at.toISOString() } })),
      );
    });
    await this.networkFor(drillId);
    const reopened = [...new Set(lifted.flatMap((c) => this.edgeCache.get(c.id) ?? c.edgeIds))];
    if (reopened.length) await this.reroute(reopened, 'drill', drillId, at, 'reopened');
  }

  /**
   * Road-graph edges a closure geometry closes: the blocks drawn along (or the roads of an area); a
   * hand-drawn line that stops short of the intersections, and so closes nothing, is lengthened by
   * 30 m at both ends and tried again.
   */
  private edgesOf(geometry: ClosureGeometry): number[] {
    const ids = this.network.closuresFromGeoJson(geometry);
    return ids.length ? ids : this.network.closuresFromGeoJson(extendLineEnds(geometry, LINE_END_EXTENSION_METRES));
  }

  /** Active closures, oldest first. */
  private active(): Promise<RoadClosureRow[]> {
    return this.ds
      .getRepository(RoadClosureRow)
      .createQueryBuilder('c')
      .where(LIVE.replace(/(drill_id|removed_at|ends_at)/g, 'c.$1'))
      .orderBy('c.created_at', 'ASC')
      .getMany();
  }

  /**
   * Active closures as the API shows them: live ones, plus (with `withDrills`) the open closures of
   * drill scenarios, each with its `drillId`.
   */
  async list(withDrills = false): Promise<ClosureView[]> {
    const live = (await this.active()).map(view);
    if (!withDrills) return live;
    const drills = await this.ds.getRepository(RoadClosureRow).createQueryBuilder('c').where('c.drill_id IS NOT NULL AND c.removed_at IS NULL').orderBy('c.created_at').getMany();
    return [...live, ...drills.map(view)];
  }

  /**
   * Closes roads: stores the closure with its `road.closed` event in one transaction (a failure writes
   * neither), applies it to the network before returning, and re-routes the active tasks whose route
   * drives along a newly closed edge.
   * @param geometry GeoJSON LineString (a closed road: the blocks drawn along, within 10 m) or
   *   Polygon (a closed area: every road with an end inside it or crossing it), `[lon, lat]` WGS84 degrees
   * @param endsAt when the closure lifts by itself (null: until removed)
   * @throws InvalidInput (400) naming `geometry` when it closes no road, `endsAt` when it is not in the future
   */
  async create(geometry: ClosureGeometry, reason: string, endsAt: Date | null, actor: string): Promise<{ closure: ClosureView; rerouted: Rerouted[] }> {
    if (endsAt && endsAt.getTime() <= Date.now()) throw new InvalidInput(`endsAt: ${endsAt.toISOString()} is not in the future: a closure must end after it starts (now)`);
    let edgeIds: number[];
    try {
      edgeIds = this.edgesOf(geometry);
    } catch (e) {
      throw new InvalidInput(`geometry: ${(e as Error).message}`);
    }
    if (edgeIds.length === 0) throw new InvalidInput('geometry closes no road: draw it along a road (within 10 m) or around an area with roads');
    // The row and its event commit together: a closure in force that no console was told of, and that a
    // client retrying after the error would enter twice, is never left behind.
    const saved = await this.ds.transaction(async (m) => {
      const row = await m.getRepository(RoadClosureRow).save({ geometry, reason, edgeIds, endsAt, createdBy: actor, removedAt: null, removedBy: null });
      await this.events.append(m, { type: 'road.closed', jurisdictionIds: this.citiesOf(geometry), at: new Date(), actor, payload: view(row) });
      return row;
    });
    this.edgeCache.set(saved.id, edgeIds);
    await this.apply();
    const rerouted = await this.reroute(edgeIds, actor);
    return { closure: view(saved), rerouted };
  }

  /**
   * Reopens the roads of a closure (other closures sharing its roads keep them closed).
   * @param user who lifts it (a district or street post: only closures of its own jurisdiction and tier)
   * @throws NotFound for an unknown or already removed closure; Forbidden (403) by the jurisdiction rule
   */
  async remove(id: string, actor: string, user?: Principal): Promise<ClosureView & { rerouted: Rerouted[] }> {
    const c = await this.ds.getRepository(RoadClosureRow).findOneBy({ id });
    if (!c || c.removedAt) throw new NotFound('road closure', id);
    if (user) await this.jurisdiction.assertMayRemove(user, c);
    c.removedAt = new Date();
    c.removedBy = actor;
    // Lifted and told in one transaction (as a closure is entered).
    await this.ds.transaction(async (m) => {
      await m.getRepository(RoadClosureRow).save(c);
      await this.events.append(m, { type: 'road.reopened', jurisdictionIds: this.citiesOf(c.geometry), at: c.removedAt!, actor, payload: view(c) });
    });
    await this.apply();
    // Tasks that took a detour (or were cut off) get the way back when it is now the shorter one.
    const rerouted = await this.reroute(this.edgeCache.get(c.id) ?? c.edgeIds, actor, undefined, undefined, 'reopened');
    return { ...view(c), rerouted };
  }

  /**
   * Re-routes active tasks not yet on scene from the unit's last known position, and records
   * `assignment.rerouted` with the new ETA and route (or `unreachable: true` when the closures cut the
   * unit off). `closed`: tasks whose stored route drives along one of `edgeIds`. `reopened`: tasks
   * that were cut off, or whose best way now drives along the reopened `edgeIds` (a detour undone).
   * @param onlyDrillId only that drill's tasks (a scenario closure); else every task, each on its own network
   * @param at the event time (the drill's simulated time); defaults to the incident's clock
   */
  async reroute(edgeIds: number[], actor: string, onlyDrillId?: string, at?: Date, change: 'closed' | 'reopened' = 'closed'): Promise<Rerouted[]> {
    const moving = await this.ds.getRepository(Assignment).find({ where: { status: In(['dispatched', 'acknowledged', 'en_route']) } });
    const out: Rerouted[] = [];
    for (const a of moving) {
      if (change === 'closed') {
        if (!a.route) continue;
        const nodes = a.route.coordinates.map(([lon, lat]) => this.network.snap(lat, lon).node);
        if (!this.network.routeUsesEdges(nodes, edgeIds)) continue;
      }
      const incident = await this.ds.getRepository(Incident).findOneByOrFail({ id: a.incidentId });
      if (onlyDrillId && incident.drillId !== onlyDrillId) continue;
      const unit = await this.ds.getRepository(Unit).findOneByOrFail({ world: a.world, id: a.unitId });
      const [network] = await this.networksForUnits(incident.drillId, [unit]);
      const route = network.routeToApproach(network.snap(unit.lat, unit.lon).node, network.approach(incident.lat, incident.lon, accessOptionsOf(incident)));
      // Reopened roads: only a task that was cut off, or whose best way now drives them, changes.
      if (change === 'reopened' && (!route || (a.route && !network.routeUsesEdges(route.nodes, edgeIds)))) continue;
      await this.ds.transaction(async (m) => {
        const eta = this.travel.rerouted(a.status, route ? route.seconds : null, incident.priority === 1, unit);
        await m.update(Assignment, { id: a.id }, { route: route?.geometry ?? null, routeMetres: route?.metres ?? 0, ...eta });
        await this.events.append(m, {
          type: 'assignment.rerouted',
          incidentId: a.incidentId,
          unitId: a.unitId,
          jurisdictionIds: this.index.chain(incident.streetId),
          at: at ?? this.clock.timeFor(incident),
          actor,
          payload: {
            incidentId: a.incidentId,
            assignment: assignmentView(await m.findOneByOrFail(Assignment, { id: a.id })),
            unreachable: !route,
            reason: change === 'closed' ? 'road closed on the route' : 'road reopened: a shorter way',
          },
        });
      });
      out.push({ assignmentId: a.id, unitId: a.unitId, etaSeconds: route ? this.travel.rerouted(a.status, route.seconds, incident.priority === 1, unit).etaSeconds : null });
    }
    if (out.length) this.log.log(`re-routed ${out.length} task(s) around a closure`);
    return out;
  }

  /** Consoles that see a closure: the whole city (closures matter to every tier's routing). */
  private citiesOf(g: RoadClosureRow['geometry']): string[] {
    const [lon, lat] = firstPoint(g);
    return [this.index.locate(lat, lon).cityId];
  }
}
