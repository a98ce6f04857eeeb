import { assessCoverage, currentTier, LIVE_WORLD, parentTier, planRound, RoundPolicy, Tier, worldOf } from '@cad/domain';
import { RoundDecision, RoundProblemIncident, solveDispatchRound, TierScope } from '@cad/routing';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Incident, readEntities } from '@cad/db';
import { WaitingIncidentsReader } from './waiting-incidents.reader';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { ClockService } from '../platform/clock/clock.service';
import { recordedDrillPolicy, solvesJointly } from './drill-policy.store';
import { staleFixReason } from '../assignments/avl.service';
import { CommandChainService } from '../command-chain/command-chain.service';
import { DecisionToCommit, DispatchResult, DispatchService, waitingReason } from './dispatch.service';
import { DispatchCandidatesService, WaitingIncident } from './dispatch-candidates.service';

/** Held decisions of a round recorded per transaction (`DispatchService.commitHeldDecisions`): bounds the rows one transaction locks. */
const HELD_BATCH = 50;

/** Advisory-lock namespace of dispatch rounds (first argument of `pg_try_advisory_lock`; the world's hash is the second). */
export const ROUND_LOCK_NAMESPACE = 1919;

/** What one dispatch job (a trigger) did. */
export interface TriggerResult {
  incidentId: string;
  /** `round`: its world's rounds ran here; `busy`: another process's round of the world was running (it picks the work up);
   * `per-incident`: a drill under the `nearest` baseline; `skipped`: not waiting for dispatch at that revision, or decided already. */
  mode: 'round' | 'busy' | 'per-incident' | 'skipped';
  /** Rounds run by this job (0 unless `round`). */
  rounds: number;
  /** The per-incident dispatch's outcome (`per-incident` only). */
  dispatch?: DispatchResult;
}

/** What one round decided: how many incidents it solved, and the decisions it recorded (units sent, or waiting with a reason). */
export interface RoundOutcome {
  world: string;
  solved: number;
  deferred: number;
  recorded: { incidentId: string; outcome: RoundDecision['outcome']; units: string[]; escalations: number }[];
}

/**
 * Dispatch rounds: a round solves every incident of one world waiting for units (`received`, automatic
 * dispatch on) against every free unit of that world at once: priority classes with ageing
 * (`planRound`), then one minimum-cost assignment of road ETAs per class (`solveDispatchRound`), within
 * the command-chain tiers as a per-incident dispatch does (an incident due for a decision draws on its
 * commanding tier's units and escalates one tier at a time while its plan is not covered within the
 * NFPA 1710 targets; an incident already waiting may borrow from the tiers above). Rounds of a world run
 * back to back while an incident of it is due (never decided at its revision), bounded by a count of
 * incidents (`DISPATCH_ROUND_MAX_INCIDENTS`), so a drill replayed twice solves the same rounds.
 *
 * At most one round per world runs at a time, across every worker process: a session-level PostgreSQL
 * advisory lock (`ROUND_LOCK_NAMESPACE`, hash of the world) held on its own connection while the
 * rounds run. PostgreSQL rather than Redis: the lock guards writes to PostgreSQL, and PostgreSQL frees
 * it the moment the holder's connection dies (a crashed worker), so there is no lease to tune (a Redis
 * lock's TTL either lets a slow round overlap the next, or stalls the world after a crash). The lock is
 * an efficiency, not the safety: a unit is still taken by one conditional UPDATE under the partial
 * unique index, and an incident's decision by a row lock checked against its revision.
 *
 * Dispatch jobs stay as idempotent triggers: a job whose incident is no longer waiting at its revision,
 * or was decided at it already, does nothing; a job that finds its world's lock taken leaves the work
 * to the holder, which looks for due incidents again after it lets the lock go.
 */
@Injectable()
export class DispatchRoundService {
  private readonly log = new Logger('DispatchRound');
  /** The waiting incidents round after round: whole rows only for those new or changed since (issue 19). */
  readonly waiting: WaitingIncidentsReader;

  constructor(
    private readonly ds: DataSource,
    private readonly dispatch: DispatchService,
    private readonly candidates: DispatchCandidatesService,
    private readonly chain: CommandChainService,
    private readonly clock: ClockService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.waiting = new WaitingIncidentsReader(ds);
  }

