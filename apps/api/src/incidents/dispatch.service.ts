import type { CommandTier } from '@cad/contracts';
import { ackTimeoutFor, ACTIVE_ASSIGNMENT_STATUSES, Agency, alarmsOf, assessCoverage, dispatchModeOf, splitByDispatchMode, TIERS, DISPATCHABLE_UNIT_STATUSES, isOpenIncident, currentTier, JurisdictionIndex, parentTier, planFor, planSlots, ResponsePlan, Tier, unfilledSlots, worldOf } from '@cad/domain';
import { allocateIncidents, AllocationIncident, Candidate, fillPlanNearest, PlanFill, RoadNetwork } from '@cad/routing';
import { Injectable, Logger } from '@nestjs/common';
import { faultPoint } from '../platform/fault-points';
import { ResponsePlansService } from '../plans/response-plans.service';
import { DataSource, EntityManager, In } from 'typeorm';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from '../events/events.service';
import { Assignment, Incident, Unit } from '@cad/db';
import { AvlService, staleFixReason } from '../units/avl.service';
import { InvalidInput, NotFound, StateConflict } from '../common/errors';
import { ClosuresService } from '../closures/closures.service';
import { recordedDrillPolicy, solvesJointly } from './drill-policy.store';
import { CommandChainService } from './command-chain/command-chain.service';
import { ArmedDeadline, DeadlinesService } from './command-chain/deadlines.service';
import { assignmentView, AssignmentView } from './incident.view';
import { IncidentsService } from './incidents.service';
import { QueuesService } from '../queues/queues.service';
import { redispatchWaiting } from './redispatch';
import { openAgencyRequests } from './agency-requests.store';
import { accessOptionsOf } from './incident-access';
import { TravelModelService } from '../routing/travel-model.service';

/** Outcome of one dispatch run. */
export interface DispatchResult {
  incidentId: string;
  dispatched: { unitId: string; capability: string; etaSeconds: number }[];
  unfilled: string[];
  /** Tier that commands the incident after this run (escalations happen before units are chosen). */
  tier: string;
  /** Escalations recorded by this run, lowest first. */
  escalations: { fromTier: string; toTier: string; detail: string }[];
  /** True when the incident was no longer waiting for dispatch (a repeated job). */
  skipped: boolean;
}

/**
 * At most this many waiting incidents are solved with a dispatch (the most urgent, oldest first): in a
 * surge the rest wait for their own jobs, which the queue serves most urgent first anyway.
 */
const MAX_WAITING_SOLVED = 50;

/** An incident waiting for automatic dispatch, with the plan slots it still needs. */
export interface WaitingIncident {
  incident: Incident;
  slots: string[];
}

/** A unit the allocator chose for a slot, with why (and the runner-up), as recorded on the task. */
export interface ChosenUnit {
  capability: string;
  unitId: string;
  etaSeconds: number;
  reason: string;
  runnerUp: unknown;
}

/**
 * Why an incident got no unit, in a dispatcher's words, from the free units able to fill its slots and
 * their road ETAs to it (seconds; Infinity: no open road).
 * @param slots the plan slots left to fill, e.g. `['engine', 'truck']`
 * @param etas ETA of each free unit having one of the slots' capabilities
 * @param outranked true when a joint solution gave reachable units to more urgent incidents
 */
export function waitingReason(slots: readonly string[], etas: readonly number[], outranked: boolean): string {
  const what = slots.join(', ');
  if (!etas.length) return `no available unit could be dispatched (${what}): every unit able to fill it is busy or out of service`;
  if (!etas.some(Number.isFinite)) {
    return `no available unit can reach it by road (${what}): the ${etas.length} available unit${etas.length > 1 ? 's' : ''} able to fill it ${etas.length > 1 ? 'are' : 'is'} cut off by road closures`;
  }
  return `no available unit could be dispatched (${what})${outranked ? ': the free units went to more urgent incidents' : ''}`;
}

/** One dispatch decision to record (see `DispatchService.commitDecision`). */
export interface DecisionToCommit {
  incidentId: string;
  /** Revision the decision was made at. */
  revision: number;
  /** Tier moves found before units were chosen, lowest first. */
  escalations: DispatchResult['escalations'];
  chosen: readonly ChosenUnit[];
  /** Capabilities no unit could fill. */
  unfilled: readonly string[];
  /** Every slot of the plan this dispatch fills (named in `last_error` when nothing went). */
  slots: readonly string[];
  /** What `last_error` says when no unit went (see {@link waitingReason}); defaults to naming the slots. */
  why?: string;
  /** Slots of agencies dispatched by request (police, the utilities), asked of their posts instead. */
  requested?: readonly { capability: string; agency: Agency }[];
  /** Tier that commands the incident after the escalations. */
  tier: Tier;
  at?: Date;
  /**
   * Units a round gives an incident already decided at its revision (waiting): recorded only when at
   * least one unit is taken, with no escalation. Otherwise the decision is recorded only when the
   * incident was not decided at this revision yet.
   */
  unitsOnly?: boolean;
}

