import { withFirstAlarm, DISPATCHABLE_UNIT_STATUSES, ACTIVE_ASSIGNMENT_STATUSES, Agency, dispatchModeOf, planForIncident, planSlots, ResponsePlan, splitByDispatchMode, unfilledSlots, worldOf } from '@cad/domain';
import type { Candidate, RoadNetwork } from '@cad/routing';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Assignment, Incident, readEntities, Unit } from '@cad/db';
import { ClosuresService } from '../closures/closures.service';
import { ResponsePlansService } from '../plans/response-plans.service';
import { TravelModelService } from '../routing/travel-model.service';
import { AvlService } from '../assignments/avl.service';
import { CommandChainService } from '../command-chain/command-chain.service';
import { accessOptionsOf } from '../closures/incident-access';
import { unitStartNodes } from './unit-starts';

/** What decides an incident's plan: its type and priority, and its own first alarm when it has one. */
type PlanKeys = Pick<Incident, 'type' | 'priority'> & Partial<Pick<Incident, 'firstAlarm'>>;

/**
 * At most this many waiting incidents are solved with a dispatch (the most urgent, oldest first): in a
 * surge the rest wait for their own jobs, which the queue serves most urgent first anyway.
 */
const MAX_WAITING_SOLVED = 50;

/** An incident waiting for automatic dispatch, with the plan slots it still needs. */
export interface WaitingIncident {
  incident: Incident;
  slots: string[];
  /** The plan's slots that agencies dispatched by request (police, the utilities) fill, from the same plan read. */
  requested: { capability: string; agency: Agency }[];
}

/**
 * What dispatch chooses from: the free units of a world, their road ETAs to the incidents (on the
 * network the world routes on, through the travel model), the incidents still waiting for units, and
 * the slots each response plan asks of units and of other agencies' posts.
 */
@Injectable()
export class DispatchCandidatesService {
  constructor(
    private readonly ds: DataSource,
    private readonly chain: CommandChainService,
    private readonly closures: ClosuresService,
    private readonly plans: ResponsePlansService,
    private readonly avl: AvlService,
    private readonly travel: TravelModelService,
  ) {}

  /**
   * Dispatchable units with a capability the plan (or a waiting incident's) needs, with their road
   * ETA to the incident on the network the incident routes on (live, or its drill's with the drill's
   * closures). `candidates` are the units able to fill this incident's slots; with `joint`, `waiting`
   * lists the more urgent waiting incidents that one of these units could serve, and `etaOf(incidentId,
   * unitId)` answers seconds (Infinity when unreachable) to this incident and every waiting one.
   */
  async candidates(incident: Incident, slots: string[], joint = false) {
    const units = await this.freeUnits(worldOf(incident));
    // In a surge with every unit busy nothing can be shared: no waiting incident is read or routed.
    const offered = new Set(units.flatMap((u) => u.capabilities));
    const waiting = joint && units.length ? (await this.waitingBesides(incident)).filter((w) => w.slots.some((c) => offered.has(c))) : [];
    const needed = new Set([...slots, ...waiting.flatMap((w) => w.slots)]);
    const table = await this.etaTable(incident, units, [incident, ...waiting.map((w) => w.incident)], needed);
    const times = table.rows.get(incident.id)!;
    const candidates: Candidate[] = table.capable
      .map((u, i) => ({ unitId: u.id, capabilities: u.capabilities, etaSeconds: times[i] }))
      .filter((c) => c.capabilities.some((cap) => slots.includes(cap)));
    return { ...table, candidates, waiting };
  }

  /**
   * Dispatchable units of a world (`live` or a drill run id), in id order. Units of agencies dispatched by
   * request (police, the utilities) are their own post's to send, never chosen here.
   */
  async freeUnits(world: string): Promise<Unit[]> {
    const units = await readEntities(this.ds, Unit, 'WHERE world = $1 AND status = ANY($2) ORDER BY id', [world, [...DISPATCHABLE_UNIT_STATUSES]]);
    return units.filter((u) => dispatchModeOf(this.chain.agencyRules, u.agency) === 'direct');
  }

  /**
   * Road ETAs of `units` able to fill any capability in `needed` (`capable`) to each of `incidents`,
   * on the network the world routes on (live, or the drill's with its closures): one one-to-many
   * search per incident, to its access point (or beside a closure that cuts it off, issue 18), turned
   * into the travel model's travel time for the unit's type and the incident's response mode (issue 20).
   * A unit whose only fix is stale is ranked from its station (live world only). A unit starts on the
   * surface street when its nearest node is a tunnel's, bridge deck's or motorway's, unless its AVL
   * track runs along that road (`unitStartNodes`). A unit whose start point lies inside a closed area
   * routes on a network with that area's roads open (it may leave it).
   * @param world the incidents' world (`drillId` null: live)
   * @returns `etaOf(incidentId, unitId)` in seconds (Infinity when unreachable or not listed), `byId`
   *   (unit, its snapped node and the network it routes on), `from` (ranking positions) and the network
   */
  async etaTable(world: { drillId: string | null; exercise: boolean }, units: readonly Unit[], incidents: readonly Incident[], needed: ReadonlySet<string>) {
    const capable = units.filter((u) => u.capabilities.some((c) => needed.has(c)));
    const now = world.exercise ? null : new Date();
    const from = await this.avl.rankingPositions(capable, now);
    // A unit standing inside a closed area may drive that area's roads (ClosuresService.networksForUnits).
    const networks = await this.closures.networksForUnits(world.drillId, capable.map((u) => from.get(u.id)!));
    // The world's network as networksForUnits just synced it with the record (one read of the closures, not two).
    const network = this.closures.lastKnownNetworkFor(world.drillId);
    // A unit parked above a tunnel starts on the street, one driving through it in the tunnel (unitStartNodes).
    const sources = await unitStartNodes(this.avl, capable, from, networks, now);
    const groups = new Map<RoadNetwork, number[]>();
    networks.forEach((n, k) => groups.set(n, [...(groups.get(n) ?? []), k]));
    const column = new Map(capable.map((u, i) => [u.id, i]));
    const rows = new Map<string, Float64Array>();
    for (const i of incidents) {
      const graph = new Float64Array(capable.length);
      for (const [n, ks] of groups) {
        const times = n.travelTimesToApproach(n.approach(i.lat, i.lon, accessOptionsOf(i)), ks.map((k) => sources[k]));
        ks.forEach((k, j) => (graph[k] = times[j]));
      }
      rows.set(i.id, Float64Array.from(graph, (g, k) => this.travel.eta(g, i.priority === 1, this.travel.unitSettingOffFrom(capable[k], from.get(capable[k].id)!)).travelS));
    }
    const byId = new Map(capable.map((u, i) => [u.id, { unit: u, node: sources[i], network: networks[i] }]));
    const etaOf = (incidentId: string, unitId: string) => rows.get(incidentId)?.[column.get(unitId)!] ?? Infinity;
    return { network, capable, byId, from, etaOf, rows };
  }

