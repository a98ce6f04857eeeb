import { ASSIGNMENT_ORDER, AssignmentStatus, heldReason, incidentStatusFromTasks, JurisdictionIndex, nextAssignmentStatus, TaskCancelReason, unitStatusFor } from '@cad/domain';
import { transactionRetried } from '../common/transaction-retried';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NotFound, StateConflict } from '../common/errors';
import { EventsService, NewEvent } from '../events/events.service';
import { QueuesService } from '../queues/queues.service';
import { redispatchWaiting, requeueUnreplaced } from '../queues/redispatch';
import { Assignment, Incident, readEntities, StatusReportRow, Unit } from '@cad/db';
import { recordReport } from './status-report';
import { cancelDeadlines, cancelDeadlinesOf } from './deadline.store';
import { assignmentView, AssignmentView } from './incident.view';
import { IncidentsService, ViewRows } from './incidents.service';
import { SILENT_FLEET_HOLD as SILENCE_HOLD } from '@cad/domain/held-reasons';
import { OutagesService } from '../outages/outages.service';
import { giveBack } from './give-back';
import { raiseLateAck } from './late-ack';
import { STATUS_STAMP } from './status-stamps';


/**
 * True when reporting `to` on task `a` may give the task back (see `giveBack`): an acknowledgement of a task
 * taken away because it was not acknowledged in time.
 */
function mayGiveBack(a: Assignment, to: AssignmentStatus): boolean {
  return a.status === 'cleared' && a.releasedReason === 'not_acknowledged' && to === 'acknowledged';
}

/** What the steps of {@link AssignmentsService.changeStatusMany} leave to write before commit: the tasks whose deadlines end, and the rows held (read once, written once). */
interface Deferred {
  deadlinesOf: string[];
  /**
   * The batch's rows, read (and its tasks and their incidents locked) once at its start and kept as the
   * steps change them: tasks by id, every task of the batch's incidents by incident, the incidents, the
   * units by `world/id`.
   */
  held?: {
    tasks: Map<string, Assignment>;
    tasksOf: Map<string, Assignment[]>;
    incidents: Map<string, Incident>;
    units: Map<string, Unit>;
    /** The calls and escalations of the batch's incidents, read at the first view a step needs (no step changes them). */
    viewRows?: ViewRows;
    /**
     * What the steps changed on the held rows, written once per row before commit (issue 19's profile
     * of the drill: three UPDATEs per crew step): the task columns each task's steps set, each unit's
     * version when the batch read it and how many steps moved it, each incident's merged patch.
     */
    writes: {
      tasks: Map<Assignment, Set<keyof Assignment>>;
      units: Map<string, { unit: Unit; readVersion: number; steps: number }>;
      incidents: Map<string, Partial<Incident>>;
    };
  };
}

/** Result of a status report: the assignment as it now stands, and whether the report changed it. */
export interface StatusReportResult {
  assignment: AssignmentView;
  /**
   * False when the report was older than the status in force (a responder's offline queue sent
   * late): it is recorded as `assignment.late_report` but does not overwrite the newer status.
   */
  applied: boolean;
  /** True when the report's `reportId` was seen before: nothing was done again. */
  repeated?: boolean;
  /** Set when the report gave back a task an outage had taken away: replacements recalled and kept (unit ids). */
  givenBack?: { recalled: string[]; kept: string[] };
  /**
   * Set when the report, not applied, shows the crew answered a task the acknowledgement timer had
   * already taken back (`takenBackAt`): the dispatcher is alerted (`assignment.late_ack`) and decides
   * whether the crew carries on or stands down.
   */
  lateAck?: { takenBackAt: string; dispatcherAlerted: true };
}