/** One unit to assign, as chosen by the allocator or a dispatcher. */
interface UnitChoice {
  unit: Unit;
  node: number;
  capability: string;
  etaSeconds: number;
  reason: string;
  runnerUp: unknown;
}

/**
 * Fills an incident's response plan with units chosen by road travel time from the commanding
 * tier's own subtree, escalating up the chain first when that tier cannot cover the plan within the
 * NFPA 1710 travel targets, and records the assignments, unit and incident status changes, the
 * escalations and their events in one transaction. Also assigns a unit chosen by hand.
 */
@Injectable()
export class DispatchService {
  private readonly log = new Logger('Dispatch');

  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
    private readonly chain: CommandChainService,
    private readonly deadlines: DeadlinesService,
    private readonly clock: ClockService,
    private readonly closures: ClosuresService,
    private readonly plans: ResponsePlansService,
    private readonly queues: QueuesService,
    private readonly avl: AvlService,
    private readonly travel: TravelModelService,
  ) {}

  /**
   * Dispatches an incident at a revision. The commanding tier's units (its subtree only) fill the
   * plan when they cover it in time; otherwise the incident escalates one tier at a time (each step
   * recorded with the failing target) until a tier covers it or the city is reached, and the final
   * tier's best units are dispatched. Live incidents (and a drill run under the `optimised` policy)
   * are filled jointly with every more urgent incident still waiting for units in the same world
   * (live, or the same drill): one priority-weighted min-cost assignment of road ETAs over all their
   * slots, higher priorities first (`allocateIncidents`), of which this incident takes its own share;
   * units the solution gives to the waiting incidents are kept for them, and those incidents are
   * queued for dispatch again. A drill under the `nearest` policy fills slot by slot nearest-first.
   * Idempotent: an incident that is no longer `received`, or whose revision moved on, is left as it
   * is. A unit taken by a concurrent dispatch is skipped, never double-assigned. Live incidents get an
   * acknowledgement deadline per task, and a pending deadline when nothing could be sent and a higher
   * tier exists.
   * @param at dispatch time (simulated time in a drill); defaults to now
   */
  async dispatch(incidentId: string, revision: number, at?: Date): Promise<DispatchResult> {
    const incident = await this.ds.getRepository(Incident).findOneByOrFail({ id: incidentId });
    const skipped: DispatchResult = { incidentId, dispatched: [], unfilled: [], tier: incident.commandingTier, escalations: [], skipped: true };
    if (incident.status !== 'received' || incident.revision !== revision || !incident.autoDispatch) return skipped;
    const plan = await this.planOf(incident.type);
    // Slots of agencies in `request` mode (police, the utilities) are asked of their own post, never filled here.
    const { direct: slots, requested } = splitByDispatchMode(planSlots(plan), this.chain.agencyRules);
    // Live dispatch, and a drill under the `optimised` policy, solve jointly with the more urgent
    // waiting incidents; a drill under `nearest` (the baseline) fills slot by slot nearest-first.
    const joint = !incident.exercise || solvesJointly(await recordedDrillPolicy(this.ds, incident.drillId));
    const { candidates, byId, network, etaOf, capable, waiting, from } = await this.candidates(incident, slots, joint);
    const kept = new Set<string>();
    // The waiting incidents and the units are the same at every tier tried; only this incident's scope widens.
    const others: AllocationIncident[] = waiting.map((w) => ({
      id: w.incident.id,
      priority: w.incident.priority,
      slots: w.slots,
      scopes: this.chain.scopesOf(w.incident, (u) => byId.get(u)?.unit.homeStreetId ?? null),
    }));
    const allocUnits = capable.map((u) => ({ id: u.id, capabilities: u.capabilities }));
    const fillFor = (inScope: Candidate[], tier: Tier): PlanFill => {
      if (!joint) return fillPlanNearest(slots, inScope);
      const allowed = new Set(inScope.map((c) => c.unitId));
      const problem: AllocationIncident[] = [{ id: incident.id, priority: incident.priority, slots, scopes: [{ tier, allows: allowed }] }, ...others];
      const r = allocateIncidents(problem, allocUnits, etaOf);
      kept.clear();
      for (const other of r.incidents) if (other.incidentId !== incident.id && other.assigned.length) kept.add(other.incidentId);
      const mine = r.incidents.find((x) => x.incidentId === incident.id)!;
      const across = problem.length > 1 ? ` (solved with ${problem.length - 1} more urgent waiting incident${problem.length > 2 ? 's' : ''})` : '';
      return {
        chosen: mine.assigned.map((a) => ({
          capability: a.capability,
          unitId: a.unitId,
          etaSeconds: a.etaSeconds,
          reason: [`min-cost assignment${across}: ${a.reason.text}`, staleFixReason(from.get(a.unitId))].filter(Boolean).join('; '),
          runnerUp: a.runnerUp ? { unitId: a.runnerUp.unitId, etaSeconds: a.runnerUp.etaSeconds } : null,
        })),
        unfilled: mine.unfilled.map((u) => u.capability),
      };
    };

    let tier: Tier = currentTier(incident);
    const escalations: DispatchResult['escalations'] = [];
    let fill: PlanFill;
    for (;;) {
      const jid = this.chain.jurisdictionAt(incident, tier);
      fill = fillFor(
        candidates.filter((c) => this.chain.inScope(byId.get(c.unitId)!.unit.homeStreetId, tier, jid)),
        tier,
      );
      // Each chosen unit is held to its own agency's target (issue 21).
      const verdict = assessCoverage(
        { slots: [...fill.chosen.map((c) => ({ ...c, agency: byId.get(c.unitId)!.unit.agency })), ...fill.unfilled.map((capability) => ({ capability, etaSeconds: null }))] },
        this.chain.policy,
      );
      const up = parentTier(tier);
      if (verdict.covered || !up) break;
      escalations.push({ fromTier: tier, toTier: up, detail: verdict.detail });
      tier = up;
    }

    const why = fill.chosen.length ? undefined : waitingReason(slots, candidates.map((c) => c.etaSeconds), kept.size > 0);
    const result = await this.commitDecision({ incidentId, revision, escalations, chosen: fill.chosen, unfilled: fill.unfilled, slots, requested, why, tier, at }, byId, network);
    if (!result) return skipped;
    // Waiting incidents the joint solution kept units for get them now (those with a job queued already are left to it).
    if (kept.size) await redispatchWaiting(this.ds, this.queues, [...kept]);
    this.log.log(`incident ${incidentId} (${tier}): dispatched ${result.done.map((d) => d.unitId).join(', ') || 'nothing'}${result.asked ? `; ${result.asked} unit(s) requested of other agencies` : ''}`);
    return { incidentId, dispatched: result.done, unfilled: result.unfilled, tier, escalations, skipped: false };
  }

  /**
   * Records one dispatch decision for an incident in one transaction: the escalations found (each a
   * `plan_not_coverable` move, keyed so a repeat is harmless), the chosen units (a unit taken meanwhile
   * is skipped, never double-assigned), the incident's status (`dispatched` when a unit went, else
   * `last_error` says what waits), its `decided_revision`, a pending deadline for a live incident left
   * with nothing when a higher tier exists, and `incident.updated`. Deadlines are scheduled after commit.
   * Used by the per-incident dispatch and by dispatch rounds.
   * @param d.revision the revision the decision was made at: an incident no longer `received` at it is left alone
   * @param d.at decision time (simulated in a drill); defaults to the incident's clock
   * @returns units sent and slots left empty, or null when the incident moved on meanwhile
   */
  async commitDecision(d: DecisionToCommit, byId: ReadonlyMap<string, { unit: Unit; node: number }>, network: RoadNetwork): Promise<{ done: DispatchResult['dispatched']; unfilled: string[]; asked: number } | null> {
    const { incidentId, revision, escalations, tier, slots } = d;
    const armed: (ArmedDeadline | null)[] = [];
    const result = await this.ds.transaction(async (m) => {
      const fresh = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!fresh || fresh.status !== 'received' || fresh.revision !== revision) return null;
      // Decided at this revision already (a twin round, a repeated job): nothing twice.
      const decided = fresh.decidedRevision !== null && fresh.decidedRevision >= revision;
      if (decided && !d.unitsOnly) return null;
      const when = d.at ?? this.clock.timeFor(fresh);
      for (const e of escalations) {
        await this.chain.move(m, fresh, {
          reason: 'plan_not_coverable',
          detail: e.detail,
          key: `plan-${incidentId}-r${revision}-${e.fromTier}`,
          actor: 'dispatch',
          at: when,
          toTier: e.toTier as Tier,
        });
      }
      const done: DispatchResult['dispatched'] = [];
      for (const choice of d.chosen) {
        const { unit, node } = byId.get(choice.unitId)!;
        const a = await this.assign(m, fresh, { unit, node, ...choice }, when, 'dispatch', armed, network);
        if (!a) continue;
        done.push({ unitId: unit.id, capability: choice.capability, etaSeconds: choice.etaSeconds });
      }
      // Units for an incident already waiting: with none taken there is nothing new to record.
      if (d.unitsOnly && !done.length) return null;
      if (done.length) faultPoint('dispatch.assignments-written');
      // Slots of agencies in `request` mode are asked of their posts (one request per slot: a repeat is ignored).
      const requested = d.unitsOnly ? [] : (d.requested ?? (await this.requestedSlotsOf(fresh.type)));
      const asked = await openAgencyRequests(m, this.events, fresh, requested, when, (a) => ackTimeoutFor(this.chain.agencyRules, a, this.chain.policy.ackTimeoutS), this.index.chain(fresh.streetId));
      const unfilled = [...d.unfilled, ...d.chosen.filter((c) => !done.some((x) => x.unitId === c.unitId)).map((c) => c.capability)];
      const waitingFor = requested.length ? `requested of ${[...new Set(requested.map((r) => r.agency))].join(', ')}: waiting for its post to accept` : '';
      await m.update(
        Incident,
        { id: incidentId },
        done.length
          ? { status: 'dispatched', dispatchedAt: when, lastError: unfilled.length ? `unfilled: ${unfilled.join(', ')}` : null }
          : { lastError: slots.length ? (d.why ?? `no available unit could be dispatched (${slots.join(', ')})`) : waitingFor || 'the response plan names no unit' },
      );
      // Decided at the revision it has now (an escalation above bumped it): a job for it does nothing.
      await m.query(`UPDATE incident SET decided_revision = revision WHERE id = $1`, [incidentId]);
      // An incident whose plan only asks other agencies waits for their posts (each request has its own due time).
      if (!done.length && slots.length && !fresh.exercise && parentTier(tier)) {
        armed.push(await this.deadlines.arm(m, { kind: 'pending', incidentId, revision: fresh.revision }));
      }
      await this.appendIncidentUpdated(m, incidentId, when, 'dispatch');
      return { done, unfilled, asked: asked.length };
    });
    if (result) await this.deadlines.scheduleDeadlines(armed);
    return result;
  }

  /**
   * Assigns one unit chosen by a dispatcher to an open incident. Of two dispatchers racing for the
   * same unit exactly one wins: the unit's status moves from a dispatchable status in one
   * conditional UPDATE, and the partial unique index allows one active assignment per unit.
   * @param capability the plan slot the unit fills (defaults to its primary capability)
   * @param mayUse checks the dispatcher may draw on a unit based in that street (throws Forbidden)
   * @param viaRequest for a unit of an agency dispatched by request: records the post's acceptance of its
   *   request inside the same transaction, given the new assignment (throws to undo it); without it such
   *   a unit is refused
   * @throws NotFound for an unknown incident or unit
   * @throws InvalidInput (400) for a unit of an agency in `request` mode assigned without its request
   * @throws StateConflict (409) when the incident is closed, or the unit is not available (naming
   *   its status and the incident it is assigned to)
   */
  async assignByHand(
    incidentId: string,
    unitId: string,
    actor: string,
    capability?: string,
    mayUse: (homeStreetId: string | null) => Promise<void> = async () => undefined,
    viaRequest?: (m: EntityManager, a: Assignment) => Promise<void>,
  ): Promise<AssignmentView> {
    const incident0 = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!incident0) throw new NotFound('incident', incidentId);
    // The unit of the incident's world: a drill incident takes the drill's E28, never the live one.
    const world = worldOf(incident0);
    const unit = await this.ds.getRepository(Unit).findOneBy({ world, id: unitId });
    if (!unit) throw new NotFound('unit', unitId);
    await mayUse(unit.homeStreetId);
    if (!viaRequest && dispatchModeOf(this.chain.agencyRules, unit.agency) === 'request') {
      throw new InvalidInput(
        `unitId: ${unitId} is a ${unit.agency} unit: ${unit.agency} units are requested of the ${unit.agency} post, which accepts the request with a unit (POST /api/agency-requests/:id/accept), not assigned by hand`,
      );
    }
    if (capability && !unit.capabilities.includes(capability)) {
      throw new InvalidInput(`capability: unit ${unitId} has ${unit.capabilities.join(', ')}, not ${capability}`);
    }
    const network = await this.closures.networkFor(incident0.drillId);
    const node = network.snap(unit.lat, unit.lon).node;
    // Served beside a closure when the closures cut the incident off (issue 18): an ETA whenever the unit can drive at all.
    const graph = network.travelTimesToApproach(network.approach(incident0.lat, incident0.lon, accessOptionsOf(incident0)), [node])[0];
    const eta = this.travel.eta(graph, incident0.priority === 1, unit.unitType).travelS;
    const why = Number.isFinite(eta) ? '' : ': no ETA, the road closures cut the unit off from every open road to the incident';
    const armed: (ArmedDeadline | null)[] = [];
    const view = await this.ds.transaction(async (m) => {
      const incident = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw new NotFound('incident', incidentId);
      if (!isOpenIncident(incident.status)) {
        throw new StateConflict(`incident is ${incident.status}: no unit can be assigned`, incident.status);
      }
      const when = this.clock.timeFor(incident);
      const a = await this.assign(
        m,
        incident,
        { unit, node, capability: capability ?? unit.capabilities[0], etaSeconds: eta, reason: `assigned by ${actor}${why}`, runnerUp: null },
        when,
        actor,
        armed,
        network,
      );
      if (!a) {
        // Read on this transaction's own connection: a second pool connection while holding the
        // incident lock could starve the pool under a burst of racing requests.
        const holder = await m.findOne(Assignment, { where: { world, unitId, status: In([...ACTIVE_ASSIGNMENT_STATUSES]) } });
        const current = await m.findOneByOrFail(Unit, { world, id: unitId });
        throw new StateConflict(
          `unit ${unitId} is ${current.status}${holder ? ` on incident ${holder.incidentId}` : ''}: not available`,
          { status: current.status, incidentId: holder?.incidentId ?? null },
        );
      }
      if (viaRequest) await viaRequest(m, a);
      if (incident.status === 'received') await m.update(Incident, { id: incident.id }, { status: 'dispatched', dispatchedAt: when });
      // A dispatcher's own unit ends a hold on automatic dispatch (crews that did not acknowledge).
      if (!incident.autoDispatch) await m.update(Incident, { id: incident.id }, { autoDispatch: true, lastError: null });
      await this.appendIncidentUpdated(m, incident.id, when, actor);
      return assignmentView(a);
    });
    await this.deadlines.scheduleDeadlines(armed);
    return view;
  }

  /**
   * A commanding tier asks the tier above for extra units without handing over command (a street
   * asking its district): the requested capabilities are filled with the nearest dispatchable units
   * of the parent tier's subtree (the city's when the incident is already commanded by the city);
   * what that tier cannot fill is asked of the next tier up, to the city; and
   * `incident.resources_requested` records the request and its outcome.
   * A capability of an agency dispatched by request (police) is asked of that agency's post instead.
   * @param capabilities one entry per unit wanted, e.g. `['engine', 'engine', 'truck']`
   * @param slotPrefix prefix of the requests' slots (`alarm2-`); defaults to one unique to this request
   * @returns the units sent (ETA seconds), the capabilities no unit could fill, and the requests made to other agencies' posts
   * @throws NotFound for an unknown incident
   * @throws StateConflict (409) when the incident is not open
   */
  async requestResources(incidentId: string, capabilities: string[], reason: string, actor: string, slotPrefix = `rr${Date.now().toString(36)}-`) {
    return this.sendUnits(incidentId, capabilities, reason, actor, 'parent', null, slotPrefix);
  }

  /**
   * Replaces a task taken back from a unit that did not acknowledge: one unit of the slot's
   * capability from the incident's commanding tier (after the escalation the timer made, that is
   * the tier above the one that failed), and from the tiers above when it has none. Recorded like
   * a resource request (`incident.resources_requested` with the coded reason `not_acknowledged`,
   * `replacesUnitId` and `replacesAssignmentId`, which the console words). At most one replacement per task (a unique
   * index): running it again sends nothing. When no unit is found and none is left on the
   * incident, it goes back to `received` and waits for the next unit to free up.
   * @param releasedId the assignment taken back
   * @returns the unit sent and what could not be filled, as {@link requestResources}; null when the
   *   incident is no longer open or the task was already replaced
   * @throws NotFound for an unknown assignment
   */
  async replaceTask(releasedId: string, actor: string) {
    const released = await this.ds.getRepository(Assignment).findOneBy({ id: releasedId });
    if (!released) throw new NotFound('assignment', releasedId);
    const incident = await this.ds.getRepository(Incident).findOneByOrFail({ id: released.incidentId });
    if (!isOpenIncident(incident.status)) return null;
    return this.sendUnits(incident.id, [released.capability], 'not_acknowledged', actor, 'commanding', { assignmentId: released.id, unitId: released.unitId });
  }

  private async sendUnits(
    incidentId: string,
    asked: string[],
    reason: string,
    actor: string,
    source: 'parent' | 'commanding',
    replaces: { assignmentId: string; unitId: string } | null = null,
    slotPrefix = '',
  ) {
    const replacesId = replaces?.assignmentId ?? null;
    const incident0 = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!incident0) throw new NotFound('incident', incidentId);
    // Capabilities of agencies dispatched by request become requests to their posts (slots `<prefix><capability>-<n>`).
    const { direct: capabilities, requested } = splitByDispatchMode(asked, this.chain.agencyRules);
    const tier: Tier = currentTier(incident0);
    const from: Tier = source === 'commanding' ? tier : (parentTier(tier) ?? tier);
    const jid = this.chain.jurisdictionAt(incident0, from);
    const { candidates, byId, network } = await this.candidates(incident0, capabilities);
    // The tier above fills what it can; what it cannot goes one tier further up, up to the city.
    const fill: PlanFill = { chosen: [], unfilled: [] };
    let wanted = capabilities;
    for (let t: Tier | null = from; t && wanted.length; t = parentTier(t)) {
      const scopeTier = t;
      const scopeId = this.chain.jurisdictionAt(incident0, scopeTier);
      const taken = new Set(fill.chosen.map((c) => c.unitId));
      const step = fillPlanNearest(
        wanted,
        candidates.filter((c) => !taken.has(c.unitId) && this.chain.inScope(byId.get(c.unitId)!.unit.homeStreetId, scopeTier, scopeId)),
      );
      fill.chosen.push(...step.chosen.map((c) => (scopeTier === from ? c : { ...c, reason: `${c.reason}; from the ${scopeTier}: none left in the ${from}` })));
      wanted = step.unfilled;
    }
    fill.unfilled = wanted;
    const armed: (ArmedDeadline | null)[] = [];
    const result = await this.ds.transaction(async (m) => {
      const incident = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw new NotFound('incident', incidentId);
      if (replacesId && (!isOpenIncident(incident.status) || (await m.countBy(Assignment, { replacesId })))) return null;
      if (!isOpenIncident(incident.status)) throw new StateConflict(`incident is ${incident.status}: no unit can be requested`, incident.status);
      const when = this.clock.timeFor(incident);
      const sent: DispatchResult['dispatched'] = [];
      for (const choice of fill.chosen) {
        const { unit, node } = byId.get(choice.unitId)!;
        const a = await this.assign(m, incident, { unit, node, ...choice, reason: `requested from ${from} ${jid}: ${choice.reason}` }, when, actor, armed, network, replacesId);
        if (!a) continue;
        sent.push({ unitId: unit.id, capability: choice.capability, etaSeconds: choice.etaSeconds });
      }
      const unfilled = capabilities.slice();
      for (const s of sent) unfilled.splice(unfilled.indexOf(s.capability), 1);
      const ask = (a: Agency) => ackTimeoutFor(this.chain.agencyRules, a, this.chain.policy.ackTimeoutS);
      const requestedOf = (await openAgencyRequests(m, this.events, incident, requested, when, ask, this.index.chain(incident.streetId), slotPrefix)).map((r) => ({ id: r.id, agency: r.agency, capability: r.capability }));
      if (sent.length && incident.status === 'received') await m.update(Incident, { id: incidentId }, { status: 'dispatched', dispatchedAt: when });
      if (sent.length && !incident.autoDispatch && !replacesId) await m.update(Incident, { id: incidentId }, { autoDispatch: true, lastError: null });
      if (!sent.length && replacesId && incident.status === 'dispatched' && !(await m.countBy(Assignment, { incidentId, status: In([...ACTIVE_ASSIGNMENT_STATUSES]) }))) {
        // Nobody left on the incident and nobody to send: it waits for the next unit to free up.
        await m.update(Incident, { id: incidentId }, { status: 'received', lastError: `unfilled: ${unfilled.join(', ')} (no unit to replace an unacknowledged task)` });
      }
      await this.events.append(m, {
        type: 'incident.resources_requested',
        incidentId,
        jurisdictionIds: this.index.chain(incident.streetId),
        at: when,
        actor,
        payload: {
          incidentId,
          fromTier: tier,
          toTier: from,
          toJurisdictionId: jid,
          reason,
          ...(replaces ? { replacesUnitId: replaces.unitId, replacesAssignmentId: replaces.assignmentId } : {}),
          requested: asked,
          sent,
          unfilled,
          agencyRequests: requestedOf,
        },
      });
      await this.appendIncidentUpdated(m, incidentId, when, actor);
      return { fromTier: from, jurisdictionId: jid, sent, unfilled, agencyRequests: requestedOf };
    });
    await this.deadlines.scheduleDeadlines(armed);
    return result;
  }

  /**
   * Strikes a further alarm (a second alarm, ...): sends the units that alarm level of the response
   * plan adds, from the tier above (and up, as {@link requestResources}), and hands command to the
   * tier the plan names for that level when it is higher (`escalation` with reason `alarm`).
   * @param level 2 or more
   * @throws NotFound / StateConflict (409) when the incident is not open or the plan has no such level
   */
  async strikeAlarm(incidentId: string, level: number, actor: string) {
    const incident = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!incident) throw new NotFound('incident', incidentId);
    const plan = await this.planOf(incident.type);
    const alarm = alarmsOf(plan).find((a) => a.level === level);
    if (!alarm) throw new StateConflict(`the ${incident.type} response plan has no alarm level ${level}`, { levels: alarmsOf(plan).map((a) => a.level) });
    const current: Tier = currentTier(incident);
    const target = alarm.commandingTier;
    if (TIERS.indexOf(target) > TIERS.indexOf(current)) {
      await this.ds.transaction(async (m) => {
        const locked = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
        if (!locked) return;
        await this.chain.move(m, locked, { reason: 'alarm', detail: `alarm ${level} struck`, key: `alarm-${incidentId}-${level}`, actor, at: this.clock.timeFor(locked), toTier: target });
      });
    }
    const sent = await this.requestResources(incidentId, planSlots({ slots: alarm.slots }), `alarm ${level}`, actor, `alarm${level}-`);
    return { level, commandingTier: TIERS.indexOf(target) > TIERS.indexOf(current) ? target : current, ...sent };
  }

  /**
   * Takes a unit for an incident inside the caller's transaction: one conditional UPDATE moves the
   * unit from a dispatchable status to `dispatched` (bumping its version), then the assignment and
   * its events are written; a live incident's task gets its acknowledgement deadline, pushed on
   * `armed` (schedule after commit). A unique violation (another transaction assigned it first)
   * rolls back to a savepoint and answers null like a lost update does.
   * @returns the assignment, or null when the unit was no longer available
   */
  private async assign(
    m: EntityManager,
    incident: Incident,
    c: UnitChoice,
    when: Date,
    actor: string,
    armed: (ArmedDeadline | null)[],
    network: RoadNetwork,
    replacesId: string | null = null,
  ): Promise<Assignment | null> {
    await m.query('SAVEPOINT assign_unit');
    const taken = await m
      .createQueryBuilder()
      .update(Unit)
      .set({ status: 'dispatched' })
      .where('world = :world AND id = :id AND status IN (:...ok)', { world: c.unit.world, id: c.unit.id, ok: DISPATCHABLE_UNIT_STATUSES })
      .execute();
    if (!taken.affected) return null;
    const route = network.routeToApproach(c.node, network.approach(incident.lat, incident.lon, accessOptionsOf(incident)));
    const turnout = this.travel.turnoutOf(c.unit.unitType);
    let a: Assignment;
    try {
      a = await m.save(
        m.create(Assignment, {
          incidentId: incident.id,
          unitId: c.unit.id,
          world: c.unit.world,
          capability: c.capability,
          status: 'dispatched',
          // ETA = the unit type's turnout + modelled travel (the choice's etaSeconds), shown apart.
          etaSeconds: Number.isFinite(c.etaSeconds) ? turnout + c.etaSeconds : -1,
          turnoutSeconds: turnout,
          routeMetres: route?.metres ?? 0,
          route: route?.geometry ?? null,
          dispatchedAt: when,
          statusAt: when,
          acknowledgedAt: null,
          enRouteAt: null,
          onSceneAt: null,
          transportingAt: null,
          atHospitalAt: null,
          clearedAt: null,
          replacesId,
        }),
      );
    } catch (e) {
      if ((e as { code?: string }).code !== '23505') throw e;
      await m.query('ROLLBACK TO SAVEPOINT assign_unit');
      return null;
    }
    const chain = this.index.chain(incident.streetId);
    await this.events.append(m, {
      type: 'assignment.created',
      incidentId: incident.id,
      unitId: c.unit.id,
      jurisdictionIds: chain,
      at: when,
      actor,
      payload: { incidentId: incident.id, assignment: assignmentView(a), reason: c.reason, runnerUp: c.runnerUp, tier: incident.commandingTier as CommandTier },
    });
    await this.events.append(m, {
      type: 'unit.status',
      incidentId: incident.id,
      unitId: c.unit.id,
      jurisdictionIds: chain,
      at: when,
      actor,
      payload: { unitId: c.unit.id, status: 'dispatched', lat: c.unit.lat, lon: c.unit.lon },
    });
    if (!incident.exercise) armed.push(await this.deadlines.arm(m, { kind: 'ack', incidentId: incident.id, assignmentId: a.id, revision: incident.revision }));
    return a;
  }

  /**
   * Dispatchable units with a capability the plan (or a waiting incident's) needs, with their road
   * ETA to the incident on the network the incident routes on (live, or its drill's with the drill's
   * closures). `candidates` are the units able to fill this incident's slots; with `joint`, `waiting`
   * lists the more urgent waiting incidents that one of these units could serve, and `etaOf(incidentId,
   * unitId)` answers seconds (Infinity when unreachable) to this incident and every waiting one.
   */
  private async candidates(incident: Incident, slots: string[], joint = false) {
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
    const units = await this.ds.getRepository(Unit).find({ where: { world, status: In([...DISPATCHABLE_UNIT_STATUSES]) }, order: { id: 'ASC' } });
    return units.filter((u) => dispatchModeOf(this.chain.agencyRules, u.agency) === 'direct');
  }

  /**
   * Road ETAs of `units` able to fill any capability in `needed` (`capable`) to each of `incidents`,
   * on the network the world routes on (live, or the drill's with its closures): one one-to-many
   * search per incident, to its access point (or beside a closure that cuts it off, issue 18), turned
   * into the travel model's travel time for the unit's type and the incident's response mode (issue 20).
   * A unit whose only fix is stale is ranked from its station (live world only).
   * @param world the incidents' world (`drillId` null: live)
   * @returns `etaOf(incidentId, unitId)` in seconds (Infinity when unreachable or not listed), `byId`
   *   (unit and its snapped node), `from` (ranking positions) and the network
   */
  async etaTable(world: { drillId: string | null; exercise: boolean }, units: readonly Unit[], incidents: readonly Incident[], needed: ReadonlySet<string>) {
    const network = await this.closures.networkFor(world.drillId);
    const capable = units.filter((u) => u.capabilities.some((c) => needed.has(c)));
    const from = await this.avl.rankingPositions(capable, world.exercise ? null : new Date());
    const sources = capable.map((u) => network.snap(from.get(u.id)!.lat, from.get(u.id)!.lon).node);
    const column = new Map(capable.map((u, i) => [u.id, i]));
    const rows = new Map<string, Float64Array>();
    for (const i of incidents) {
      const graph = network.travelTimesToApproach(network.approach(i.lat, i.lon, accessOptionsOf(i)), sources);
      rows.set(i.id, Float64Array.from(graph, (g, k) => this.travel.eta(g, i.priority === 1, capable[k].unitType).travelS));
    }
    const byId = new Map(capable.map((u, i) => [u.id, { unit: u, node: sources[i] }]));
    const etaOf = (incidentId: string, unitId: string) => rows.get(incidentId)?.[column.get(unitId)!] ?? Infinity;
    return { network, capable, byId, from, etaOf, rows };
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
    const active = await this.ds.getRepository(Assignment).find({ where: { incidentId: In(incidents.map((o) => o.id)), status: In([...ACTIVE_ASSIGNMENT_STATUSES]) } });
    const plans = await this.plans.all();
    const out: WaitingIncident[] = [];
    for (const o of incidents) {
      const left = unfilledSlots(splitByDispatchMode(planSlots(planFor(plans, o.type)), this.chain.agencyRules).direct, active.filter((a) => a.incidentId === o.id).map((a) => a.capability));
      if (left.length) out.push({ incident: o, slots: left });
    }
    return out;
  }

  private async appendIncidentUpdated(m: EntityManager, incidentId: string, at: Date, actor: string): Promise<void> {
    const view = await this.incidents.view(incidentId, m);
    await this.events.append(m, {
      type: 'incident.updated',
      incidentId,
      jurisdictionIds: this.index.chain(view.street?.id ?? null),
      at,
      actor,
      payload: view,
    });
  }

  /** The slots of a call type's plan that agencies dispatched by request (police, the utilities) fill, each with its agency. */
  async requestedSlotsOf(callType: string): Promise<{ capability: string; agency: Agency }[]> {
    return splitByDispatchMode(planSlots(await this.planOf(callType)), this.chain.agencyRules).requested;
  }

  private planOf(callType: string): Promise<ResponsePlan> {
    return this.plans.of(callType);
  }
}
