import { ACTIVE_ASSIGNMENT_STATUSES, CLOSED_INCIDENT_STATUSES, DISPATCHABLE_UNIT_STATUSES, dispatchModeOf, planForIncident, planSlots, splitByDispatchMode, unfilledSlots, worldOf } from '@cad/domain';
import { allocateIncidents, AllocationIncident, AllocationUnit, ReassignmentRecommendation, RoadNetwork } from '@cad/routing';
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { Assignment, Incident, Unit } from '@cad/db';
import { NotFound } from '../common/errors';
import { ClosuresService } from '../closures/closures.service';
import { ResponsePlansService } from '../plans/response-plans.service';
import { CommandChainService } from '../command-chain/command-chain.service';
import { AvlService, staleFixReason } from '../assignments/avl.service';
import { accessOptionsOf } from '../closures/incident-access';
import { TravelModelService } from '../routing/travel-model.service';
import { unitStartNodes } from './unit-starts';

/** One recommended unit for one unfilled plan slot, or the reason the slot stays empty. */
export interface RecommendedSlot {
  capability: string;
  /** The unit to send, or null when none can be recommended. */
  unitId: string | null;
  /** Road travel time from the unit's position, seconds (null when no unit). */
  /** Turnout + modelled travel, seconds (issue 20). */
  etaSeconds: number | null;
  /** The turnout counted in `etaSeconds`, seconds. */
  turnoutSeconds: number | null;
  /** Tier whose units the recommendation comes from. */
  tier: string | null;
  /** Why this unit (capability, ETA, tier), or why no unit. */
  reason: string;
  /** The best other unit for the slot, and the incident that took it in the same solution. */
  runnerUp: { unitId: string; etaSeconds: number; takenBy: string | null } | null;
}

/** What `GET /api/incidents/:id/recommendations` answers. */
export interface Recommendations {
  incidentId: string;
  /** Unfilled slots of the response plan, one per unit still needed. */
  slots: RecommendedSlot[];
  /** Dispatched units much closer to this (higher-priority) incident: offered, never applied automatically. */
  reassignments: ReassignmentRecommendation[];
  /** How many open incidents the allocation was solved across. */
  solvedAcross: number;
}

/**
 * Recommendations from the optimising allocator (`allocateIncidents`): every open incident's
 * unfilled plan slots are solved together, higher priorities first, minimising priority-weighted
 * road ETA within each incident's commanding tier (widening to the parent tiers only when the tier
 * has no usable unit); the answer for one incident lists its units with reasons and runner-ups, and
 * dispatched units worth re-assigning to it. A dispatcher accepts it in one click or overrides it
 * with a reason (`RecommendationDecisionsService`); nothing is applied without them.
 */
