import { silentFleetHoldText, SILENT_FLEET_HOLD } from '@cad/domain/held-reasons';
import { ackTimeoutFor, ACTIVE_ASSIGNMENT_STATUSES, Agency, AgencyRules, agencyTravelTargets, childTier, isOpenIncident, DEFAULT_ESCALATION_POLICY, EscalationPolicy, currentTier, JurisdictionIndex, parentTier, Tier, TIERS } from '@cad/domain';
import type { TierScope } from '@cad/routing';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Assignment, Deadline, Escalation, Incident, readCityProfile } from '@cad/db';
import { NotFound, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from '../events/events.service';
import { QueuesService } from '../queues/queues.service';
import { transactionRetried } from '../platform/transaction-retried';
import { IncidentsService } from './incidents.service';
import { isAckKind, raiseAckAlert } from './ack-alert';
import { releaseTask } from './release-task';

/** What to record when an incident moves in the chain. */
export interface EscalationRequest {
  /** `plan_not_coverable`, `not_acknowledged`, `no_unit_in_time`, `manual`, `deescalated`. */
  reason: string;
  detail: string;
  /** Business key of the cause: unique, so the same cause escalates once however often it runs. */
  key: string;
  actor: string;
  /** When it happened (simulated time in a drill). */
  at: Date;
  /** Target tier; defaults to the parent of the current tier. */
  toTier?: Tier;
}

/** A deadline armed inside a transaction, whose delayed job is added after commit. */
export interface ArmedDeadline {
  id: string;
  dueAt: Date;
}

/** Units that may replace one plan slot automatically after its units failed to acknowledge. */
export const MAX_REPLACEMENTS = 2;

/**
 * Marks the hold the silent-fleet guard puts on an incident (in `incident.last_error`): it ends by
 * itself once every task of the incident has been acknowledged (the phones are back).
 */
export const SILENCE_HOLD = SILENT_FLEET_HOLD;

/** Outcome of firing one deadline. */
export interface FiredDeadline {
  /**
   * `fired` (acted), `void` (no longer relevant), `skipped` (already handled or unknown), `held`
   * (an acknowledgement deadline that fell due in an outage waits the grace: still pending).
   */
  outcome: 'fired' | 'void' | 'skipped' | 'held';
  /** For `held`: when to try again. */
  heldUntil?: Date;
  /**
   * A task taken back for want of acknowledgement that another unit should replace (one unit of
   * its `capability`, from the commanding tier): absent past MAX_REPLACEMENTS for the slot.
   */
  replace?: { assignmentId: string; capability: string; releasedUnitId: string };
  kind?: DeadlineKind;
  /** A second acknowledgement deadline armed by the alert (`ack_final`): add its job after commit. */
  armed?: ArmedDeadline | null;
  /** The incident's priority (orders a follow-up dispatch job). */
  priority?: number;
  /** The incident's new revision when the deadline escalated it (queue a dispatch at it). */
  escalatedRevision?: number;
  incidentId?: string;
}

/**
 * Kinds of deadline: `ack` (a task's first acknowledgement timeout: under the `alert-first` policy it
 * alerts the dispatcher), `ack_final` (the second timeout after that alert: replace and escalate),
 * `pending` (an incident left without units).
 */
export type DeadlineKind = 'ack' | 'ack_final' | 'pending';

/**
 * Decides whether an acknowledgement deadline due at `dueAt` must wait (an outage kept crews from
 * reporting): the time to try again, or null to fire now (see `OutagesService.ackHold`).
 */
export type AckHold = (dueAt: Date) => Promise<Date | null>;

/**
 * The three-tier command chain: which units a tier may draw on, escalation and de-escalation with
 * their reasons, and the durable deadlines (acknowledgement, pending) that escalate an incident
 * when nobody acts in time.
 */
@Injectable()
export class CommandChainService {
  private readonly log = new Logger('CommandChain');
  /** Escalation time limits (NFPA 1710 travel targets; ack and pending limits from config). */
  readonly policy: EscalationPolicy;
  /** Units the timer may keep out of service for silence at once (see `AppConfig.SILENT_UNIT_LIMIT`). */
  private readonly silentUnitLimit: number;
  /** Seconds between tries for a live incident waiting for units at the top tier (`WAITING_RETRY_S`). */
  private readonly waitingRetryS: number;
  /** Each agency's rules from the city profile (acknowledgement timeouts, travel targets, dispatch mode). */
  readonly agencyRules: Partial<Record<Agency, AgencyRules>>;
  /** What the first acknowledgement timeout does (see `AppConfig.ACK_POLICY`). */
  private readonly ackPolicy: AppConfig['ACK_POLICY'];

  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly queues: QueuesService,
    @Inject(AppConfig) config: AppConfig,
    private readonly clock: ClockService,
    private readonly incidents: IncidentsService,
  ) {
    this.silentUnitLimit = config.SILENT_UNIT_LIMIT;
    this.waitingRetryS = config.WAITING_RETRY_S;
    this.ackPolicy = config.ACK_POLICY;
    this.agencyRules = readCityProfile(config.CITY_PROFILE).agencies;
    this.policy = {
      ...DEFAULT_ESCALATION_POLICY,
      firstEngineTravelS: config.FIRST_ENGINE_TRAVEL_S,
      fullFirstAlarmTravelS: config.FULL_ALARM_TRAVEL_S,
      ackTimeoutS: config.ACK_TIMEOUT_S,
      pendingTimeoutS: config.PENDING_TIMEOUT_S,
      // Each agency's own first-unit target (fire's is FIRST_ENGINE_TRAVEL_S, which the profile sets).
      agencyTravelS: agencyTravelTargets(this.agencyRules),
    };
  }

  /** The jurisdiction that commands an incident at `tier` (its street, its district, or the city). */
  jurisdictionAt(incident: Pick<Incident, 'streetId' | 'districtId' | 'cityId'>, tier: Tier): string {
    if (tier === 'street' && incident.streetId) return incident.streetId;
    if (tier !== 'city' && incident.districtId) return incident.districtId;
    return incident.cityId;
  }

  /**
   * True when a unit based in street `homeStreetId` belongs to the subtree of jurisdiction `jurisdictionId`
   * at `tier`: a street draws on its own units, a district on all its streets' units, the city on all.
   */
  inScope(homeStreetId: string | null, tier: Tier, jurisdictionId: string): boolean {
    if (tier === 'city') return true;
    if (!homeStreetId) return false;
    if (tier === 'street') return homeStreetId === jurisdictionId;
    return this.index.chain(homeStreetId).includes(jurisdictionId);
  }

  /**
   * The allocator's scopes for an incident: its commanding tier's subtree, then its parents' (the
   * allocator widens only for slots the narrower tier cannot fill).
   * @param homeOf a unit's home street id (null when it has none)
   */
  scopesOf(incident: Pick<Incident, 'commandingTier' | 'streetId' | 'districtId' | 'cityId'>, homeOf: (unitId: string) => string | null): TierScope[] {
    const out: TierScope[] = [];
    for (let tier: Tier | null = currentTier(incident); tier; tier = parentTier(tier)) {
      const t = tier;
      const jid = this.jurisdictionAt(incident, t);
      out.push({ tier: t, allows: (unitId: string) => this.inScope(homeOf(unitId), t, jid) });
    }
    return out;
  }

  /**
   * Moves an incident to another tier inside the caller's transaction: records an `escalation` row
   * (unique by `req.key`), sets the commanding tier and jurisdiction, bumps the revision and appends
   * `incident.escalated` (or `incident.deescalated`). The incident must be locked by the caller.
   * @returns the escalation, or null when there is no tier to go to or the key was already recorded
   */
  async move(m: EntityManager, incident: Incident, req: EscalationRequest): Promise<Escalation | null> {
    const from = currentTier(incident);
    const to = req.toTier ?? parentTier(from);
    if (!to || to === from) return null;
    const toJurisdictionId = this.jurisdictionAt(incident, to);
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(Escalation)
      .values({
        incidentId: incident.id,
        key: req.key,
        fromTier: from,
        toTier: to,
        toJurisdictionId,
        reason: req.reason,
        detail: req.detail,
        actor: req.actor,
        at: req.at,
      })
      .orIgnore()
      .returning('id')
      .execute();
    if (!inserted.raw?.length) return null;
    incident.commandingTier = to;
    incident.commandingJurisdictionId = toJurisdictionId;
    incident.revision += 1;
    await m.update(Incident, { id: incident.id }, { commandingTier: to, commandingJurisdictionId: toJurisdictionId, revision: incident.revision });
    const escalation = await m.findOneByOrFail(Escalation, { id: inserted.raw[0].id });
    const up = TIER_RANK[to] > TIER_RANK[from];
    await this.events.append(m, {
      type: up ? 'incident.escalated' : 'incident.deescalated',
      incidentId: incident.id,
      jurisdictionIds: this.index.chain(incident.streetId),
      at: req.at,
      actor: req.actor,
      payload: { incidentId: incident.id, fromTier: from, toTier: to, toJurisdictionId, reason: req.reason, detail: req.detail, revision: incident.revision },
    });
    return escalation;
  }

  /**
   * Escalates or de-escalates an incident by hand (a dispatcher or commander).
   * @param direction `up` to the parent tier, `down` to the child tier
   * @returns the incident's new revision
   * @throws NotFound for an unknown incident
   * @throws StateConflict (409) when there is no tier in that direction, naming the current tier
   */
  async moveByHand(incidentId: string, direction: 'up' | 'down', reason: string, actor: string): Promise<number> {
    return this.ds.transaction(async (m) => {
      const incident = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw new NotFound('incident', incidentId);
      if (!isOpenIncident(incident.status)) {
        const where = incident.status === 'merged' && incident.mergedIntoId ? ` into ${incident.mergedIntoId}` : '';
        throw new StateConflict(`incident is ${incident.status}${where}: command can no longer move`, incident.status);
      }
      const tier = currentTier(incident);
      const to = direction === 'up' ? parentTier(tier) : childTier(tier);
      if (!to) throw new StateConflict(`incident is commanded at ${tier} level: cannot ${direction === 'up' ? 'escalate' : 'de-escalate'} further`, tier);
      const when = this.clock.timeFor(incident);
      const moved = await this.move(m, incident, {
        reason: direction === 'up' ? 'manual' : 'deescalated',
        detail: reason,
        key: `manual-${incident.id}-r${incident.revision}-${direction}`,
        actor,
        at: when,
        toTier: to,
      });
      if (!moved) throw new StateConflict(`incident ${incidentId} changed concurrently; retry`, tier);
      return incident.revision;
    });
  }

  /**
   * Arms a deadline inside the caller's transaction (unique by kind, subject and revision: arming
   * twice keeps one), due after the policy's limit for its kind (`ackTimeoutS` for a task's
   * acknowledgement, or the timeout of the unit's agency from the city profile; `pendingTimeoutS` for an
   * incident without units) from now, wall-clock time.
   * Add its job after commit with {@link scheduleDeadlines}.
   */
  async arm(
    m: EntityManager,
    d: { kind: DeadlineKind; incidentId: string; assignmentId?: string; revision: number; keySuffix?: string; dueAt?: Date },
  ): Promise<ArmedDeadline | null> {
    const key = `${d.kind}-${d.assignmentId ?? d.incidentId}-r${d.revision}${d.keySuffix ?? ''}`;
    const limitS = d.kind === 'pending' ? this.policy.pendingTimeoutS : await this.ackTimeoutOf(m, d.assignmentId);
    const dueAt = d.dueAt ?? new Date(Date.now() + 1000 * limitS);
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(Deadline)
      .values({ key, kind: d.kind, incidentId: d.incidentId, assignmentId: d.assignmentId ?? null, revision: d.revision, dueAt, state: 'pending' })
      .orIgnore()
      .returning('id')
      .execute();
    return r.raw?.length ? { id: r.raw[0].id, dueAt } : null;
  }

  /** The acknowledgement timeout of an assignment's unit, by its agency (seconds; fire/EMS: `ACK_TIMEOUT_S`). */
  async ackTimeoutOf(m: EntityManager, assignmentId: string | undefined): Promise<number> {
    if (!assignmentId) return this.policy.ackTimeoutS;
    const [row]: { agency: string }[] = await m.query(
      `SELECT u.agency FROM assignment a JOIN unit u ON u.world = a.world AND u.id = a.unit_id WHERE a.id = $1`,
      [assignmentId],
    );
    return ackTimeoutFor(this.agencyRules, row?.agency ?? null, this.policy.ackTimeoutS);
  }

  /** Adds the delayed jobs of deadlines armed in a committed transaction. A failure is left to the reconciler. */
  async scheduleDeadlines(armed: readonly (ArmedDeadline | null)[]): Promise<void> {
    for (const d of armed) {
      if (!d) continue;
      try {
        await this.queues.addDeadline(d.id, d.dueAt);
      } catch (e) {
        this.log.warn(`deadline ${d.id}: job not added (${(e as Error).message}); the reconciler will fire it`);
      }
    }
  }

  /**
   * Fires a deadline once: under a row lock, a `pending` deadline whose condition still holds (an
   * `ack` task still not acknowledged; a `pending` incident still without units) escalates its
   * incident one tier (escalation key `deadline-<id>`, so a retry after a crash escalates once) and
   * becomes `fired`; otherwise it becomes `void`. A deadline not pending is skipped.
   * A live acknowledgement deadline that `hold` says must wait (it fell due in an outage) stays
   * pending and answers `held` with the time to try again; a `pending` deadline (an incident with
   * no unit) never waits.
   * @param by `queue` (its delayed job) or `reconciler` (the job was lost); the reconciler's firing
   *   is recorded as a `timer.recovered` event
   * Under the `alert-first` policy an `ack` deadline only alerts the dispatcher
   * (`assignment.ack_overdue`) and arms an `ack_final` one a further timeout later, which replaces
   * and escalates as above. A dispatcher's "replace" fires an `ack_final` at once (`by: dispatcher`,
   * `actor` the user): no outage hold, no silent-fleet guard.
   * @param hold the outage rule for acknowledgement deadlines (none: fire on time)
   */
  async fire(deadlineId: string, by: 'queue' | 'reconciler' | 'dispatcher', hold?: AckHold, actor = `timer:${by}`): Promise<FiredDeadline> {
    // Run again when PostgreSQL picks it as a deadlock victim against a crew's report on the same rows.
    return transactionRetried(this.ds, async (m) => {
      const d = await m.findOne(Deadline, { where: { id: deadlineId }, lock: { mode: 'pessimistic_write' } });
      if (!d || d.state !== 'pending') {
        // A fired ack deadline whose replacement was never sent (the worker died after the commit):
        // the retried job sends it.
        if (d?.state !== 'fired' || !isAckKind(d.kind) || !d.assignmentId) return { outcome: 'skipped' };
        if (!this.replacesOn(d.kind)) {
          // A fired alert whose second deadline's job was never added: the retried job adds it.
          const next = await m.findOneBy(Deadline, { assignmentId: d.assignmentId, kind: 'ack_final', state: 'pending' });
          return { outcome: 'skipped', incidentId: d.incidentId, kind: 'ack', armed: next ? { id: next.id, dueAt: next.dueAt } : null };
        }
        const a = await m.findOneBy(Assignment, { id: d.assignmentId });
        const open = a && (await m.count(Assignment, { where: { replacesId: a.id } })) === 0 && (await this.replaceable(m, a));
        return { outcome: 'skipped', incidentId: d.incidentId, kind: d.kind, replace: open ? { assignmentId: a.id, capability: a.capability, releasedUnitId: a.unitId } : undefined };
      }
      const incident = await m.findOne(Incident, { where: { id: d.incidentId }, lock: { mode: 'pessimistic_write' } });
      let holds = false;
      let reason = '';
      let detail = '';
      if (incident && isAckKind(d.kind) && d.assignmentId) {
        const a = await m.findOneBy(Assignment, { id: d.assignmentId });
        holds = a?.status === 'dispatched';
        reason = 'not_acknowledged';
        detail = `unit ${a?.unitId} did not acknowledge within ${await this.ackTimeoutOf(m, d.assignmentId)} s`;
      } else if (incident && d.kind === 'pending') {
        holds = incident.status === 'received' && incident.revision === d.revision;
        reason = 'no_unit_in_time';
        detail = `no unit dispatched within ${this.policy.pendingTimeoutS} s`;
      }
      if (holds && incident && isAckKind(d.kind) && hold && !incident.exercise) {
        const heldUntil = await hold(d.dueAt);
        if (heldUntil) return { outcome: 'held', heldUntil, incidentId: d.incidentId, kind: d.kind, priority: incident.priority };
      }
      const now = new Date();
      let escalation: Escalation | null = null;
      let replace: FiredDeadline['replace'];
      let armed: ArmedDeadline | null = null;
      if (holds && incident && d.assignmentId && isAckKind(d.kind) && !this.replacesOn(d.kind)) {
        // First timeout under `alert-first`: the dispatcher is alerted; a second timeout replaces.
        const a = await m.findOneByOrFail(Assignment, { id: d.assignmentId });
        armed = await raiseAckAlert(m, this.events, { deadline: d, assignment: a, chain: this.index.chain(incident.streetId), now, actor, timeoutS: await this.ackTimeoutOf(m, a.id) }, (x) => this.arm(m, x));
      } else if (holds && incident && isAckKind(d.kind) && d.assignmentId) {
        const a = await m.findOneByOrFail(Assignment, { id: d.assignmentId });
        const chain = this.index.chain(incident.streetId);
        // Silent-fleet guard: when so many crews are already out of service for silence that the phones
        // are probably down, the task stays with its unit (it may well be on its way) and nothing more
        // is taken out of service. Otherwise the silent unit's task is taken back (the unit is out of
        // service until a dispatcher reaches it).
        const silentFleet = await this.silentUnits(m);
        const guard = by !== 'dispatcher' && silentFleet >= this.silentUnitLimit;
        if (by === 'dispatcher') detail = `${a.unitId} did not acknowledge: replaced by ${actor}`;
        if (!guard) await releaseTask(m, this.events, a, { reason, detail, unitStatus: 'out_of_service', at: now, actor, jurisdictionIds: chain });
        // The incident escalates once per round: when several tasks of one dispatch go unacknowledged,
        // the first escalates and the others only release.
        if (incident.revision === d.revision) {
          escalation = await this.move(m, incident, { reason, detail, key: `deadline-${d.id}`, actor, at: now });
        }
        if (guard) {
          // Held for a dispatcher, who reaches the crew by radio.
          await m.update(Incident, { id: incident.id }, { lastError: silentFleetHoldText(a.unitId, silentFleet), autoDispatch: false });
        } else if (await this.replaceable(m, a)) {
          replace = { assignmentId: a.id, capability: a.capability, releasedUnitId: a.unitId };
        } else {
          // When the phones are down the timer must not take the whole fleet out of service one
          // unit at a time: past MAX_REPLACEMENTS a dispatcher assigns by hand.
          const left = await m.count(Assignment, { where: { incidentId: incident.id, status: In([...ACTIVE_ASSIGNMENT_STATUSES]) } });
          // Held for a dispatcher: no automatic dispatch (not even when a unit frees up) until one assigns by hand.
          const counts: { capability: string; n: number }[] = await m.query(
            `SELECT capability, count(*)::int AS n FROM assignment WHERE incident_id = $1 AND released_reason = 'not_acknowledged' GROUP BY capability ORDER BY capability`,
            [incident.id],
          );
          const held = counts.filter((c) => c.n > MAX_REPLACEMENTS).map((c) => `${c.capability}: ${c.n} units`);
          const stop = `${held.join(', ')} did not acknowledge; assign by hand`;
          await m.update(
            Incident,
            { id: incident.id },
            left || incident.status !== 'dispatched' ? { lastError: stop, autoDispatch: false } : { status: 'received', lastError: stop, autoDispatch: false },
          );
        }
        await this.events.append(m, {
          type: 'incident.updated',
          incidentId: incident.id,
          jurisdictionIds: chain,
          at: now,
          actor,
          payload: await this.incidents.view(incident.id, m),
        });
      } else if (holds && incident) {
        escalation = await this.move(m, incident, { reason, detail, key: `deadline-${d.id}`, actor: `timer:${by}`, at: now });
      }
      await m.update(Deadline, { id: d.id }, { state: holds ? 'fired' : 'void', firedBy: by, firedAt: now });
      if (by === 'reconciler') {
        await this.events.append(m, {
          type: 'timer.recovered',
          incidentId: d.incidentId,
          jurisdictionIds: incident ? this.index.chain(incident.streetId) : [],
          at: now,
          actor: 'reconciler',
          payload: { deadlineId: d.id, kind: d.kind, dueAt: d.dueAt.toISOString(), acted: holds, escalated: Boolean(escalation) },
        });
      }
      return {
        outcome: holds ? 'fired' : 'void',
        incidentId: d.incidentId,
        priority: incident?.priority,
        kind: d.kind as DeadlineKind,
        escalatedRevision: escalation && incident ? incident.revision : undefined,
        replace,
        armed,
      };
    });
  }

  /** Whether a fired acknowledgement deadline of `kind` replaces its unit (else it only alerts the dispatcher). */
  private replacesOn(kind: string): boolean {
    return kind === 'ack_final' || this.ackPolicy === 'replace';
  }

  /** Live units out of service because the acknowledgement timer took them out (not yet back in service); drill crews have no phones. */
  private async silentUnits(m: EntityManager): Promise<number> {
    const [r] = await m.query(`SELECT count(*)::int AS n FROM unit WHERE world = 'live' AND status = 'out_of_service' AND out_of_service_by LIKE 'timer:%'`);
    return r.n as number;
  }

  /**
   * Whether a task taken back for want of acknowledgement may be replaced automatically: true
   * while at most MAX_REPLACEMENTS + 1 tasks of its capability on its incident went unacknowledged.
   */
  private async replaceable(m: EntityManager, a: Assignment): Promise<boolean> {
    const silent = await m.count(Assignment, { where: { incidentId: a.incidentId, capability: a.capability, releasedReason: 'not_acknowledged' } });
    return silent <= MAX_REPLACEMENTS;
  }

  /**
   * The reconciler's sweep: fires every pending deadline past due by more than `graceSeconds`
   * (its job was lost or is late; an acknowledgement deadline `hold` holds stays pending), bumps the revision of every incident still `received` with no
   * recorded dispatch attempt for over `staleSeconds` (its dispatch job was lost) and of every live incident
   * waiting for units at the top tier for over `waitingRetrySeconds` (`WAITING_RETRY_S`), and lists calls
   * stored over `staleSeconds` ago that no intake placed (their intake job was lost).
   * @returns deadline outcomes, the incidents to queue for dispatch at their new revision, and the calls to queue for intake
   */
  async reconcile(
    graceSeconds = 1,
    staleSeconds = 10,
    hold?: AckHold,
    waitingRetrySeconds = this.waitingRetryS,
  ): Promise<{ deadlines: FiredDeadline[]; redispatch: { id: string; revision: number; priority: number }[]; unplacedCalls: string[] }> {
    const due: { id: string }[] = await this.ds.query(
      `SELECT id FROM deadline WHERE state = 'pending' AND due_at < now() - make_interval(secs => $1) ORDER BY due_at LIMIT 500`,
      [graceSeconds],
    );
    const deadlines: FiredDeadline[] = [];
    for (const { id } of due) deadlines.push(await this.fire(id, 'reconciler', hold));
    const [redispatch]: [{ id: string; revision: number; priority: number }[], number] = await this.ds.query(
      `UPDATE incident SET revision = revision + 1, updated_at = now()
        WHERE status = 'received' AND last_error IS NULL AND auto_dispatch AND NOT exercise AND updated_at < now() - make_interval(secs => $1)
        RETURNING id, revision::float8 AS revision, priority`, // bigint revision read as a number: exact below 2^53
      [staleSeconds],
    );
    // A live incident waiting for units at the top tier has no deadline left to move it: it is tried again
    // every `waitingRetrySeconds` (a closure may have lifted, a unit come back in reach), until served.
    const [retried]: [{ id: string; revision: number; priority: number }[], number] = await this.ds.query(
      `UPDATE incident SET revision = revision + 1, updated_at = now()
        WHERE status = 'received' AND last_error IS NOT NULL AND auto_dispatch AND NOT exercise AND commanding_tier = $2
          AND updated_at < now() - make_interval(secs => $1)
        RETURNING id, revision::float8 AS revision, priority`,
      [waitingRetrySeconds, TIERS[TIERS.length - 1]],
    );
    redispatch.push(...retried);
    const unplaced: { id: string }[] = await this.ds.query(
      `SELECT id FROM call WHERE incident_id IS NULL AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 1000`,
      [staleSeconds],
    );
    return { deadlines, redispatch, unplacedCalls: unplaced.map((c) => c.id) };
  }
}

const TIER_RANK: Record<Tier, number> = { street: 0, district: 1, city: 2 };