/** Status changes reported for an assignment (by a responder, or the drill's simulated crews). */
@Injectable()
export class AssignmentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
    private readonly queues: QueuesService,
    private readonly outages: OutagesService,
  ) {}

  /**
   * Moves an assignment to a new status, with the unit's status and the incident's derived status,
   * in one transaction with their events. Acknowledging cancels the task's acknowledgement deadline.
   * Clearing frees the unit (available where it is) and, when an incident becomes resolved, sets its
   * resolution time. After a unit is freed, incidents still waiting for units are queued for dispatch
   * again. A report that would move the task backwards, or repeats the status in force with an
   * earlier time, is recorded (`assignment.late_report`) without changing anything. A step forward
   * stamped earlier than the status in force (the device clock runs slow) is applied at the time of
   * the status in force, and its event keeps the reported time (`reportedAt`).
   * A stamped acknowledgement of a task an outage took away (its deadline fell in the outage, after the
   * stamp) gives the task back (see {@link giveBack}).
   * A late report showing the crew answered a task the acknowledgement timer took back alerts the
   * dispatcher (see {@link raiseLateAck}) and is not applied.
   * A report with a `reportId` already recorded changes nothing and answers as the first did
   * (`repeated: true`).
   * @param at when it happened (simulated time in a drill)
   * @param position where the unit is, WGS84 degrees (optional)
   * @param reportId the phone's id for the report (optional)
   * @param extra `cancelReason`: why the crew clears the task before on scene (a cancel): required then,
   *   refused otherwise; recorded on the task (`cancelReason`) and in its `assignment.updated` event.
   *   `acknowledgeOnTurnout` (a drill's simulated crews only): en route straight from dispatched records the
   *   acknowledgement at the same instant, in the same transaction (the data has no acknowledgement time)
   * @throws NotFound for an unknown assignment
   * @throws StateConflict (409) when `reportId` was used for another task or status
   * @throws InvalidTransition (409) naming the rule when the change is not the task's next step (steps go
   *   in order; available before on scene only as a cancel with a reason)
   * @throws StateConflict (409) when the unit changed under us
   */
  async changeStatus(
    assignmentId: string,
    to: AssignmentStatus,
    at: Date,
    actor: string,
    position?: { lat: number; lon: number },
    reportId?: string,
    extra: { cancelReason?: TaskCancelReason; acknowledgeOnTurnout?: boolean } = {},
  ): Promise<StatusReportResult> {
    // A report meeting the timer's sweep on the same rows may be the deadlock victim: it runs again, never a 500.
    const { result, freed } = await transactionRetried(this.ds, (m) => this.changeStatusIn(m, assignmentId, to, at, actor, position, reportId, extra));
    if (freed) await this.redispatchWaiting(freed);
    return result;
  }

  /**
   * Several status changes (a drill's simulated crews at maximum speed) in ONE transaction, applied in the
   * given order exactly as {@link changeStatus} applies each (same rules, rows and events; the events
   * of step k get lower ids than those of step k + 1); then incidents still waiting for units are queued
   * for dispatch again once per world where a unit was freed. All or nothing: a step that throws
   * rolls back every step of the call.
   * @param steps `{ assignmentId, to, at, position? (WGS84 degrees), extra? }` as {@link changeStatus} takes them
   * @returns each step's result, in order
   * @throws whatever {@link changeStatus} throws for the first step that fails
   */
  async changeStatusMany(
    steps: readonly { assignmentId: string; to: AssignmentStatus; at: Date; position?: { lat: number; lon: number }; extra?: { cancelReason?: TaskCancelReason; acknowledgeOnTurnout?: boolean } }[],
    actor: string,
  ): Promise<StatusReportResult[]> {
    if (!steps.length) return [];
    // Every event the steps append (their own, a late report's, a give-back's) is held back and written in
    // one INSERT at the end, in the order appended: the order one report each would give them.
    const { results, freed } = await transactionRetried(this.ds, (m) =>
      this.events.batched(m, async () => {
        const out: StatusReportResult[] = [];
        const worlds = new Set<string>();
        const held = await this.holdBatch(m, steps.map((x) => x.assignmentId));
        // A late acknowledgement given back after an outage (see giveBack) reads and writes the rows itself: a batch
        // holding one reads and writes step by step, as one report each does, instead of from the rows held.
        const givesBack = steps.some((x) => {
          const a = held.tasks.get(x.assignmentId);
          return a !== undefined && mayGiveBack(a, x.to);
        });
        // Nothing a later step reads: the deadlines of every step's task are cancelled in one UPDATE at the end.
        const deferred: Deferred = { deadlinesOf: [], held: givesBack ? undefined : held };
        for (const x of steps) {
          const r = await this.changeStatusIn(m, x.assignmentId, x.to, x.at, actor, x.position, undefined, x.extra ?? {}, deferred);
          out.push(r.result);
          if (r.freed) worlds.add(r.freed);
        }
        if (deferred.held) await writeHeld(m, deferred.held.writes);
        await cancelDeadlinesOf(m, deferred.deadlinesOf);
        return { results: out, freed: [...worlds].sort() };
      }),
    );
    for (const w of freed) await this.redispatchWaiting(w);
    return results;
  }

  /**
   * Locks and reads what a batch of steps works on, in three queries instead of four per step (issue 19's
   * profile of the drill): its tasks (`FOR UPDATE`, in id order), their incidents (`FOR UPDATE`, in id
   * order), every task of those incidents and the tasks' units. The steps then change these objects as
   * they write the rows, so each step sees the earlier steps' changes. Another transaction cannot
   * change the locked rows meanwhile; a task of the same incidents outside the batch is read as it stood
   * at the batch's start (the drill's crews are the only writers of a drill's tasks while it steps).
   */
  private async holdBatch(m: EntityManager, ids: readonly string[]): Promise<NonNullable<Deferred['held']>> {
    const unique = [...new Set(ids)].sort();
    const locked = await readEntities(m, Assignment, 'WHERE id = ANY($1) ORDER BY id FOR UPDATE', [unique]);
    const incidentIds = [...new Set(locked.map((a) => a.incidentId))].sort();
    const incidents = incidentIds.length ? await readEntities(m, Incident, 'WHERE id = ANY($1) ORDER BY id FOR UPDATE', [incidentIds]) : [];
    const tasks = new Map(locked.map((a) => [a.id, a]));
    const siblings = incidentIds.length ? await readEntities(m, Assignment, 'WHERE incident_id = ANY($1)', [incidentIds]) : [];
    const tasksOf = new Map<string, Assignment[]>(incidentIds.map((i) => [i, []]));
    // The batch's own tasks are the locked objects: a step's change to one is seen in its incident's list.
    for (const a of siblings) tasksOf.get(a.incidentId)!.push(tasks.get(a.id) ?? a);
    const keys = new Set(locked.map((a) => `${a.world}/${a.unitId}`));
    const units = locked.length
      ? await readEntities(m, Unit, 'WHERE world = ANY($1) AND id = ANY($2)', [[...new Set(locked.map((a) => a.world))], [...new Set(locked.map((a) => a.unitId))]])
      : [];
    const unitsByKey = new Map(units.map((u) => [`${u.world}/${u.id}`, u] as const).filter(([k]) => keys.has(k)));
    return { tasks, tasksOf, incidents: new Map(incidents.map((i) => [i.id, i])), units: unitsByKey, writes: { tasks: new Map(), units: new Map(), incidents: new Map() } };
  }

  /**
   * The body of {@link changeStatus} inside transaction `m`; `freed` names the world whose unit was freed.
   * With `deferred`, a step leaves its task's deadlines to cancel there, and with `deferred.held` works on
   * the rows held and leaves their writes there (the caller writes both before commit) instead of at once.
   */
  private async changeStatusIn(
    m: EntityManager,
    assignmentId: string,
    to: AssignmentStatus,
    at: Date,
    actor: string,
    position: { lat: number; lon: number } | undefined,
    reportId: string | undefined,
    extra: { cancelReason?: TaskCancelReason; acknowledgeOnTurnout?: boolean },
    deferred?: Deferred,
  ): Promise<{ result: StatusReportResult; freed: string | null }> {
    const { cancelReason } = extra;
    let freed: string | null = null;
    const result = await (async (): Promise<StatusReportResult> => {
      const held = deferred?.held;
      const a = held ? held.tasks.get(assignmentId) : await m.findOne(Assignment, { where: { id: assignmentId }, lock: { mode: 'pessimistic_write' } });
      if (!a) throw new NotFound('assignment', assignmentId);
      if (reportId) {
        const seen = await recordReport(m, { unitId: a.unitId, reportId, assignmentId, status: to, at });
        if (seen) return { assignment: assignmentView(a), applied: seen.applied, repeated: true };
      }
      if (mayGiveBack(a, to)) {
        const incident = await m.findOneByOrFail(Incident, { id: a.incidentId });
        const inOutage = (t: Date) => this.outages.inOutage(t);
        const back = await giveBack(m, this.events, a, at, { actor, jurisdictionIds: this.index.chain(incident.streetId), inOutage });
        if (back) {
          await this.events.append(m, { type: 'incident.updated', incidentId: incident.id, jurisdictionIds: this.index.chain(incident.streetId), at: new Date(), actor, payload: await this.incidents.view(incident.id, m) });
          if (back.recalled.length) freed = a.world;
          return { assignment: assignmentView(back.assignment), applied: true, givenBack: { recalled: back.recalled, kept: back.kept } };
        }
      }
      if (a.status === 'cleared' && at >= a.statusAt) {
        const why =
          a.releasedReason === 'not_acknowledged'
            ? 'not acknowledged in time: another unit was sent and this unit is out of service until dispatch puts it back'
            : a.releasedReason === 'incident_cancelled'
              ? 'the incident was cancelled'
              : 'finished';
        throw new StateConflict(`task was cleared at ${a.statusAt.toISOString()} (${why}): nothing more to report`, 'cleared');
      }
      // Older than the status in force: a step back in the task's life, or the same status reported
      // again with an earlier time. A step forward stamped before the status in force (a phone whose
      // clock runs slow) is applied, at the time of the status in force.
      if ((ASSIGNMENT_ORDER[to] < ASSIGNMENT_ORDER[a.status] && a.status !== to) || (to === a.status && at < a.statusAt)) {
        const incident = await m.findOneByOrFail(Incident, { id: a.incidentId });
        await this.events.append(m, {
          type: 'assignment.late_report',
          incidentId: a.incidentId,
          unitId: a.unitId,
          jurisdictionIds: this.index.chain(incident.streetId),
          at,
          actor,
          payload: { assignmentId: a.id, reported: to, reportedAt: at.toISOString(), current: a.status, currentAt: a.statusAt.toISOString() },
        });
        if (reportId) await m.update(StatusReportRow, { unitId: a.unitId, reportId }, { applied: false });
        // The crew did answer a task the timer took back: the dispatcher decides (the task stays as it is).
        const alert = await raiseLateAck(m, this.events, a, to, at, { actor, jurisdictionIds: this.index.chain(incident.streetId) });
        return { assignment: assignmentView(a), applied: false, ...(alert ? { lateAck: { takenBackAt: alert.takenBackAt, dispatcherAlerted: true as const } } : {}) };
      }
      const ackOnTurnout = extra.acknowledgeOnTurnout === true && a.status === 'dispatched' && to === 'en_route';
      nextAssignmentStatus(ackOnTurnout ? 'acknowledged' : a.status, to, cancelReason);
      const reportedAt = at;
      if (at < a.statusAt) at = a.statusAt;
      const incident = held ? held.incidents.get(a.incidentId) : await m.findOne(Incident, { where: { id: a.incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw new NotFound('incident', a.incidentId);
      const unit = held?.units.get(`${a.world}/${a.unitId}`) ?? (await m.findOneByOrFail(Unit, { world: a.world, id: a.unitId }));
      a.status = to;
      a.statusAt = at;
      const stamp = STATUS_STAMP[to];
      if (stamp) (a as unknown as Record<string, unknown>)[stamp] = at;
      if (cancelReason) a.cancelReason = cancelReason;
      if (ackOnTurnout) a.acknowledgedAt = at;
      const changed: (keyof Assignment)[] = ['status', 'statusAt', ...(stamp ? [stamp] : []), ...(cancelReason ? (['cancelReason'] as const) : []), ...(ackOnTurnout ? (['acknowledgedAt'] as const) : [])];
      const lat = position?.lat ?? unit.lat;
      const lon = position?.lon ?? unit.lon;
      if (held) {
        // A batch writes each held row once, before commit (writeHeld).
        const cols = held.writes.tasks.get(a) ?? new Set<keyof Assignment>();
        changed.forEach((c) => cols.add(c));
        held.writes.tasks.set(a, cols);
        const key = `${unit.world}/${unit.id}`;
        const w = held.writes.units.get(key);
        if (w) w.steps++;
        else held.writes.units.set(key, { unit, readVersion: unit.version, steps: 1 });
      } else {
        // The row is locked and read above: write the changed columns (no `save`, which reads it again).
        await m.update(Assignment, { id: a.id }, Object.fromEntries(changed.map((c) => [c, a[c]])));
        const moved = await m
          .createQueryBuilder()
          .update(Unit)
          .set({ status: unitStatusFor(to), lat, lon })
          .where('world = :world AND id = :id AND version = :version', { world: unit.world, id: unit.id, version: unit.version })
          .execute();
        if (!moved.affected) throw new StateConflict(`unit ${unit.id} changed concurrently; retry`, unit.status);
      }
      const unitWas = unit.status;
      if (held) Object.assign(unit, { status: unitStatusFor(to), lat, lon, version: unit.version + 1 });
      const all = held?.tasksOf.get(incident.id) ?? (await m.find(Assignment, { where: { incidentId: incident.id } }));
      // Tasks taken back (not acknowledged, cancelled) say nothing about how the incident stands.
      const status = incidentStatusFromTasks(incident.status, all);
      const chain = this.index.chain(incident.streetId);
      // The step's events go in one INSERT at the end (issue 19's profile: a round trip per event).
      const events: NewEvent[] = [];
      events.push({
        type: 'assignment.updated',
        incidentId: incident.id,
        unitId: unit.id,
        jurisdictionIds: chain,
        at,
        actor,
        payload: { incidentId: incident.id, assignment: assignmentView(a), ...(reportedAt < at ? { reportedAt: reportedAt.toISOString() } : {}) },
      });
      // Acknowledging leaves the unit dispatched: no unit event unless its status or position changed.
      if (unitStatusFor(to) !== unitWas || position) {
        events.push({
          type: 'unit.status',
          incidentId: incident.id,
          unitId: unit.id,
          jurisdictionIds: chain,
          at,
          actor,
          payload: { unitId: unit.id, status: unitStatusFor(to), lat, lon },
        });
      }
      // A hold for silence (phones down) ends once every task still running has been acknowledged.
      const silenceOver =
        !incident.autoDispatch && (incident.lastError ?? '').includes(SILENCE_HOLD) && all.every((x) => x.releasedReason || x.status !== 'dispatched');
      if (silenceOver) await m.update(Incident, { id: incident.id }, { autoDispatch: true, ...heldReason(null) });
      if (status !== incident.status || silenceOver) {
        // A drill's incident closes itself once its simulated crews have cleared: nobody is there to close it.
        const closes = status === 'resolved' && incident.exercise;
        const patch: Partial<Incident> =
          status === incident.status
            ? {}
            : closes
              ? { status: 'closed', resolvedAt: at, closedAt: at, disposition: 'exercise: closed when every unit cleared' }
              : { status, resolvedAt: status === 'resolved' ? at : incident.resolvedAt };
        if (status !== incident.status) {
          if (held) held.writes.incidents.set(incident.id, { ...held.writes.incidents.get(incident.id), ...patch });
          else await writeIncidentStatuses(m, [[incident.id, patch]]);
        }
        // The incident and its tasks are held here, as they now stand: the view reads only its calls and escalations.
        const now = Object.assign(new Incident(), incident, patch, silenceOver ? { autoDispatch: true, ...heldReason(null) } : {});
        if (held) Object.assign(incident, now);
        events.push({
          type: 'incident.updated',
          incidentId: incident.id,
          jurisdictionIds: chain,
          at,
          actor,
          payload: await this.incidents.viewOf(now, all, m, held ? (held.viewRows ??= await this.incidents.viewRows([...held.incidents.keys()], m)) : undefined),
        });
      }
      // Inside a batch (changeStatusMany) the events wait for its one INSERT, in the order appended.
      await this.events.appendAll(m, events);
      if (to !== 'dispatched') {
        if (deferred) deferred.deadlinesOf.push(a.id);
        else await cancelDeadlines(m, { assignmentId: a.id });
      }
      if (to === 'cleared') freed = a.world;
      return { assignment: assignmentView(a), applied: true };
    })();
    return { result, freed };
  }

  /** Queues a fresh dispatch for every incident still waiting for units, of one world or all (see {@link redispatchWaiting}). */
  async redispatchWaiting(world?: string): Promise<number> {
    // A freed unit may also fill a slot whose silent crew nothing could replace when it was taken back.
    await requeueUnreplaced(this.ds, this.queues, world);
    return redispatchWaiting(this.ds, this.queues, undefined, world);
  }

  /**
   * Queues the dispatch job of an incident whose priority a merge raised, at its revision now (issue 20):
   * the plan of its new priority applies, whole to an incident still waiting, and what it adds to one
   * already dispatched (see `DispatchProcessor`). The job id is the incident's and revision's: twice is harmless.
   */
  async dispatchAfterPriorityRaise(incidentId: string): Promise<void> {
    const [row]: { revision: number; priority: number }[] = await this.ds.query(`SELECT revision::float8 AS revision, priority FROM incident WHERE id = $1`, [incidentId]);
    if (row) await this.queues.addDispatch({ incidentId, revision: row.revision, priority: row.priority, priorityRaised: true });
  }

}

/**
 * Writes what a batch of steps changed on its held rows, one statement per table (tasks, units) and one
 * per incident, before its events: each task's columns its steps set (the values they left), each
 * unit's status and position with its version moved on by its steps (the batch's optimistic check: the
 * version it read), each incident's merged patch. Rows in key order.
 * @throws StateConflict (409) when a unit changed under the batch (its version moved): the batch rolls back
 */
async function writeHeld(m: EntityManager, writes: NonNullable<Deferred['held']>['writes']): Promise<void> {
  const tasks = [...writes.tasks].sort(([a], [b]) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (tasks.length) {
    const col = (k: keyof Assignment) => tasks.map(([a, set]) => (set.has(k) ? (a[k] instanceof Date ? (a[k] as Date).toISOString() : (a[k] as string | null)) : null));
    await m.query(
      `UPDATE assignment a SET status = p.status, status_at = p.status_at,
              acknowledged_at = COALESCE(p.acknowledged_at, a.acknowledged_at), en_route_at = COALESCE(p.en_route_at, a.en_route_at),
              on_scene_at = COALESCE(p.on_scene_at, a.on_scene_at), transporting_at = COALESCE(p.transporting_at, a.transporting_at),
              at_hospital_at = COALESCE(p.at_hospital_at, a.at_hospital_at), cleared_at = COALESCE(p.cleared_at, a.cleared_at),
              cancel_reason = COALESCE(p.cancel_reason, a.cancel_reason)
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::text[])
              AS p(id, status, status_at, acknowledged_at, en_route_at, on_scene_at, transporting_at, at_hospital_at, cleared_at, cancel_reason)
        WHERE a.id = p.id`,
      [
        tasks.map(([a]) => a.id),
        tasks.map(([a]) => a.status),
        tasks.map(([a]) => a.statusAt.toISOString()),
        col('acknowledgedAt'),
        col('enRouteAt'),
        col('onSceneAt'),
        col('transportingAt'),
        col('atHospitalAt'),
        col('clearedAt'),
        col('cancelReason'),
      ],
    );
  }
  const units = [...writes.units.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, w]) => w);
  if (units.length) {
    const [, moved] = (await m.query(
      `UPDATE unit u SET status = p.status, lat = p.lat, lon = p.lon, version = p.read_version + p.steps, updated_at = CURRENT_TIMESTAMP
         FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::bigint[], $7::int[]) AS p(world, id, status, lat, lon, read_version, steps)
        WHERE u.world = p.world AND u.id = p.id AND u.version = p.read_version`,
      [
        units.map((w) => w.unit.world),
        units.map((w) => w.unit.id),
        units.map((w) => w.unit.status),
        units.map((w) => w.unit.lat),
        units.map((w) => w.unit.lon),
        units.map((w) => w.readVersion),
        units.map((w) => w.steps),
      ],
    )) as [unknown, number];
    if (moved !== units.length) throw new StateConflict(`a unit of the batch changed concurrently; retry`, 'changed');
  }
  await writeIncidentStatuses(m, [...writes.incidents].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Writes incidents' status patches (`status`, `resolvedAt`, and `closedAt` and `disposition` when a drill's
 * incident closes itself) in one statement: each row as `m.update(Incident, { id }, patch)` wrote it, a
 * column its patch leaves `undefined` unchanged, `updated_at` the transaction's time (`CURRENT_TIMESTAMP`).
 * Plain SQL, one round trip for a batch (issue 19's profile of the drill: an update builder and a round trip
 * per incident after each batch of crew steps). The incidents are locked by the caller.
 * @param patches incident id and its patch; every key of a patch is one of those four
 * @throws Error for a patch with another key (a caller's mistake: nothing is written)
 */
async function writeIncidentStatuses(m: EntityManager, patches: readonly (readonly [string, Partial<Incident>])[]): Promise<void> {
  if (!patches.length) return;
  for (const [id, patch] of patches) {
    const other = Object.keys(patch).find((k) => !STATUS_PATCH_KEYS.has(k));
    if (other !== undefined || patch.status === undefined) throw new Error(`incident ${id}: a status patch sets status, resolvedAt, closedAt, disposition only (got ${Object.keys(patch).join(', ')})`);
  }
  const stamp = (d: Date | null | undefined) => (d instanceof Date ? d.toISOString() : null);
  await m.query(
    `UPDATE incident i SET status = p.status,
            resolved_at = CASE WHEN p.sets_resolved THEN p.resolved_at ELSE i.resolved_at END,
            closed_at = CASE WHEN p.sets_closed THEN p.closed_at ELSE i.closed_at END,
            disposition = CASE WHEN p.sets_disposition THEN p.disposition ELSE i.disposition END,
            updated_at = CURRENT_TIMESTAMP
       FROM unnest($1::uuid[], $2::text[], $3::bool[], $4::timestamptz[], $5::bool[], $6::timestamptz[], $7::bool[], $8::text[])
            AS p(id, status, sets_resolved, resolved_at, sets_closed, closed_at, sets_disposition, disposition)
      WHERE i.id = p.id`,
    [
      patches.map(([id]) => id),
      patches.map(([, p]) => p.status),
      patches.map(([, p]) => p.resolvedAt !== undefined),
      patches.map(([, p]) => stamp(p.resolvedAt)),
      patches.map(([, p]) => p.closedAt !== undefined),
      patches.map(([, p]) => stamp(p.closedAt)),
      patches.map(([, p]) => p.disposition !== undefined),
      patches.map(([, p]) => p.disposition ?? null),
    ],
  );
}

/** The keys a patch of {@link writeIncidentStatuses} may set. */
const STATUS_PATCH_KEYS = new Set<string>(['status', 'resolvedAt', 'closedAt', 'disposition']);
