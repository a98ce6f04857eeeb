import { Agency, assessCoverage, CodedLastError, currentTier, heldReason, parentTier, planSlots, splitByDispatchMode, Tier } from '@cad/domain';
import { allocateIncidents, AllocationIncident, Candidate, fillPlanNearest, PlanFill, RoadNetwork } from '@cad/routing';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Incident, jsonbParam, readEntities, Unit } from '@cad/db';
import { NotFound } from '../common/errors';
import { faultPoint } from '../platform/fault-points';
import { ClockService } from '../platform/clock/clock.service';
import { QueuesService } from '../queues/queues.service';
import { staleFixReason } from '../assignments/avl.service';
import { CommandChainService, EscalationRequest } from '../command-chain/command-chain.service';
import { ArmedDeadline, DeadlinesService } from '../command-chain/deadlines.service';
import { recordedDrillPolicy, solvesJointly } from './drill-policy.store';
import { redispatchWaiting } from '../queues/redispatch';
import { DispatchCandidatesService } from './dispatch-candidates.service';
import { UnitAssignmentService } from './unit-assignment.service';

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

/** A unit the allocator chose for a slot, with why (and the runner-up), as recorded on the task. */
export interface ChosenUnit {
  capability: string;
  unitId: string;
  etaSeconds: number;
  reason: string;
  runnerUp: unknown;
}

/**
 * Why an incident got no unit, coded (its English words: `heldReasonText`), from the free units able to
 * fill its slots and their road ETAs to it (seconds; Infinity: no open road).
 * @param slots the plan slots left to fill, e.g. `['engine', 'truck']`
 * @param etas ETA of each free unit having one of the slots' capabilities
 * @param outranked true when a joint solution gave reachable units to more urgent incidents
 */
export function waitingReason(slots: readonly string[], etas: readonly number[], outranked: boolean): CodedLastError {
  const capabilities = slots.join(', ');
  if (!etas.length) return { code: 'no_unit_busy', params: { capabilities } };
  if (!etas.some(Number.isFinite)) return { code: 'no_unit_cut_off', params: { capabilities, count: etas.length } };
  return outranked ? { code: 'no_unit_outranked', params: { capabilities } } : { code: 'no_unit', params: { capabilities } };
}

/** The tier move of a decision's escalation `e`, keyed by incident, revision and starting tier (a repeat records nothing). */
function planMove(d: DecisionToCommit, e: DispatchResult['escalations'][number], at: Date): EscalationRequest & { toTier: Tier } {
  return { reason: 'plan_not_coverable', detail: e.detail, key: `plan-${d.incidentId}-r${d.revision}-${e.fromTier}`, actor: 'dispatch', at, toTier: e.toTier as Tier };
}

/** Why an incident that got no unit waits: the round's reason, else its slots named; with no slot, the agencies asked (`waitingFor`), else no plan. */
function heldWhy(d: DecisionToCommit, waitingFor: CodedLastError | null): CodedLastError {
  return d.slots.length ? (d.why ?? { code: 'no_unit', params: { capabilities: d.slots.join(', ') } }) : (waitingFor ?? { code: 'no_plan', params: {} });
}

