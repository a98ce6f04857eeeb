import { isEmsUnit } from '@cad/domain';
import { RoadNetwork } from '@cad/routing';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { LineString } from 'geojson';
import { createHash } from 'node:crypto';
import { circle } from '@turf/turf';
import { DataSource } from 'typeorm';
import { callsBetween, DrillRunRow, loadScenario, RoadClosure, Scenario, ScenarioCall } from '@cad/db';
import { AuthService } from '../auth/auth.service';
import { ClosuresService } from '../closures/closures.service';
import { NotFound, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { RealtimeGateway } from '../events/realtime.gateway';
import { AssignmentsService } from '../incidents/assignments.service';
import { IncidentsService } from '../incidents/incidents.service';
import { QueuesService } from '../queues/queues.service';
import { ClockService } from '../platform/clock/clock.service';
import { createWorld, dropWorld, sweepWorlds } from './world';
import { calibrationOf, CallProcessingModel, CrewModel, TravelCalibration } from './crews';
import { TravelModelService } from '../routing/travel-model.service';
import { recordedDrillPolicy } from '../incidents/drill-policy.store';
import { surgeCalls } from './surge';
import type { DrillMove, DrillMoveUps, DrillMoveUpTally } from './drill-move-ups';

/**
 * Allocation policies a drill may name. The name is recorded with the run so two runs of the same day
 * can be compared: `nearest` fills each plan slot with the nearest capable unit, `optimised` fills
 * an incident's slots together by min-cost assignment (dispatch rounds), `moveups` is `optimised`
 * plus move-ups applied in the drill's world with simulated consents (see `drill-move-ups.ts`).
 */
export const DRILL_POLICIES = ['nearest', 'optimised', 'moveups'] as const;
export type DrillPolicy = (typeof DRILL_POLICIES)[number];

export type DrillState = 'running' | 'paused' | 'stopped' | 'finished' | 'failed';

/** At most this many drills run at once in one process, each in its own world (a copy of the fleet). */
export const MAX_CONCURRENT_DRILLS = 4;

/** What to replay. `speed` is simulated seconds per real second, or `max` (as fast as the machine allows). */
export interface DrillOptions {
  /** Scenario name (`db/scenarios/<name>.yaml`) or file path; default `sf-north`. */
  scenario?: string;
  /** First local day `YYYY-MM-DD` (scenario zone). */
  day: string;
  /** Last local day, inclusive (default: `day`). */
  toDay?: string;
  speed: number | 'max';
  policy?: string;
  /** Seed of the crews' random draws (default 1). */
  seed?: number;
  /** Replay only the first `limit` calls (a short slice). */
  limit?: number;
  /** Surge factor: the calls' receipt times compressed this many times (1: as recorded; see `surgeCalls`). */
  surge?: number;
}

/** One simulated unit response, simulated instants (UTC). */
export interface SimAssignment {
  assignmentId: string;
  callId: string;
  unitId: string;
  unitType: string;
  capability: string;
  dispatchedAt: Date;
  enRouteAt: Date | null;
  onSceneAt: Date | null;
  clearedAt: Date | null;
  turnoutS: number;
  travelS: number;
}

/** A drill run as the API shows it (`GET /api/drills/:id`). */
export interface DrillRunView {
  id: string;
  scenario: string;
  day: string;
  toDay: string;
  policy: string;
  seed: number;
  speed: number | 'max';
  /** Surge factor: the calls arrive this many times sooner than recorded (1: as recorded). */
  surge: number;
  state: DrillState;
  error: string | null;
  calls: number;
  posted: number;
  refused: number;
  simStart: string;
  simTime: string;
  simEnd: string;
  /** Share of the scenario's simulated span already played, 0..1. */
  progress: number;
  startedAt: string;
  finishedAt: string | null;
  wallSeconds: number;
  activeAssignments: number;
  calibration: TravelCalibration;
  closures: RoadClosure[];
  /** What became of each scenario closure in this run (opened and lifted on the simulated clock). */
  closureLog: DrillClosureState[];
  importProblems: number;
  /** sha256 of the normalised event log; set when the run ends. */
  eventLogHash: string | null;
  events: number | null;
  /** Where the wall time went: steps taken, and ms waiting for queues, reading assignments, posting calls, moving crews. */
  profile: DrillRun['profile'];
  /** Under the `moveups` policy: looks for moves, moves proposed, refused by the rules, set off, done, cancelled. */
  moveUps: DrillMoveUpTally | null;
}

/** A scenario road closure in a run: when it opened and lifted (simulated time) and what it did. */
export interface DrillClosureState {
  note: string | null;
  /** Scheduled opening and lifting, simulated UTC ISO (lifting null: until the drill ends). */
  at: string;
  until: string | null;
  state: 'pending' | 'open' | 'lifted' | 'closes_no_road';
  /** Road-graph edges closed (one per direction of each block). */
  closedEdges: number;
  /** Tasks re-routed around it when it opened. */
  rerouted: number;
  openedAt: string | null;
  liftedAt: string | null;
  /** `road_closure` row id while stored. */
  closureId: string | null;
}

interface ActiveRow {
  id: string;
  unit_id: string;
  unit_type: string;
  capability: string;
  /** `acknowledged` only when a dispatcher recorded it by radio: the simulated crew still turns out from dispatch. */
  status: 'dispatched' | 'acknowledged' | 'en_route' | 'on_scene';
  eta_seconds: number;
  turnout_seconds: number | null;
  route: LineString | null;
  dispatched_at: Date;
  en_route_at: Date | null;
  on_scene_at: Date | null;
  call_number: string | null;
  incident_id: string;
  lat: number;
  lon: number;
}

/** A drill run with what the report needs (kept in memory for the life of the process). */
export class DrillRun {
  state: DrillState = 'running';
  error: string | null = null;
  posted = 0;
  refused = 0;
  queue: ScenarioCall[];
  readonly sims = new Map<string, SimAssignment>();
  readonly startedAt = new Date();
  finishedAt: Date | null = null;
  simNow: Date;
  simEnd: Date;
  eventLogHash: string | null = null;
  events: number | null = null;
  speed: number | 'max';
  activeCount = 0;
  lastActive: ActiveRow[] = [];
  /** Set when a task's route changed under the run (a closure): the next step is chosen again. */
  rerouted = false;
  /** The scenario's closures that touch the replayed span, in order of opening, and their state in this run. */
  readonly scheduledClosures: RoadClosure[];
  readonly closureLog: DrillClosureState[];
  done: Promise<void> = Promise.resolve();
  /** Resolves once the ended run (state, view, report) is recorded in `drill_run`. */
  recorded: Promise<void> = Promise.resolve();
  /**
   * Where the run's wall time went, milliseconds; `cpuMs` is the CPU time (user + system) this whole
   * process (API and in-process workers) spent while the run's steps ran: on a shared machine, the
   * figure that does not grow with other work's load.
   */
  readonly profile = { steps: 0, settleMs: 0, activeMs: 0, postMs: 0, applyMs: 0, cpuMs: 0, moveUpMs: 0 };
  /** Move-ups of a run under the `moveups` policy (see `DrillMoveUps`), and what became of them. */
  readonly moves: DrillMove[] = [];
  readonly moveTally: DrillMoveUpTally = { looks: 0, proposed: 0, refused: 0, started: 0, done: 0, cancelled: 0 };

  constructor(
    readonly id: string,
    readonly scenario: Scenario,
    readonly calls: ScenarioCall[],
    readonly opts: Required<Omit<DrillOptions, 'limit' | 'scenario'>> & { scenario: string },
    readonly crews: CrewModel,
    readonly calibration: TravelCalibration,
    readonly simStart: Date,
    readonly processing: CallProcessingModel,
  ) {
    // Each call is posted (reaches dispatch) after its drawn call processing, in that order (issue 20).
    for (const c of calls) this.postAt.set(c.externalId, c.received.getTime() + Math.round(processing.draw(c.externalId, c.type, c.priority) * 1000));
    this.queue = [...calls].sort((a, b) => this.postTime(a) - this.postTime(b) || (a.externalId < b.externalId ? -1 : 1));
    this.simNow = simStart;
    this.simEnd = calls.length ? calls[calls.length - 1].received : simStart;
    this.speed = opts.speed;
    this.scheduledClosures = scenario.closures
      .filter((c) => c.at < this.simEnd && (!c.until || c.until > simStart))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    this.closureLog = this.scheduledClosures.map(
      (c): DrillClosureState => ({
        note: c.note ?? null,
        at: c.at.toISOString(),
        until: c.until?.toISOString() ?? null,
        state: 'pending',
        closedEdges: 0,
        rerouted: 0,
        openedAt: null,
        liftedAt: null,
        closureId: null,
      }),
    );
  }

  /** When each call is posted to the API: received + its drawn call processing, ms since the epoch. */
  private readonly postAt = new Map<string, number>();

  /** When a scenario call reaches the API (received + simulated call processing), ms since the epoch. */
  postTime(c: ScenarioCall): number {
    return this.postAt.get(c.externalId) ?? c.received.getTime();
  }

  /** Home stations of the run's units (read when its world is made): where fire units return when they clear. */
  homes = new Map<string, { lat: number; lon: number; unitType: string }>();

  /** Simulated time of the next closure to open or lift, or null when none is left. */
  nextClosureChange(): Date | null {
    let next: number | null = null;
    for (const c of this.closureLog) {
      const t = c.state === 'pending' ? Math.max(Date.parse(c.at), this.simStart.getTime()) : c.state === 'open' && c.until ? Date.parse(c.until) : null;
      if (t !== null && (next === null || t < next)) next = t;
    }
    return next === null ? null : new Date(next);
  }

  /** The drill's call number for a scenario call (`<drillId>:<externalId>`). */
  callNumber(externalId: string): string {
    return `${this.id}:${externalId}`;
  }

  view(): DrillRunView {
    const span = this.simEnd.getTime() - this.simStart.getTime();
    return {
      id: this.id,
      scenario: this.opts.scenario,
      day: this.opts.day,
      toDay: this.opts.toDay,
      policy: this.opts.policy,
      seed: this.opts.seed,
      speed: this.speed,
      surge: this.opts.surge,
      state: this.state,
      error: this.error,
      calls: this.calls.length,
      posted: this.posted,
      refused: this.refused,
      simStart: this.simStart.toISOString(),
      simTime: this.simNow.toISOString(),
      simEnd: this.simEnd.toISOString(),
      progress: this.finishedAt && this.state === 'finished' ? 1 : span > 0 ? Math.min(1, Math.max(0, (this.simNow.getTime() - this.simStart.getTime()) / span)) : 0,
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.finishedAt?.toISOString() ?? null,
      wallSeconds: ((this.finishedAt ?? new Date()).getTime() - this.startedAt.getTime()) / 1000,
      activeAssignments: this.activeCount,
      calibration: this.calibration,
      closures: this.scenario.closures,
      closureLog: this.closureLog.map((c) => ({ ...c })),
      importProblems: this.scenario.problems.length,
      eventLogHash: this.eventLogHash,
      events: this.events,
      profile: { ...this.profile },
      moveUps: this.opts.policy === 'moveups' ? { ...this.moveTally } : null,
    };
  }
}

/**
 * Replays a scenario's calls as a drill (exercise), on a simulated clock, with simulated crews.
 *
 * The run is a discrete-event simulation through the real system: the next thing to happen is either
 * the next recorded call (posted to `POST /api/calls` as an exercise call with the drill's id) or the
 * next crew transition (en route after the drawn turnout, on scene after the travel model's travel
 * time, available after the data's on-scene time; each call is posted after its drawn call processing). Before each step the drill waits until the
 * intake and dispatch queues are idle, so the same scenario, policy and seed give the same event
 * log at any speed. At a finite speed it waits for the clock to reach each step (AVL positions are
 * broadcast meanwhile); at `max` it does not wait.
 */
@Injectable()
export class DrillService implements BeforeApplicationShutdown {
  private readonly log = new Logger('Drill');
  private readonly runs = new Map<string, DrillRun>();
  private baseUrl = '';
  private readonly scenarios = new Map<string, Scenario>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly clock: ClockService,
    private readonly assignments: AssignmentsService,
    private readonly realtime: RealtimeGateway,
    private readonly queues: QueuesService,
    private readonly network: RoadNetwork,
    private readonly http: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly closures: ClosuresService,
    private readonly incidents: IncidentsService,
    private readonly travel: TravelModelService,
  ) {}

  /** The drill's own sign-in token: it posts calls through the API like a call taker would. */
  private get token(): string {
    this.systemToken ??= this.auth.issue({ userId: 'system-drill', username: 'drill', role: 'system', jurisdictionId: null, unitId: null });
    return this.systemToken;
  }
  private systemToken: string | undefined;

  /** The move-up driver of runs under the `moveups` policy (it registers itself; see `DrillMoveUps`). */
  useMoveUps(driver: DrillMoveUps): void {
    this.moveUps = driver;
  }
  private moveUps: DrillMoveUps | null = null;

  /** Sets the API's own address (e.g. `http://127.0.0.1:3000`) that drill calls are posted to (default: the listening server's). */
  setBaseUrl(url: string): void {
    this.baseUrl = url;
  }

  /**
   * Starts a drill in its own world: a copy of the live fleet's definition (unit ids, capabilities,
   * bases), every unit available at its base or at the scenario's starting position, keyed by the
   * run id. No live unit is read for its state, taken, moved or reset; drills running at once never
   * see each other's units. Worlds left by ended runs (a process that died) are swept first.
   * @throws StateConflict (409) when a drill of the same scenario and days is running or paused, or
   *   {@link MAX_CONCURRENT_DRILLS} drills already run
   * @throws Error when the scenario cannot be read, the policy is unknown, or the days have no calls
   */
  async start(opts: DrillOptions): Promise<DrillRunView> {
    const going = [...this.runs.values()].filter((r) => r.state === 'running' || r.state === 'paused');
    const same = going.find((r) => r.opts.scenario === (opts.scenario ?? 'sf-north') && r.opts.day === opts.day && r.opts.toDay === (opts.toDay ?? opts.day));
    if (same) throw new StateConflict(`drill ${same.id} of the same days is ${same.state}; stop it first`, same.view());
    if (going.length >= MAX_CONCURRENT_DRILLS) {
      throw new StateConflict(`${going.length} drills are running (${going.map((r) => r.id).join(', ')}); stop one first`, going.map((r) => r.view()));
    }
    if (!this.baseUrl) {
      const addr = this.http.httpAdapter?.getHttpServer()?.address() as { port: number; address: string } | null;
      if (!addr?.port) throw new Error('drill: the API is not listening yet');
      this.baseUrl = `http://${addr.address === '::' || addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`;
    }
    const policy = opts.policy ?? 'nearest';
    if (!(DRILL_POLICIES as readonly string[]).includes(policy)) throw new Error(`unknown policy "${policy}" (known: ${DRILL_POLICIES.join(', ')})`);
    if (policy === 'moveups' && !this.moveUps) throw new Error('the moveups policy needs the drill move-up driver (DrillMoveUps) registered');
    const scenarioName = opts.scenario ?? 'sf-north';
    const scenario = this.scenario(scenarioName);
    const toDay = opts.toDay ?? opts.day;
    let calls = callsBetween(scenario, opts.day, toDay);
    if (opts.limit !== undefined) calls = calls.slice(0, opts.limit);
    if (calls.length === 0) throw new Error(`no calls from ${opts.day} to ${toDay} in scenario ${scenarioName}`);
    const surge = opts.surge ?? 1;
    calls = surgeCalls(calls, surge);
    const seed = opts.seed ?? 1;
    const calibration = calibrationOf(this.travel.model());

    const id = `drill-${opts.day}-${policy}${surge !== 1 ? `-x${surge}` : ''}-s${seed}-${Date.now().toString(36)}`;
    const run = new DrillRun(
      id,
      scenario,
      calls,
      { scenario: scenarioName, day: opts.day, toDay, speed: opts.speed, policy, seed, surge },
      new CrewModel(scenario.calls, seed),
      calibration,
      new Date(calls[0].received.getTime() - 30_000),
      // Call processing: each call's drawn from the other days of the data (its own day left out).
      new CallProcessingModel(scenario.calls, new Set(), seed),
    );
    await this.sweepEndedWorlds();
    // Recorded as running before its world exists, so no other process's sweep takes the world for a dead run's.
    this.runs.set(id, run);
    await this.ds.query(`INSERT INTO drill_run (id, policy, state, view, started_at) VALUES ($1, $2, $3, $4, $5)`, [id, policy, run.state, JSON.stringify(run.view()), run.startedAt]);
    try {
      await createWorld(this.ds, id, scenario.units);
      const homes: { id: string; home_lat: number; home_lon: number; unit_type: string }[] = await this.ds.query(
        `SELECT id, home_lat, home_lon, unit_type FROM unit WHERE world = $1`,
        [id],
      );
      run.homes = new Map(homes.map((h) => [h.id, { lat: h.home_lat, lon: h.home_lon, unitType: h.unit_type }]));
    } catch (e) {
      Object.assign(run, { state: 'failed', error: `world not created: ${(e as Error).message}`, finishedAt: new Date() });
      await this.ds.query(`UPDATE drill_run SET state = $2, view = $3, finished_at = $4 WHERE id = $1`, [id, run.state, JSON.stringify(run.view()), run.finishedAt]);
      throw e;
    }
    this.clock.start(id, run.simStart, opts.speed === 'max' ? null : opts.speed);
    run.done = this.loop(run);
    run.recorded = run.done.then(() => this.recordEnd(run));
    this.log.log(`drill ${id}: ${calls.length} calls of ${opts.day}..${toDay}${surge !== 1 ? ` compressed ${surge}x (surge)` : ''} at ${opts.speed === 'max' ? 'maximum speed' : `${opts.speed}x`}, policy ${policy}, seed ${seed}`);
    return run.view();
  }

  /**
   * Registers work to do when a run ends, before it counts as recorded (the report service stores
   * the after-action report this way). Errors are logged, never thrown into the run.
   */
  onEnded(listener: (run: DrillRun) => Promise<Record<string, unknown> | null>): void {
    this.endListeners.push(listener);
  }
  private readonly endListeners: ((run: DrillRun) => Promise<Record<string, unknown> | null>)[] = [];

  /**
   * Ends the exercise incidents a run leaves open (a stopped drill has no simulated crews left to
   * clear them): incidents not yet on scene are cancelled, and the units on scene clear, which closes
   * those incidents. Runs after the report is built, so the report shows the run as it stopped. Then
   * the run's world (its copy of the fleet) is deleted; its assignments stay, naming the world.
   */
  private async releaseExercise(run: DrillRun): Promise<void> {
    const open: { id: string; status: string }[] = await this.ds.query(
      `SELECT id, status FROM incident WHERE drill_id = $1 AND status NOT IN ('resolved', 'closed', 'cancelled', 'merged') ORDER BY received_at`,
      [run.id],
    );
    for (const i of open.filter((x) => x.status !== 'on_scene')) {
      await this.incidents.changeStatus(i.id, 'cancelled', `drill ${run.state}: exercise incident cancelled, its units freed`, 'drill');
    }
    const onScene: { id: string; status: string }[] = await this.ds.query(
      `SELECT a.id, a.status FROM assignment a JOIN incident i ON i.id = a.incident_id WHERE i.drill_id = $1 AND a.status NOT IN ('cleared')`,
      [run.id],
    );
    const at = new Date(run.simNow.getTime() + 1000);
    // A task not yet on scene (another unit's incident is on scene) is cancelled, with the reason: steps go in order.
    const before = ['dispatched', 'acknowledged', 'en_route'];
    for (const a of onScene) {
      const reason = before.includes(a.status) ? 'cancelled_by_dispatch' : undefined;
      await this.assignments.changeStatus(a.id, 'cleared', at, 'drill', undefined, undefined, { cancelReason: reason }).catch((e: Error) => this.log.warn(`drill ${run.id}: task ${a.id} not cleared: ${e.message}`));
    }
    if (open.length) this.log.log(`drill ${run.id}: released ${open.length} open exercise incident(s) and their units`);
    await dropWorld(this.ds, run.id);
  }

  /** Records an ended run: its final state and view, and the report the listeners built. */
  private async recordEnd(run: DrillRun): Promise<void> {
    let report: Record<string, unknown> | null = null;
    for (const l of this.endListeners) {
      report = (await l(run).catch((e: Error) => {
        this.log.warn(`drill ${run.id}: report not built: ${e.message}`);
        return null;
      })) ?? report;
    }
    await this.releaseExercise(run).catch((e: Error) => this.log.warn(`drill ${run.id}: exercise incidents not released: ${e.message}`));
    await this.ds
      .query(`UPDATE drill_run SET state = $2, view = $3, report = $4, finished_at = $5 WHERE id = $1`, [
        run.id,
        run.state,
        JSON.stringify(run.view()),
        report ? JSON.stringify(report) : null,
        run.finishedAt,
      ])
      .catch((e: Error) => this.log.warn(`drill ${run.id}: not recorded: ${e.message}`));
  }

  /**
   * The allocation policy a drill runs under, for dispatch to choose its allocator: from this
   * process's run, else from `drill_run` (a worker process dispatching a drill another process
   * started). Null for live incidents and unknown drills, which use the default.
   */
  async policyFor(drillId: string | null): Promise<DrillPolicy | null> {
    if (!drillId) return null;
    const r = this.runs.get(drillId);
    if (r) return r.opts.policy as DrillPolicy;
    return (await recordedDrillPolicy(this.ds, drillId)) as DrillPolicy | null;
  }

  /** Drill runs, newest first: this process's, then those recorded by earlier or other API processes (up to 50). */
  async list(): Promise<DrillRunView[]> {
    const mine = this.own();
    const rows = await this.ds.getRepository(DrillRunRow).find({ order: { startedAt: 'DESC' }, take: 50 });
    return [...mine, ...rows.filter((r) => !this.runs.has(r.id)).map(recordedView)];
  }

  /** The runs this process holds, newest first. */
  own(): DrillRunView[] {
    return [...this.runs.values()].reverse().map((r) => r.view());
  }

  /** Whether this process holds the run (its live state and crews). */
  has(id: string): boolean {
    return this.runs.has(id);
  }

  /** A run's view: live from this process, else as recorded. @throws NotFound */
  async viewOf(id: string): Promise<DrillRunView> {
    const r = this.runs.get(id);
    if (r) return r.view();
    const row = await this.ds.getRepository(DrillRunRow).findOneBy({ id });
    if (!row) throw new NotFound('drill', id);
    return recordedView(row);
  }

  /** The report recorded when a run ended (null while it runs or when none could be built). @throws NotFound */
  async recordedReport(id: string): Promise<Record<string, unknown> | null> {
    const row = await this.ds.getRepository(DrillRunRow).findOneBy({ id });
    if (!row) throw new NotFound('drill', id);
    return row.report;
  }

  /** A run held by this process (control and crews live here). @throws NotFound */
  get(id: string): DrillRun {
    const r = this.runs.get(id);
    if (!r) throw new NotFound('drill', id);
    return r;
  }

  /** @throws NotFound, StateConflict (409) unless running */
  pause(id: string): DrillRunView {
    const r = this.get(id);
    if (r.state !== 'running') throw new StateConflict(`drill ${id} is ${r.state}, not running`, r.state);
    r.state = 'paused';
    this.clock.setPaused(id, true);
    return r.view();
  }

  /** @throws NotFound, StateConflict (409) unless paused */
  resume(id: string): DrillRunView {
    const r = this.get(id);
    if (r.state !== 'paused') throw new StateConflict(`drill ${id} is ${r.state}, not paused`, r.state);
    r.state = 'running';
    this.clock.setPaused(id, false);
    return r.view();
  }

  /** Changes the speed (simulated seconds per real second, or `max`). @throws NotFound, StateConflict unless running or paused */
  setSpeed(id: string, speed: number | 'max'): DrillRunView {
    const r = this.get(id);
    if (r.state !== 'running' && r.state !== 'paused') throw new StateConflict(`drill ${id} is ${r.state}`, r.state);
    r.speed = speed;
    this.clock.setSpeed(id, speed === 'max' ? null : speed);
    return r.view();
  }

  /** Stops a drill (its incidents stay as they are, for the report). Resolves when the loop has ended. */
  async stop(id: string): Promise<DrillRunView> {
    const r = this.get(id);
    if (r.state === 'running' || r.state === 'paused') r.state = 'stopped';
    await r.done;
    return r.view();
  }

  /** Resolves when the run has finished, stopped or failed. */
  async whenDone(id: string): Promise<DrillRunView> {
    const r = this.get(id);
    await r.done;
    await r.recorded;
    return r.view();
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const r of this.runs.values()) if (r.state === 'running' || r.state === 'paused') r.state = 'stopped';
    await Promise.all([...this.runs.values()].map((r) => r.done.then(() => r.recorded)));
  }

  /**
   * The drill's event log, normalised for comparison between runs: simulated time, type, scenario
   * call id, unit, and the assignment or incident status (ids and wall times left out), sorted.
   */
  async eventLog(id: string): Promise<string[]> {
    const rows: { type: string; at: Date; unit_id: string | null; call_number: string | null; st: string | null; istatus: string | null }[] =
      await this.ds.query(
        `SELECT e.type, e.at, e.unit_id,
                (SELECT MIN(c.call_number) FROM call c WHERE c.incident_id = e.incident_id) AS call_number,
                e.payload->'assignment'->>'status' AS st, e.payload->>'status' AS istatus
           FROM incident_event e JOIN incident i ON i.id = e.incident_id
          WHERE i.drill_id = $1 ORDER BY e.seq, e.id`,
        [id],
      );
    const prefix = `${id}:`;
    // Sorted: at maximum speed different incidents' crew changes commit in parallel (see applyBatch).
    return rows.map((r) =>
      [r.at.toISOString(), r.type, r.call_number?.startsWith(prefix) ? r.call_number.slice(prefix.length) : r.call_number, r.unit_id ?? '', r.st ?? r.istatus ?? ''].join(
        '|',
      ),
    ).sort();
  }

  /**
   * Wall milliseconds from each drill call being accepted (its `call` row committed) to the first
   * dispatch decision on its incident (the dispatch transaction), from the database's own clock.
   */
  async acceptToDispatchMs(id: string): Promise<number[]> {
    const rows: { ms: number }[] = await this.ds.query(
      `SELECT EXTRACT(EPOCH FROM (MIN(e.recorded_at) - c.created_at)) * 1000 AS ms
         FROM call c JOIN incident_event e ON e.incident_id = c.incident_id AND e.actor = 'dispatch'
        WHERE c.drill_id = $1 GROUP BY c.id`,
      [id],
    );
    return rows.map((r) => Number(r.ms));
  }

  /** Loads (once per process) a scenario by name. */
  scenario(name: string): Scenario {
    let s = this.scenarios.get(name);
    if (!s) {
      s = loadScenario(name, this.config.DATA_DIR, this.config.DATA_TIME_ZONE);
      if (s.problems.length) this.log.warn(`scenario ${name}: ${s.problems.length} unreadable rows, first at line ${s.problems[0].line}: ${s.problems[0].reason}`);
      this.scenarios.set(name, s);
    }
    return s;
  }

  /**
   * Ends what runs no longer going left behind (a process that died mid-drill, or an older version
   * that ran drills on the live fleet): their open exercise incidents are cancelled, their tasks
   * cleared, and their worlds deleted. Runs recorded as running or paused elsewhere are left alone.
   */
  private async sweepEndedWorlds(): Promise<void> {
    const going = [...this.runs.values()].filter((r) => r.state === 'running' || r.state === 'paused').map((r) => r.id);
    await sweepWorlds(this.ds, going);
  }

  private async loop(run: DrillRun): Promise<void> {
    const t = run.profile;
    const timed = async <T>(k: keyof DrillRun['profile'], f: () => Promise<T>): Promise<T> => {
      const s0 = performance.now();
      try {
        return await f();
      } finally {
        t[k] += performance.now() - s0;
      }
    };
    const cpu0 = process.cpuUsage();
    const moveUps = run.opts.policy === 'moveups' ? this.moveUps : null;
    try {
      // Re-read the active assignments only after a step that may have created some (a call, a unit
      // freed for a waiting incident); en route and on scene change nothing but the assignment itself.
      let fresh = false;
      let waiting = 0;
      for (;;) {
        if (run.state === 'stopped') break;
        if (!fresh) {
          await timed('settleMs', () => this.settle(run));
          run.lastActive = await timed('activeMs', () => this.active(run));
          run.activeCount = run.lastActive.length;
          waiting = await this.waitingForUnits(run);
          fresh = true;
          // Free units changed (a call dispatched, a unit cleared): look for move-ups.
          if (moveUps) await timed('moveUpMs', () => moveUps.look(run, run.simNow));
        }
        const next = this.nextTransition(run, run.lastActive);
        const call = run.queue[0];
        if (!call && !next) {
          run.state = 'finished';
          break;
        }
        const callFirst = call && (!next || run.postTime(call) <= next.due.getTime());
        const at = callFirst ? new Date(run.postTime(call)) : next!.due;
        const moveAt = moveUps?.due(run) ?? null;
        const closureFirst = run.nextClosureChange();
        if (moveAt && moveAt.getTime() <= at.getTime() && (!closureFirst || moveAt.getTime() < closureFirst.getTime())) {
          // A move-up's crew acknowledges, or the unit reaches its station.
          if (!(await this.pace(run, moveAt))) break;
          run.simNow = moveAt;
          this.clock.advance(run.id, moveAt);
          t.steps++;
          await timed('moveUpMs', () => moveUps!.advance(run, moveAt));
          continue;
        }
        const closureAt = run.nextClosureChange();
        if (closureAt && closureAt.getTime() <= at.getTime()) {
          // A scenario road closure opens or lifts first: on this drill's routing only.
          if (!(await this.pace(run, closureAt))) break;
          run.simNow = closureAt;
          this.clock.advance(run.id, closureAt);
          t.steps++;
          await this.changeClosures(run, closureAt);
          fresh = false;
          continue;
        }
        if (!(await this.pace(run, at))) break;
        if (run.rerouted) {
          // A closure re-routed a unit while waiting: its arrival moved, so choose the next step again.
          run.rerouted = false;
          continue;
        }
        run.simNow = at;
        this.clock.advance(run.id, at);
        t.steps++;
        if (callFirst) {
          await timed('postMs', () => this.post(run, run.queue.shift()!));
          fresh = false;
        } else if ((next!.to === 'cleared' && waiting > 0) || run.speed !== 'max') {
          await timed('applyMs', () => this.apply(run, next!.row, next!.to, at));
          if (next!.to === 'cleared') fresh = false;
        } else {
          // With no incident waiting for units, a unit clearing creates no work either: it joins the batch.
          if (await timed('applyMs', () => this.applyBatch(run, next!, call ? new Date(run.postTime(call)) : null, waiting === 0))) fresh = false;
        }
      }
      await this.settle(run);
      const log = await this.eventLog(run.id);
      run.events = log.length;
      run.eventLogHash = createHash('sha256').update(log.join('\n')).digest('hex');
    } catch (e) {
      run.state = 'failed';
      run.error = (e as Error).message;
      this.log.error(`drill ${run.id} failed: ${run.error}`);
    } finally {
      await this.closures.liftForDrill(run.id, run.simNow).catch((e: Error) => this.log.warn(`drill ${run.id}: closures not lifted: ${e.message}`));
      for (const c of run.closureLog) if (c.state === 'open') Object.assign(c, { state: 'lifted', liftedAt: run.simNow.toISOString(), closureId: null });
      run.finishedAt = new Date();
      this.clock.stop(run.id);
      const p = run.profile;
      const cpu = process.cpuUsage(cpu0);
      p.cpuMs = (cpu.user + cpu.system) / 1000;
      this.log.log(
        `drill ${run.id} ${run.state}: ${run.posted} calls in ${run.view().wallSeconds.toFixed(1)} s ` +
          `(${p.steps} steps; settle ${p.settleMs.toFixed(0)} ms, read ${p.activeMs.toFixed(0)} ms, post ${p.postMs.toFixed(0)} ms, crews ${p.applyMs.toFixed(0)} ms; CPU ${p.cpuMs.toFixed(0)} ms)`,
      );
    }
  }

  /**
   * Opens the run's scenario closures due at `at` and lifts those whose end is reached. An opened
   * closure is applied to this drill's routing only and re-routes the drill's tasks driving along it.
   */
  private async changeClosures(run: DrillRun, at: Date): Promise<void> {
    const lift: string[] = [];
    for (const [k, c] of run.closureLog.entries()) {
      if (c.state === 'open' && c.until && Date.parse(c.until) <= at.getTime()) {
        lift.push(c.closureId!);
        Object.assign(c, { state: 'lifted', liftedAt: at.toISOString(), closureId: null });
      } else if (c.state === 'pending' && Math.max(Date.parse(c.at), run.simStart.getTime()) <= at.getTime()) {
        const s = run.scheduledClosures[k];
        const geometry = s.geometry ?? circle([s.lon, s.lat], s.radiusMetres ?? 30, { units: 'meters', steps: 24 }).geometry;
        const opened = await this.closures.openForDrill(run.id, geometry, s.note ?? 'scenario road closure', at);
        if (!opened) {
          c.state = 'closes_no_road';
          continue;
        }
        Object.assign(c, { state: 'open', openedAt: at.toISOString(), closureId: opened.id, closedEdges: opened.closedEdges, rerouted: opened.rerouted.length });
      }
    }
    if (lift.length) await this.closures.liftForDrill(run.id, at, lift);
    // Crews driving (or about to drive) a re-routed task take the new route from now.
    await this.followReroutes(run, at);
  }

  /**
   * Waits until no intake or dispatch job is waiting or running: woken by each job this process's
   * workers finish, not by polling Redis every millisecond (issue 19's profile).
   */
  private async settle(run: DrillRun): Promise<void> {
    let asks = 0;
    await this.queues.idle(() => run.state === 'stopped' && ++asks > 2000);
  }

  /**
   * Waits (at a finite speed) until the clock reaches `at`, broadcasting AVL positions meanwhile;
   * waits while paused. @returns false when the run was stopped
   */
  private async pace(run: DrillRun, at: Date): Promise<boolean> {
    let lastAvl = 0;
    for (;;) {
      if (run.state === 'stopped') return false;
      if (run.state === 'paused') {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const wait = this.clock.realMsUntil(run.id, at);
      if (wait <= 0) {
        // Far behind (the machine could not keep up): re-anchor, so the clock does not race to catch up.
        if (wait < -2000) this.clock.anchor(run.id, at.getTime());
        return true;
      }
      if (Date.now() - lastAvl >= 500) {
        lastAvl = Date.now();
        await this.broadcastPositions(run, this.clock.now(run.id));
        if (run.rerouted) return true;
      }
      await new Promise((r) => setTimeout(r, Math.min(wait, 250)));
    }
  }

  private async post(run: DrillRun, c: ScenarioCall): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({
        callNumber: run.callNumber(c.externalId),
        type: c.type,
        priority: c.priority,
        lat: c.lat,
        lon: c.lon,
        ...(c.address ? { address: c.address } : {}),
        receivedAt: c.received.toISOString(),
        source: 'drill',
        exercise: true,
        drillId: run.id,
      }),
    });
    if (res.status !== 202) {
      run.refused++;
      this.log.warn(`call ${c.externalId} refused: ${res.status} ${await res.text()}`);
    } else run.posted++;
  }

  private async active(run: DrillRun): Promise<ActiveRow[]> {
    const rows: ActiveRow[] = await this.ds.query(
      `SELECT a.id, a.unit_id, u.unit_type, a.capability, a.status, a.eta_seconds, a.turnout_seconds, a.route, a.dispatched_at, a.en_route_at, a.on_scene_at,
              (SELECT MIN(c.call_number) FROM call c WHERE c.incident_id = i.id) AS call_number, a.incident_id, i.lat, i.lon
         FROM assignment a JOIN incident i ON i.id = a.incident_id JOIN unit u ON u.world = a.world AND u.id = a.unit_id
        WHERE i.drill_id = $1 AND a.status <> 'cleared'`,
      [run.id],
    );
    const prefix = `${run.id}:`;
    for (const a of rows) {
      if (run.sims.has(a.id)) continue;
      const callId = a.call_number?.startsWith(prefix) ? a.call_number.slice(prefix.length) : (a.call_number ?? '');
      // A unit dispatched later to a waiting incident carries the incident's receipt time: it was dispatched now.
      const dispatchedAt = new Date(Math.max(a.dispatched_at.getTime(), run.simNow.getTime()));
      run.sims.set(a.id, {
        assignmentId: a.id,
        callId,
        unitId: a.unit_id,
        unitType: a.unit_type,
        capability: a.capability,
        dispatchedAt,
        enRouteAt: null,
        onSceneAt: null,
        clearedAt: null,
        turnoutS: run.crews.turnout(callId, a.unit_id, a.unit_type),
        // The travel model's travel time as dispatch computed it (ETA − turnout); the crew's own turnout is drawn above.
        travelS: a.eta_seconds >= 0 ? a.eta_seconds - (a.turnout_seconds ?? 0) : Infinity,
      });
    }
    return rows;
  }

  /** The earliest crew transition due, ties broken by unit id (deterministic). */
  private nextTransition(run: DrillRun, rows: ActiveRow[]): { row: ActiveRow; to: 'en_route' | 'on_scene' | 'cleared'; due: Date } | null {
    let best: { row: ActiveRow; to: 'en_route' | 'on_scene' | 'cleared'; due: Date } | null = null;
    for (const a of rows) {
      const s = run.sims.get(a.id)!;
      let due: number;
      let to: 'en_route' | 'on_scene' | 'cleared';
      if (a.status === 'dispatched' || a.status === 'acknowledged') [due, to] = [s.dispatchedAt.getTime() + s.turnoutS * 1000, 'en_route'];
      else if (a.status === 'en_route') [due, to] = [(s.enRouteAt ?? a.en_route_at!).getTime() + s.travelS * 1000, 'on_scene'];
      else [due, to] = [(s.onSceneAt ?? a.on_scene_at!).getTime() + run.crews.onScene(s.callId, s.unitType) * 1000, 'cleared'];
      due = Math.round(due);
      if (!best || due < best.due.getTime() || (due === best.due.getTime() && a.unit_id < best.row.unit_id)) best = { row: a, to, due: new Date(due) };
    }
    return best;
  }

  /** Applies one crew transition and notes it in memory. */
  private async apply(run: DrillRun, a: ActiveRow, to: 'en_route' | 'on_scene' | 'cleared', at: Date): Promise<void> {
    await this.report(run, a, to, at);
    this.note(run, a, to, at);
  }

  /**
   * Reports one crew transition to the assignments service. Steps go in order: a simulated crew
   * acknowledges its task as it turns out (en route), recorded in the same transaction at the same
   * simulated time (the drill's turnout is the data's dispatch-to-response time, with no acknowledgement).
   */
  private async report(run: DrillRun, a: ActiveRow, to: 'en_route' | 'on_scene' | 'cleared', at: Date): Promise<void> {
    await this.assignments.changeStatus(a.id, to, at, 'drill', positionAfter(run, a, to), undefined, { acknowledgeOnTurnout: to === 'en_route' });
  }

  private note(run: DrillRun, a: ActiveRow, to: 'en_route' | 'on_scene' | 'cleared', at: Date): void {
    const s = run.sims.get(a.id)!;
    if (to === 'en_route') s.enRouteAt = at;
    else if (to === 'on_scene') s.onSceneAt = at;
    else s.clearedAt = at;
    if (to !== 'cleared') a.status = to;
  }

  /**
   * At maximum speed: takes every en-route and on-scene transition due before the next call or the next
   * unit clearing (neither of which can create work), and the clearings too when no incident waits for
   * a unit (`clears`), in time order, and applies them with one
   * worker per incident (four at a time): each incident's changes stay in time order, so its events
   * are the same on every run; only the interleaving of different incidents' rows in the log varies,
   * which `eventLog` orders away.
   */
  private async applyBatch(
    run: DrillRun,
    first: { row: ActiveRow; to: 'en_route' | 'on_scene' | 'cleared'; due: Date },
    nextCall: Date | null,
    clears: boolean,
  ): Promise<boolean> {
    const byIncident = new Map<string, { row: ActiveRow; to: 'en_route' | 'on_scene' | 'cleared'; at: Date }[]>();
    let n: typeof first | null = first;
    let cleared = false;
    while (n && (clears || n.to !== 'cleared') && (nextCall === null || n.due.getTime() < nextCall.getTime())) {
      const list = byIncident.get(n.row.incident_id) ?? byIncident.set(n.row.incident_id, []).get(n.row.incident_id)!;
      list.push({ row: n.row, to: n.to, at: n.due });
      this.note(run, n.row, n.to, n.due);
      run.simNow = n.due;
      if (n.to === 'cleared') {
        cleared = true;
        const done = n.row;
        run.lastActive = run.lastActive.filter((a) => a !== done);
      }
      n = this.nextTransition(run, run.lastActive);
    }
    this.clock.advance(run.id, run.simNow);
    const groups = [...byIncident.values()];
    const worker = async () => {
      for (let g = groups.shift(); g; g = groups.shift()) {
        for (const x of g) await this.report(run, x.row, x.to, x.at);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return cleared;
  }

  /** The run's incidents waiting for a unit to be freed: one of its units clearing would dispatch them. */
  private async waitingForUnits(run: DrillRun): Promise<number> {
    const [{ n }]: { n: number }[] = await this.ds.query(
      `SELECT count(*)::int AS n FROM incident WHERE drill_id = $1 AND status = 'received' AND last_error IS NOT NULL AND auto_dispatch`,
      [run.id],
    );
    return n;
  }

  /**
   * Picks up routes changed since the step began (a road closure re-routed the task): the unit then
   * drives the new route from where it is now, at the travel model's travel time for it.
   */
  private async followReroutes(run: DrillRun, now: Date): Promise<void> {
    const moving = run.lastActive.filter((a) => a.status === 'en_route' || a.status === 'dispatched');
    if (!moving.length) return;
    const rows: { id: string; route: LineString | null; eta_seconds: number; turnout_seconds: number | null }[] = await this.ds.query(
      `SELECT id, route, eta_seconds, turnout_seconds FROM assignment WHERE id = ANY($1)`,
      [moving.map((a) => a.id)],
    );
    for (const r of rows) {
      const a = moving.find((x) => x.id === r.id)!;
      const s = run.sims.get(a.id);
      if (!s || JSON.stringify(r.route) === JSON.stringify(a.route)) continue;
      a.route = r.route;
      run.rerouted = true;
      // A crew still turning out drives the whole new route once en route; one driving starts it from here.
      if (a.status === 'en_route') s.enRouteAt = now;
      s.travelS = r.eta_seconds >= 0 ? r.eta_seconds - (r.turnout_seconds ?? 0) : Infinity;
    }
  }

  private async broadcastPositions(run: DrillRun, now: Date): Promise<void> {
    await this.followReroutes(run, now);
    const positions: { unitId: string; lat: number; lon: number }[] = [];
    for (const a of run.lastActive) {
      const s = run.sims.get(a.id);
      if (a.status !== 'en_route' || !s?.enRouteAt) continue;
      const f = !Number.isFinite(s.travelS) ? 0 : s.travelS > 0 ? (now.getTime() - s.enRouteAt.getTime()) / (s.travelS * 1000) : 1;
      const [lon, lat] = pointAlong(a.route, f) ?? [a.lon, a.lat];
      positions.push({ unitId: a.unit_id, lat, lon });
    }
    if (!positions.length) return;
    // En-route positions never feed allocation (a unit en route is not available), so this keeps runs deterministic.
    await this.ds.query(
      `UPDATE unit u SET lat = p.lat, lon = p.lon FROM unnest($1::text[], $2::float8[], $3::float8[]) AS p(id, lat, lon) WHERE u.world = $4 AND u.id = p.id`,
      [positions.map((p) => p.unitId), positions.map((p) => p.lat), positions.map((p) => p.lon), run.id],
    );
    this.realtime.broadcastAvl(now, positions, run.id);
  }
}

/**
 * Where a simulated crew is after a transition: on scene at the incident; after clearing, a fire unit
 * is back at its station (the data's engine and truck travel fits best from the station, and the
 * data has no return trips), while an ambulance or other EMS unit stays where it cleared, at the
 * incident: the data has no hospital positions, so a transport's end is unknown and the incident is
 * the nearest thing the data gives (assumption, issue 20). Otherwise unchanged (undefined).
 */
function positionAfter(run: DrillRun, a: ActiveRow, to: 'en_route' | 'on_scene' | 'cleared'): { lat: number; lon: number } | undefined {
  if (to === 'on_scene') return { lat: a.lat, lon: a.lon };
  if (to !== 'cleared' || isEmsUnit(a.unit_type)) return undefined;
  const home = run.homes.get(a.unit_id);
  return home ? { lat: home.lat, lon: home.lon } : undefined;
}

/**
 * The point at fraction `f` (0..1) of a LineString's length (planar on lon/lat, fine at street scale),
 * `[lon, lat]`; null for a missing or empty line.
 */
export function pointAlong(line: LineString | null, f: number): [number, number] | null {
  if (!line || line.coordinates.length === 0) return null;
  const c = line.coordinates;
  if (c.length === 1 || f <= 0) return [c[0][0], c[0][1]];
  const kx = Math.cos((c[0][1] * Math.PI) / 180);
  const seg: number[] = [];
  let total = 0;
  for (let i = 1; i < c.length; i++) {
    const d = Math.hypot((c[i][0] - c[i - 1][0]) * kx, c[i][1] - c[i - 1][1]);
    seg.push(d);
    total += d;
  }
  let want = Math.min(1, f) * total;
  for (let i = 1; i < c.length; i++) {
    if (want <= seg[i - 1] || i === c.length - 1) {
      const t = seg[i - 1] > 0 ? Math.min(1, want / seg[i - 1]) : 1;
      return [c[i - 1][0] + (c[i][0] - c[i - 1][0]) * t, c[i - 1][1] + (c[i][1] - c[i - 1][1]) * t];
    }
    want -= seg[i - 1];
  }
  return [c[c.length - 1][0], c[c.length - 1][1]];
}

/** A recorded run as the API shows it: its last recorded view, with the state recorded at its end. */
function recordedView(row: DrillRunRow): DrillRunView {
  return { ...(row.view as unknown as DrillRunView), state: row.state as DrillState };
}
