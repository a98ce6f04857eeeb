import { heldReason, SILENT_FLEET_HOLD } from '@cad/domain/held-reasons';
import { ackTimeoutFor, ACTIVE_ASSIGNMENT_STATUSES, JurisdictionIndex, MAX_REPLACEMENTS, TIERS } from '@cad/domain';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { bumpRevisionsInIdOrder } from '../queues/redispatch';
import { DataSource, EntityManager, In } from 'typeorm';
import { Assignment, Deadline, Escalation, Incident } from '@cad/db';
import { AppConfig } from '../config/config';
import { EventsService } from '../events/events.service';
import { QueuesService } from '../queues/queues.service';
import { transactionRetried } from '../common/transaction-retried';
import { IncidentsService } from '../incidents/incidents.service';
import { isAckKind, raiseAckAlert } from './ack-alert';
import { releaseTask } from '../incidents/release-task';
import { CommandChainService } from './command-chain.service';

/** A deadline armed inside a transaction, whose delayed job is added after commit. */
export interface ArmedDeadline {
  id: string;
  dueAt: Date;
}

/** Units that may replace one plan slot automatically after its units failed to acknowledge (defined in `@cad/domain`). */
export { MAX_REPLACEMENTS };

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
 * The durable deadlines of the command chain (acknowledgement, pending): armed in the dispatching
 * transaction, their delayed jobs added after commit, fired once (escalating the incident through
 * {@link CommandChainService.move} when nobody acted in time), and swept by the reconciler when
 * Redis lost their jobs.
 */
@Injectable()
export class DeadlinesService {
  private readonly log = new Logger('CommandChain');
  /** Units the timer may keep out of service for silence at once (see `AppConfig.SILENT_UNIT_LIMIT`). */
  private readonly silentUnitLimit: number;
  /** Seconds between tries for a live incident waiting for units at the top tier (`WAITING_RETRY_S`). */
  private readonly waitingRetryS: number;
  /** What the first acknowledgement timeout does (see `AppConfig.ACK_POLICY`). */
  private readonly ackPolicy: AppConfig['ACK_POLICY'];

  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly queues: QueuesService,
    @Inject(AppConfig) config: AppConfig,
    private readonly chain: CommandChainService,
    private readonly incidents: IncidentsService,
  ) {
    this.silentUnitLimit = config.SILENT_UNIT_LIMIT;
    this.waitingRetryS = config.WAITING_RETRY_S;
    this.ackPolicy = config.ACK_POLICY;
  }

  /** Escalation time limits (see {@link CommandChainService.policy}). */
  private get policy() {
    return this.chain.policy;
  }

  /**
   * Arms a deadline inside the caller's transaction (unique by kind, subject and revision: arming
   * twice keeps one), due after the policy's limit for its kind (`ackTimeoutS` for a task's
   * acknowledgement, or the timeout of the unit's agency from the city profile; `pendingTimeoutS` for an
   * incident without units) from `from` (the dispatch time of a task's acknowledgement deadline, so that
   * its limit counts from the dispatch the crew saw, however long the transaction took), else from now,
   * wall-clock time.
   * Add its job after commit with {@link scheduleDeadlines}.
   */
  async arm(
    m: EntityManager,
    d: { kind: DeadlineKind; incidentId: string; assignmentId?: string; revision: number; keySuffix?: string; dueAt?: Date; from?: Date; agency?: string | null },
  ): Promise<ArmedDeadline | null> {
    const key = `${d.kind}-${d.assignmentId ?? d.incidentId}-r${d.revision}${d.keySuffix ?? ''}`;
    // The task's unit's agency, when the caller holds it (a dispatch does), saves reading it back.
    const limitS =
      d.kind === 'pending'
        ? this.policy.pendingTimeoutS
        : d.agency !== undefined && d.assignmentId
          ? ackTimeoutFor(this.chain.agencyRules, d.agency, this.policy.ackTimeoutS)
          : await this.ackTimeoutOf(m, d.assignmentId);
    const dueAt = d.dueAt ?? new Date((d.from?.getTime() ?? Date.now()) + 1000 * limitS);
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

  /**
   * Arms the `pending` deadlines of several incidents (no unit yet) in one INSERT inside the caller's
   * transaction: each as {@link arm} would (unique key, due `pendingTimeoutS` from now, wall clock).
   * @param items incident ids with the revision each is at
   * @returns the deadlines this INSERT armed (one already armed is left out): add their jobs after commit with {@link scheduleDeadlines}
   */
  async armPendingMany(m: EntityManager, items: readonly { incidentId: string; revision: number }[]): Promise<ArmedDeadline[]> {
    if (!items.length) return [];
    const dueAt = new Date(Date.now() + 1000 * this.policy.pendingTimeoutS);
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(Deadline)
      .values(items.map((d) => ({ key: `pending-${d.incidentId}-r${d.revision}`, kind: 'pending', incidentId: d.incidentId, assignmentId: null, revision: d.revision, dueAt, state: 'pending' })))
      .orIgnore()
      .returning('id')
      .execute();
    return ((r.raw ?? []) as { id: string }[]).map((x) => ({ id: x.id, dueAt }));
  }

  /** The acknowledgement timeout of an assignment's unit, by its agency (seconds; fire/EMS: `ACK_TIMEOUT_S`). */
  async ackTimeoutOf(m: EntityManager, assignmentId: string | undefined): Promise<number> {
    if (!assignmentId) return this.policy.ackTimeoutS;
    const [row]: { agency: string }[] = await m.query(
      `SELECT u.agency FROM assignment a JOIN unit u ON u.world = a.world AND u.id = a.unit_id WHERE a.id = $1`,
      [assignmentId],
    );
    return ackTimeoutFor(this.chain.agencyRules, row?.agency ?? null, this.policy.ackTimeoutS);
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
          escalation = await this.chain.move(m, incident, { reason, detail, key: `deadline-${d.id}`, actor, at: now });
        }
        if (guard) {
          // Held for a dispatcher, who reaches the crew by radio.
          await m.update(Incident, { id: incident.id }, { ...heldReason({ code: 'silent_fleet', params: { unit: a.unitId, count: silentFleet } }), autoDispatch: false });
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
          const held = counts.filter((c) => c.n > MAX_REPLACEMENTS).map((c) => ({ capability: c.capability, units: c.n }));
          const stop = heldReason({ code: 'unacknowledged_held', params: { held } });
          await m.update(
            Incident,
            { id: incident.id },
            left || incident.status !== 'dispatched' ? { ...stop, autoDispatch: false } : { status: 'received', ...stop, autoDispatch: false },
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
        escalation = await this.chain.move(m, incident, { reason, detail, key: `deadline-${d.id}`, actor: `timer:${by}`, at: now });
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
    // Rows locked in id order, as every multi-incident writer locks them (see bumpRevisionsInIdOrder).
    const [redispatch] = await bumpRevisionsInIdOrder(
      this.ds,
      `status = 'received' AND last_error IS NULL AND auto_dispatch AND NOT exercise AND updated_at < now() - make_interval(secs => $1)`,
      [staleSeconds],
    );
    // A live incident waiting for units at the top tier has no deadline left to move it: it is tried again
    // every `waitingRetrySeconds` (a closure may have lifted, a unit come back in reach), until served.
    const [retried] = await bumpRevisionsInIdOrder(
      this.ds,
      `status = 'received' AND last_error IS NOT NULL AND auto_dispatch AND NOT exercise AND commanding_tier = $2
          AND updated_at < now() - make_interval(secs => $1)`,
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