  /** The round bounds from the configuration. */
  get policy(): RoundPolicy {
    return { maxIncidents: this.config.DISPATCH_ROUND_MAX_INCIDENTS, ageingSeconds: this.config.DISPATCH_ROUND_AGEING_S };
  }

  /**
   * A dispatch job for an incident at a revision: runs its world's rounds (live, and drills under the
   * `optimised` policy), or the per-incident dispatch for a drill under the `nearest` baseline.
   * Idempotent: nothing is decided twice for an incident no longer `received` at that revision, held
   * for a dispatcher, or decided at that revision already (by a round another job ran); such a job runs
   * rounds only when other incidents of its world are due (left by a worker that died mid-round).
   */
  async trigger(incidentId: string, revision: number): Promise<TriggerResult> {
    const [incident] = await readEntities(this.ds, Incident, 'WHERE id = $1', [incidentId]);
    const none: TriggerResult = { incidentId, mode: 'skipped', rounds: 0 };
    if (!incident) return none;
    const perIncident = incident.exercise && !solvesJointly(await recordedDrillPolicy(this.ds, incident.drillId));
    const mine = incident.status === 'received' && incident.revision === revision && incident.autoDispatch && isDue(incident);
    // Nothing for this incident; but a round that crashed (its lock freed with the connection) may have
    // left others of the world due: a trigger that finds them runs the rounds.
    if (!mine && (perIncident || !(await this.anyDue(worldOf(incident))))) return none;
    if (perIncident) return { incidentId, mode: 'per-incident', rounds: 0, dispatch: await this.dispatch.dispatch(incidentId, revision, undefined, incident) };
    const rounds = await this.runRounds(worldOf(incident));
    return rounds === null ? { incidentId, mode: 'busy', rounds: 0 } : { incidentId, mode: 'round', rounds: rounds.length };
  }

  /**
   * Runs a world's rounds back to back while one of its incidents is due, under the world's lock.
   * @param world `live` or a drill run id
   * @returns the rounds run, or null when another round of the world held the lock (its holder takes the work)
   */
  async runRounds(world: string): Promise<RoundOutcome[] | null> {
    const out: RoundOutcome[] = [];
    for (;;) {
      const got = await this.withWorldLock(world, async () => {
        // Incidents this run already decided, by the revision it saw: each is solved once per revision.
        const handled = new Map<string, number>();
        for (;;) {
          const r = await this.round(world, handled);
          if (!r) return;
          out.push(r);
        }
      });
      if (!got) return out.length ? out : null;
      // A job that found the lock taken just before it was let go left its incident to this holder.
      if (!(await this.anyDue(world))) return out;
    }
  }

  /** True when an incident of the world waits for a decision at its revision. */
  private async anyDue(world: string): Promise<boolean> {
    const [row] = await this.ds.query(`SELECT 1 FROM incident WHERE ${WAITING_IN_WORLD} AND ${DUE} LIMIT 1`, [world]);
    return !!row;
  }