/** True when an incident left without units waits on a `pending` deadline: it has slots, is live, and a tier above its own can take it. */
function waitsOnPendingDeadline(d: DecisionToCommit, incident: Incident): boolean {
  return d.slots.length > 0 && !incident.exercise && parentTier(d.tier) !== null;
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
  why?: CodedLastError;
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

/**
 * The dispatch job: fills an incident's response plan with units chosen by road travel time from the
 * commanding tier's own subtree, escalating up the chain first when that tier cannot cover the plan
 * within the NFPA 1710 travel targets, and records the assignments, unit and incident status changes,
 * the escalations and their events in one transaction. A unit chosen by hand is
 * `AssignByHandService`'s; units asked of a tier, `ResourceRequestsService`'s.
 */
@Injectable()
export class DispatchService {
  private readonly log = new Logger('Dispatch');
  /** Batches of held decisions recorded together, and those recorded decision by decision after their batch failed (since start). */
  readonly heldBatches = { together: 0, alone: 0 };

  constructor(
    private readonly ds: DataSource,
    private readonly chain: CommandChainService,
    private readonly deadlines: DeadlinesService,
    private readonly clock: ClockService,
    private readonly queues: QueuesService,
    private readonly candidates: DispatchCandidatesService,
    private readonly assignments: UnitAssignmentService,
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
   * @param read the incident as the caller just read it (saves reading it again); its decision is still
   *   committed only when the locked row is at `revision`
   */
  async dispatch(incidentId: string, revision: number, at?: Date, read?: Incident): Promise<DispatchResult> {
    const incident = read?.id === incidentId ? read : (await readEntities(this.ds, Incident, 'WHERE id = $1', [incidentId]))[0];
    if (!incident) throw new NotFound('incident', incidentId);
    const skipped: DispatchResult = { incidentId, dispatched: [], unfilled: [], tier: incident.commandingTier, escalations: [], skipped: true };
    if (incident.status !== 'received' || incident.revision !== revision || !incident.autoDispatch) return skipped;
    const plan = await this.candidates.planOf(incident);
    // Slots of agencies in `request` mode (police, the utilities) are asked of their own post, never filled here.
    const { direct: slots, requested } = splitByDispatchMode(planSlots(plan), this.chain.agencyRules);
    // Live dispatch, and a drill under the `optimised` policy, solve jointly with the more urgent
    // waiting incidents; a drill under `nearest` (the baseline) fills slot by slot nearest-first.
    const joint = !incident.exercise || solvesJointly(await recordedDrillPolicy(this.ds, incident.drillId));
    const { candidates, byId, network, etaOf, capable, waiting, from } = await this.candidates.candidates(incident, slots, joint);
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
    // A drill dispatches many times a second: its lines are debug, live dispatches stay at info.
    this.log[incident.exercise ? 'debug' : 'log'](`incident ${incidentId} (${tier}): dispatched ${result.done.map((d) => d.unitId).join(', ') || 'nothing'}${result.asked ? `; ${result.asked} unit(s) requested of other agencies` : ''}`);
    return { incidentId, dispatched: result.done, unfilled: result.unfilled, tier, escalations, skipped: false };
  }

  /**
   * True when a decision can go in a batch of held decisions ({@link commitHeldDecisions}): no unit
   * chosen, recorded as a decision (not units for an incident already waiting), and no slot asked of
   * another agency's post (those requests keep their own path).
   */
  static heldOnly(d: DecisionToCommit): boolean {
    return !d.chosen.length && !d.unitsOnly && d.requested !== undefined && d.requested.length === 0;
  }

  /**
   * Records a dispatch round's held decisions (no unit taken: waiting with a reason, after the
   * escalations the round found) in one transaction of a few statements, where each decision alone is a
   * transaction of about a dozen (issue 19: in a surge with the fleet busy nearly every decision is
   * held): the incidents locked in id order, their escalations in one INSERT (`recordMoves`), one UPDATE
   * of every incident (tier, revision, reason, decided revision), their `pending` deadlines in one
   * INSERT, and their views read once for all. What each incident ends with (rows, events and their
   * payloads) is what {@link commitDecision} writes for it; only the events' order differs (every
   * escalation of the batch, then every `incident.updated`). An incident no longer `received` at the
   * decision's revision, or decided at it already, is left alone (null), as there. When the batch's
   * transaction fails (a deadlock, an escalation recorded meanwhile), each decision is recorded alone.
   * @param list decisions with {@link heldOnly} true (others are recorded alone)
   * @returns per decision, in order: nothing sent, the slots left unfilled; null when the incident moved on
   */
  async commitHeldDecisions(
    list: readonly DecisionToCommit[],
    byId: ReadonlyMap<string, { unit: Unit; node: number; network?: RoadNetwork }>,
    network: RoadNetwork,
  ): Promise<({ done: DispatchResult['dispatched']; unfilled: string[]; asked: number } | null)[]> {
    const alone = async () => {
      const out = [];
      for (const d of list) out.push(await this.commitDecision(d, byId, network));
      return out;
    };
    if (list.length < 2 || !list.every(DispatchService.heldOnly)) return alone();
    let armed: ArmedDeadline[] = [];
    let results: ({ done: DispatchResult['dispatched']; unfilled: string[]; asked: number } | null)[];
    try {
      results = await this.ds.transaction((m) =>
        this.assignments.recordTogether(m, async () => {
          const ids = [...new Set(list.map((d) => d.incidentId))].sort();
          const rows = await readEntities(m, Incident, 'WHERE id = ANY($1) ORDER BY id FOR UPDATE', [ids]);
          const byIncident = new Map(rows.map((r) => [r.id, r]));
          const out: ({ done: DispatchResult['dispatched']; unfilled: string[]; asked: number } | null)[] = [];
          const kept: { d: DecisionToCommit; fresh: Incident; when: Date }[] = [];
          for (const d of list) {
            const fresh = byIncident.get(d.incidentId);
            const seen = kept.some((k) => k.d.incidentId === d.incidentId);
            if (seen || !fresh || fresh.status !== 'received' || fresh.revision !== d.revision || (fresh.decidedRevision !== null && fresh.decidedRevision >= d.revision)) {
              out.push(null);
              continue;
            }
            kept.push({ d, fresh, when: d.at ?? this.clock.timeFor(fresh) });
            out.push({ done: [], unfilled: [...d.unfilled], asked: 0 });
          }
          await this.chain.recordMoves(m, kept.flatMap(({ d, fresh, when }) => d.escalations.map((e) => ({ incident: fresh, req: planMove(d, e, when) }))));
          // No slot is asked of another agency's post in a batch (heldOnly): nothing to wait for but units.
          const reasons = kept.map(({ d }) => heldReason(heldWhy(d, null)));
          if (kept.length) {
            await m.query(
              `UPDATE incident AS i
                  SET commanding_tier = v.tier, commanding_jurisdiction_id = v.jid, revision = v.rev, decided_revision = v.rev,
                      last_error = v.err, last_error_code = v.code, last_error_params = v.params, updated_at = CURRENT_TIMESTAMP
                 FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::bigint[], $5::text[], $6::text[], $7::jsonb[]) AS v(id, tier, jid, rev, err, code, params)
                WHERE i.id = v.id`,
              [
                kept.map((k) => k.fresh.id),
                kept.map((k) => k.fresh.commandingTier),
                kept.map((k) => k.fresh.commandingJurisdictionId),
                kept.map((k) => k.fresh.revision),
                reasons.map((r) => r.lastError),
                reasons.map((r) => r.lastErrorCode),
                reasons.map((r) => (r.lastErrorParams === null ? null : JSON.stringify(r.lastErrorParams))),
              ],
            );
          }
          armed = await this.deadlines.armPendingMany(
            m,
            kept.filter(({ d, fresh }) => waitsOnPendingDeadline(d, fresh)).map(({ fresh }) => ({ incidentId: fresh.id, revision: fresh.revision })),
          );
          await this.assignments.appendIncidentsUpdated(m, kept.map(({ fresh, when }) => ({ incidentId: fresh.id, at: when })), 'dispatch');
          return out;
        }),
      );
    } catch (e) {
      this.heldBatches.alone++;
      this.log.warn(`a batch of ${list.length} held decisions failed (${(e as Error).message}): recording each alone`);
      return alone();
    }
    this.heldBatches.together++;
    await this.deadlines.scheduleDeadlines(armed);
    return results;
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
  async commitDecision(d: DecisionToCommit, byId: ReadonlyMap<string, { unit: Unit; node: number; network?: RoadNetwork }>, network: RoadNetwork): Promise<{ done: DispatchResult['dispatched']; unfilled: string[]; asked: number } | null> {
    const { incidentId, revision, escalations } = d;
    const armed: (ArmedDeadline | null)[] = [];
    // The decision's events (escalations, tasks, the update) go out in one INSERT at its end.
    const result = await this.ds.transaction((m) => this.assignments.recordTogether(m, async () => {
      const [fresh] = await readEntities(m, Incident, 'WHERE id = $1 FOR UPDATE', [incidentId]);
      if (!fresh || fresh.status !== 'received' || fresh.revision !== revision) return null;
      // Decided at this revision already (a twin round, a repeated job): nothing twice.
      const decided = fresh.decidedRevision !== null && fresh.decidedRevision >= revision;
      if (decided && !d.unitsOnly) return null;
      const when = d.at ?? this.clock.timeFor(fresh);
      for (const e of escalations) await this.chain.move(m, fresh, planMove(d, e, when));
      const done: DispatchResult['dispatched'] = [];
      for (const choice of d.chosen) {
        const { unit, node, network: own } = byId.get(choice.unitId)!;
        const a = await this.assignments.assign(m, fresh, { unit, node, network: own, ...choice }, when, 'dispatch', armed, network);
        if (!a) continue;
        done.push({ unitId: unit.id, capability: choice.capability, etaSeconds: choice.etaSeconds });
      }
      // Units for an incident already waiting: with none taken there is nothing new to record.
      if (d.unitsOnly && !done.length) return null;
      if (done.length) faultPoint('dispatch.assignments-written');
      // Slots of agencies in `request` mode are asked of their posts (one request per slot: a repeat is ignored).
      const requested = d.unitsOnly ? [] : (d.requested ?? (await this.candidates.requestedSlotsOf(fresh)));
      const asked = await this.assignments.requestOfAgencies(m, fresh, requested, when);
      const unfilled = [...d.unfilled, ...d.chosen.filter((c) => !done.some((x) => x.unitId === c.unitId)).map((c) => c.capability)];
      const waitingFor: CodedLastError | null = requested.length ? { code: 'agency_waiting', params: { agencies: [...new Set(requested.map((r) => r.agency))].join(', ') } } : null;
      // Decided at the revision it has now (an escalation above bumped it): a job for it does nothing.
      // One UPDATE for both (issue 19's profile: a round trip fewer per decision), in plain SQL (the same
      // statement `m.update` built: the builder's CPU was the cost on the decision's path).
      if (done.length) {
        const held = heldReason(unfilled.length ? { code: 'unfilled', params: { capabilities: unfilled.join(', ') } } : null);
        await m.query(
          `UPDATE incident SET status = 'dispatched', dispatched_at = $1, last_error = $2, last_error_code = $3, last_error_params = $4, decided_revision = revision, updated_at = CURRENT_TIMESTAMP WHERE id = $5`,
          [when, held.lastError, held.lastErrorCode, jsonbParam(held.lastErrorParams), incidentId],
        );
      } else {
        const held = heldReason(heldWhy(d, waitingFor));
        await m.query(
          `UPDATE incident SET last_error = $1, last_error_code = $2, last_error_params = $3, decided_revision = revision, updated_at = CURRENT_TIMESTAMP WHERE id = $4`,
          [held.lastError, held.lastErrorCode, jsonbParam(held.lastErrorParams), incidentId],
        );
      }
      // An incident whose plan only asks other agencies waits for their posts (each request has its own due time).
      if (!done.length && waitsOnPendingDeadline(d, fresh)) {
        armed.push(await this.deadlines.arm(m, { kind: 'pending', incidentId, revision: fresh.revision }));
      }
      await this.assignments.appendIncidentUpdated(m, incidentId, when, 'dispatch');
      return { done, unfilled, asked: asked.length };
    }));
    if (result) await this.deadlines.scheduleDeadlines(armed);
    return result;
  }
}