@Injectable()
export class RecommendationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly chain: CommandChainService,
    private readonly closures: ClosuresService,
    private readonly travel: TravelModelService,
    private readonly planStore: ResponsePlansService,
    private readonly avl: AvlService,
  ) {}

  /**
   * Recommendations for one incident, solved across all open incidents with unfilled slots.
   * @throws NotFound for an unknown incident
   */
  async forIncident(incidentId: string): Promise<Recommendations> {
    const target = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!target) throw new NotFound('incident', incidentId);
    if (CLOSED_INCIDENT_STATUSES.includes(target.status)) return { incidentId: target.id, slots: [], reassignments: [], solvedAcross: 0 };
    // Only the target's world: a drill's incidents and units never weigh on a live recommendation.
    const world = worldOf(target);
    // In a fixed order (the allocator breaks ties by input order): two units of one station have the same ETA,
    // and rows read in storage order would recommend one of them now and the other a moment later, after
    // an update moved a row, so "accept" could send another unit than the card showed.
    const open = await this.ds
      .getRepository(Incident)
      .find({ where: { status: Not(In([...CLOSED_INCIDENT_STATUSES])), drillId: target.drillId ?? IsNull() }, order: { receivedAt: 'ASC', id: 'ASC' } });
    if (!open.some((i) => i.id === target.id)) open.push(target);
    const active = await this.ds.getRepository(Assignment).find({ where: { incidentId: In(open.map((i) => i.id)), status: In([...ACTIVE_ASSIGNMENT_STATUSES]) } });
    // A slot a unit served (it reached on scene, then cleared) is served: the plan does not ask for it again.
    // A task cleared before on scene (cancelled, turned back) leaves its slot open.
    const served = await this.ds.getRepository(Assignment).find({ where: { incidentId: In(open.map((i) => i.id)), status: Not(In([...ACTIVE_ASSIGNMENT_STATUSES])), onSceneAt: Not(IsNull()) } });
    const filled = [...active, ...served];
    const plans = await this.planStore.all();
    // Units of agencies dispatched by request are their post's to send: never recommended, their slots asked of the post.
    const rules = this.chain.agencyRules;
    const units = (await this.ds.getRepository(Unit).find({ where: { world, status: Not('out_of_service') }, order: { id: 'ASC' } })).filter((u) => dispatchModeOf(rules, u.agency) === 'direct');
    const unitById = new Map(units.map((u) => [u.id, u]));

    const problem: AllocationIncident[] = [];
    for (const i of open) {
      const slots = unfilledSlots(splitByDispatchMode(planSlots(planForIncident(plans, i)), rules).direct, filled.filter((a) => a.incidentId === i.id).map((a) => a.capability));
      if (!slots.length && i.id !== target.id) continue;
      problem.push({ id: i.id, priority: i.priority, slots, scopes: this.chain.scopesOf(i, (unitId) => unitById.get(unitId)?.homeStreetId ?? null) });
    }
    const assignedTo = new Map(active.map((a) => [a.unitId, a.incidentId]));
    const priorityOf = new Map(open.map((i) => [i.id, i.priority]));
    const allocUnits: AllocationUnit[] = units
      .filter((u) => DISPATCHABLE_UNIT_STATUSES.includes(u.status) || assignedTo.has(u.id))
      .map((u) => ({
        id: u.id,
        capabilities: u.capabilities,
        assignedTo: assignedTo.has(u.id) ? { incidentId: assignedTo.get(u.id)!, priority: priorityOf.get(assignedTo.get(u.id)!) ?? 3 } : null,
      }));
    // One one-to-many search per incident: every unit's road travel time to it.
    // A unit whose only fix is stale is ranked from its station (live world only), and says so.
    const now = target.exercise ? null : new Date();
    const from = await this.avl.rankingPositions(units, now);
    // A unit standing inside a closed area may drive that area's roads (ClosuresService.networksForUnits).
    const networks = await this.closures.networksForUnits(target.drillId, allocUnits.map((u) => from.get(u.id)!));
    // A unit parked above a tunnel starts on the street, one driving through it in the tunnel (unitStartNodes).
    const nodes = await unitStartNodes(this.avl, allocUnits.map((u) => unitById.get(u.id)!), from, networks, now);
    const groups = new Map<RoadNetwork, number[]>();
    networks.forEach((n, k) => groups.set(n, [...(groups.get(n) ?? []), k]));
    const rows = new Map<string, Float64Array>();
    for (const p of problem) {
      const i = open.find((x) => x.id === p.id)!;
      const graph = new Float64Array(allocUnits.length);
      for (const [n, ks] of groups) {
        const times = n.travelTimesToApproach(n.approach(i.lat, i.lon, accessOptionsOf(i)), ks.map((k) => nodes[k]));
        ks.forEach((k, j) => (graph[k] = times[j]));
      }
      // The travel model's travel time for each unit's type, station and the incident's response mode (issue 20).
      rows.set(p.id, Float64Array.from(graph, (g, k) => this.travel.eta(g, i.priority === 1, this.travel.unitSettingOffFrom(unitById.get(allocUnits[k].id)!, from.get(allocUnits[k].id)!)).travelS));
    }
    const col = new Map(allocUnits.map((u, k) => [u.id, k]));
    const result = allocateIncidents(problem, allocUnits, (incident, unit) => rows.get(incident)![col.get(unit)!]);
    const mine = result.incidents.find((x) => x.incidentId === target.id);
    const slots: RecommendedSlot[] = [];
    for (const a of mine?.assigned ?? []) {
      const reason = [a.reason.text, staleFixReason(from.get(a.unitId))].filter(Boolean).join('; ');
      const turnoutSeconds = this.travel.turnoutOf(unitById.get(a.unitId)!.unitType);
      slots.push({ capability: a.capability, unitId: a.unitId, etaSeconds: a.etaSeconds + turnoutSeconds, turnoutSeconds, tier: a.tier, reason, runnerUp: a.runnerUp });
    }
    for (const u of mine?.unfilled ?? []) {
      // The allocator sees only units that could be sent: say what the rest of the fleet of that capability is doing.
      const reason = u.code === 'no-unit-with-capability' ? await this.whyNoneAvailable(world, u.capability, u.text) : u.text;
      slots.push({ capability: u.capability, unitId: null, etaSeconds: null, turnoutSeconds: null, tier: u.tier, reason, runnerUp: null });
    }
    return {
      incidentId: target.id,
      slots,
      reassignments: result.reassignments.filter((r) => r.toIncidentId === target.id),
      solvedAcross: problem.length,
    };
  }

  /**
   * Why no unit of a capability can be recommended: none in the fleet (`fallback`), or every one out
   * of service or busy, with the counts, e.g. `no truck available: 10 out of service`.
   */
  private async whyNoneAvailable(world: string, capability: string, fallback: string): Promise<string> {
    const rows: { status: string; n: number }[] = await this.ds.query(
      `SELECT status, count(*)::int AS n FROM unit WHERE world = $2 AND $1 = ANY(capabilities) GROUP BY status ORDER BY status`,
      [capability, world],
    );
    if (!rows.length) return fallback;
    const oos = rows.filter((r) => r.status === 'out_of_service').reduce((a, r) => a + r.n, 0);
    const busy = rows.filter((r) => r.status !== 'out_of_service').reduce((a, r) => a + r.n, 0);
    const parts = [oos ? `${oos} out of service` : '', busy ? `${busy} busy` : ''].filter(Boolean);
    return `no ${capability} available: ${parts.join(', ')}`;
  }
}