  /**
   * The road ETA of one unit to an incident, on the network the incident routes on (live, or its
   * drill's with the drill's closures), from the unit's reported position: served beside a closure
   * when the closures cut the incident off (issue 18), so there is an ETA whenever the unit can drive;
   * a unit inside a closed area may drive that area's roads (ClosuresService.networksForUnits); it
   * starts on the street above a tunnel unless its AVL track runs through it (`unitStartNodes`).
   * @returns the unit's network, its snapped node, and the travel time in seconds (Infinity: no open road)
   */
  async etaOfUnit(incident: Incident, unit: Unit): Promise<{ network: RoadNetwork; node: number; etaSeconds: number }> {
    const [network] = await this.closures.networksForUnits(incident.drillId, [unit]);
    const [node] = await unitStartNodes(this.avl, [unit], new Map(), [network], incident.exercise ? null : new Date());
    const graph = network.travelTimesToApproach(network.approach(incident.lat, incident.lon, accessOptionsOf(incident)), [node])[0];
    return { network, node, etaSeconds: this.travel.eta(graph, incident.priority === 1, this.travel.unitSettingOffFrom(unit, unit)).travelS };
  }

  /**
   * Other incidents in the same world (live, or the same drill) still waiting for automatic dispatch
   * (`received`, not held) and strictly more urgent than `incident`, with their unfilled plan slots;
   * the {@link MAX_WAITING_SOLVED} most urgent, oldest first. Equal priorities are served in queue
   * order: keeping units only for more urgent incidents means two dispatch jobs can never keep units
   * for each other in turn.
   */
  private async waitingBesides(incident: Incident): Promise<WaitingIncident[]> {
    const others = await this.ds
      .getRepository(Incident)
      .createQueryBuilder('i')
      .where(`i.status = 'received' AND i.auto_dispatch AND i.id <> :id AND i.priority < :priority`, { id: incident.id, priority: incident.priority })
      .andWhere(incident.drillId ? 'i.drill_id = :drill' : 'i.exercise = false AND i.drill_id IS NULL', { drill: incident.drillId })
      .orderBy('i.priority', 'ASC')
      .addOrderBy('i.created_at', 'ASC')
      .take(MAX_WAITING_SOLVED)
      .getMany();
    return this.withSlotsLeft(others);
  }

  /**
   * The plan slots each incident still needs (its response plan less its active tasks), in the order
   * given; incidents with nothing left to fill are left out.
   */
  async withSlotsLeft(incidents: readonly Incident[]): Promise<WaitingIncident[]> {
    if (!incidents.length) return [];
    const active = await readEntities(this.ds, Assignment, 'WHERE incident_id = ANY($1) AND status = ANY($2)', [incidents.map((o) => o.id), [...ACTIVE_ASSIGNMENT_STATUSES]]);
    const plans = await this.plans.all();
    const taken = new Map<string, string[]>();
    for (const a of active) taken.set(a.incidentId, [...(taken.get(a.incidentId) ?? []), a.capability]);
    const out: WaitingIncident[] = [];
    for (const o of incidents) {
      const { direct, requested } = splitByDispatchMode(planSlots(planForIncident(plans, o)), this.chain.agencyRules);
      const left = unfilledSlots(direct, taken.get(o.id) ?? []);
      if (left.length) out.push({ incident: o, slots: left, requested });
    }
    return out;
  }

  /** The slots of an incident's plan (its type and priority) that agencies dispatched by request (police, the utilities) fill, each with its agency. */
  async requestedSlotsOf(incident: PlanKeys): Promise<{ capability: string; agency: Agency }[]> {
    return splitByDispatchMode(planSlots(await this.planOf(incident)), this.chain.agencyRules).requested;
  }

  /**
   * The response plan of an incident: its type's variant for its priority now, else its type's plan,
   * else the default plan (`planFor`, issue 20); with its own first alarm when it carries one (a drill
   * call's replayed units: `withFirstAlarm`).
   */
  async planOf(incident: PlanKeys): Promise<ResponsePlan> {
    return withFirstAlarm(await this.plans.of(incident.type, incident.priority), incident.firstAlarm);
  }
}