  /** Runs `f` holding the world's round lock; false (without running it) when another session holds it. */
  private async withWorldLock(world: string, f: () => Promise<void>): Promise<boolean> {
    const qr = this.ds.createQueryRunner();
    await qr.connect();
    try {
      const [{ ok }]: { ok: boolean }[] = await qr.query(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok`, [ROUND_LOCK_NAMESPACE, world]);
      if (!ok) return false;
      try {
        await f();
      } finally {
        await qr.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [ROUND_LOCK_NAMESPACE, world]);
      }
      return true;
    } finally {
      await qr.release();
    }
  }

  /**
   * One round of a world (caller holds its lock): the waiting incidents not yet handled at their
   * revision, planned by class with ageing and bounded by count; solved; escalated tier by tier where a
   * due incident's plan is not covered; then each decision recorded in round order. An incident already
   * waiting that the round gives no unit is left as it is (nothing new to say).
   * @returns null when no unhandled incident of the world is due
   */
  private async round(world: string, handled: Map<string, number>): Promise<RoundOutcome | null> {
    const units = await this.candidates.freeUnits(world);
    // With no free unit in the world an incident already waiting can be given nothing, and the round
    // records nothing for it: only the due ones are read (in a surge with the fleet busy the waiting
    // list grows with every call, and each round read all of it).
    const where = units.length ? WAITING_IN_WORLD : `${WAITING_IN_WORLD} AND ${DUE}`;
    const rows = await this.waiting.read(world, where);
    const open = rows.filter((i) => handled.get(i.id) !== i.revision);
    if (!open.some(isDue)) return null;
    // An incident already decided at its revision that no free unit could serve (none offers a slot it
    // still needs) can be given nothing: it is left out of the round, as if handled (in a surge the free
    // units are those nobody waiting needs, and each round solved every waiting incident again for nothing).
    const offered = new Set(units.flatMap((u) => u.capabilities));
    const waiting = (await this.candidates.withSlotsLeft(open)).filter((w) => isDue(w.incident) || w.slots.some((c) => offered.has(c)));
    // A due incident with nothing left for this world's units to fill needs no round; one whose plan only
    // names agencies dispatched by request (police) still has its decision recorded: asked of their posts.
    const inRound = new Set(waiting.map((w) => w.incident.id));
    for (const i of open) {
      if (inRound.has(i.id)) continue;
      handled.set(i.id, i.revision);
      if (isDue(i) && (await this.candidates.requestedSlotsOf(i)).length) await this.dispatch.dispatch(i.id, i.revision);
    }
    if (!waiting.length) return { world, solved: 0, deferred: 0, recorded: [] };
    const byIncident = new Map(waiting.map((w) => [w.incident.id, w]));
    const latest = Math.max(...waiting.map((w) => w.incident.receivedAt.getTime()));
    // Drills plan on their simulated clock (never before the latest call); live on the wall clock.
    const now = this.clock.timeFor({ exercise: world !== LIVE_WORLD, drillId: world === LIVE_WORLD ? null : world, receivedAt: new Date(latest) });
    const plan = planRound(
      waiting.map((w) => ({ id: w.incident.id, priority: w.incident.priority, waitingSinceMs: w.incident.receivedAt.getTime() })),
      now.getTime(),
      this.policy,
    );
    const chosen = plan.incidents.map((ri) => byIncident.get(ri.id)!);
    const table = await this.candidates.etaTable(
      chosen[0].incident,
      units,
      chosen.map((w) => w.incident),
      new Set(chosen.flatMap((w) => w.slots)),
    );
    const homeOf = (u: string) => table.byId.get(u)?.unit.homeStreetId ?? null;
    const allocUnits = table.capable.map((u) => ({ id: u.id, capabilities: u.capabilities }));
    // Due incidents draw on their commanding tier and escalate while not covered, as a per-incident dispatch does.
    const tierOf = new Map<string, Tier>(chosen.filter((w) => isDue(w.incident)).map((w) => [w.incident.id, currentTier(w.incident)]));
    const escalations = new Map<string, DispatchResult['escalations']>([...tierOf.keys()].map((id) => [id, []]));
    let decisions: RoundDecision[];
    for (;;) {
      const problem: RoundProblemIncident[] = plan.incidents.map((ri) => {
        const w = byIncident.get(ri.id)!;
        const tier = tierOf.get(ri.id);
        const scopes: TierScope[] = tier ? [this.scopeAt(w, tier, homeOf)] : this.chain.scopesOf(w.incident, homeOf);
        return { ...ri, slots: w.slots, scopes };
      });
      decisions = solveDispatchRound(problem, allocUnits, table.etaOf);
      let moved = false;
      for (const d of decisions) {
        const tier = tierOf.get(d.incidentId);
        if (!tier) continue;
        const verdict = assessCoverage(
          // Each chosen unit is held to its own agency's target (issue 21).
          { slots: [...d.assigned.map((a) => ({ capability: a.capability, etaSeconds: a.etaSeconds, agency: table.byId.get(a.unitId)?.unit.agency })), ...d.unfilled.map((u) => ({ capability: u.capability, etaSeconds: null }))] },
          this.chain.policy,
        );
        const up = parentTier(tier);
        if (verdict.covered || !up) continue;
        escalations.get(d.incidentId)!.push({ fromTier: tier, toTier: up, detail: verdict.detail });
        tierOf.set(d.incidentId, up);
        moved = true;
      }
      if (!moved) break;
    }

    const outcome: RoundOutcome = { world, solved: plan.incidents.length, deferred: plan.deferred.length, recorded: [] };
    const size = plan.incidents.length;
    const held: { d: RoundDecision; decision: DecisionToCommit }[] = [];
    for (const d of decisions) {
      const w = byIncident.get(d.incidentId)!;
      handled.set(d.incidentId, w.incident.revision);
      const tier = tierOf.get(d.incidentId);
      if (!tier && !d.assigned.length) continue;
      const across = size > 1 ? ` (dispatch round of ${size} incidents, class ${d.roundClass})` : '';
      const decision: DecisionToCommit = {
        incidentId: d.incidentId,
        revision: w.incident.revision,
        escalations: escalations.get(d.incidentId) ?? [],
        chosen: d.assigned.map((a) => ({
          capability: a.capability,
          unitId: a.unitId,
          etaSeconds: a.etaSeconds,
          reason: [`min-cost assignment${across}: ${a.reason.text}`, staleFixReason(table.from.get(a.unitId))].filter(Boolean).join('; '),
          runnerUp: a.runnerUp ? { unitId: a.runnerUp.unitId, etaSeconds: a.runnerUp.etaSeconds } : null,
        })),
        unfilled: d.unfilled.map((u) => u.capability),
        slots: w.slots,
        // From the plans the round read (an incident whose priority changed since is at another revision: left alone).
        requested: w.requested,
        why: d.assigned.length ? undefined : waitingReason(w.slots, table.capable.filter((u) => u.capabilities.some((c) => w.slots.includes(c))).map((u) => table.etaOf(w.incident.id, u.id)), size > 1),
        tier: tier ?? currentTier(w.incident),
        unitsOnly: !tier,
      };
      // Held decisions (no unit) are recorded together after the round's dispatches (issue 19: a surge's
      // decisions are nearly all held, each its own transaction before).
      if (DispatchService.heldOnly(decision)) {
        held.push({ d, decision });
        continue;
      }
      const r = await this.dispatch.commitDecision(decision, table.byId, table.network);
      if (r) outcome.recorded.push({ incidentId: d.incidentId, outcome: d.outcome, units: r.done.map((x) => x.unitId), escalations: escalations.get(d.incidentId)?.length ?? 0 });
    }
    for (let k = 0; k < held.length; k += HELD_BATCH) {
      const part = held.slice(k, k + HELD_BATCH);
      const rs = await this.dispatch.commitHeldDecisions(part.map((h) => h.decision), table.byId, table.network);
      rs.forEach((r, j) => {
        const { d } = part[j];
        if (r) outcome.recorded.push({ incidentId: d.incidentId, outcome: d.outcome, units: [], escalations: escalations.get(d.incidentId)?.length ?? 0 });
      });
    }
    // A drill runs rounds every simulated step: its lines are debug, live rounds stay at info.
    this.log[world === LIVE_WORLD ? 'log' : 'debug'](`round of ${world}: ${size} solved (${plan.deferred.length} deferred), ${outcome.recorded.filter((x) => x.units.length).length} sent units`);
    return outcome;
  }

  /** The units an incident may draw on at one tier: those based in that tier's jurisdiction around it. */
  private scopeAt(w: WaitingIncident, tier: Tier, homeOf: (unitId: string) => string | null): TierScope {
    const jid = this.chain.jurisdictionAt(w.incident, tier);
    return { tier, allows: (u: string) => this.chain.inScope(homeOf(u), tier, jid) };
  }
}

/** SQL: incidents of world `$1` waiting for automatic dispatch (live: real incidents only; a drill: its own). */
export const WAITING_IN_WORLD = `status = 'received' AND auto_dispatch AND COALESCE(drill_id, '${LIVE_WORLD}') = $1 AND (drill_id IS NOT NULL OR NOT exercise)`;
/** SQL: never decided at its current revision. */
const DUE = `(decided_revision IS NULL OR decided_revision < revision)`;

/** True when the incident waits for a dispatch decision at its current revision. */
function isDue(i: Incident): boolean {
  return i.decidedRevision === null || i.decidedRevision < i.revision;
}
