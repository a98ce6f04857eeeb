import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { callsBetween, Scenario } from '@cad/db';
import { NotFound, StateConflict } from '../common/errors';
import { ClockService } from '../platform/clock/clock.service';
import { recordedDrillPolicy } from '../dispatch/drill-policy.store';
import { createWorld, sweepWorlds, worldHomes } from './world';
import { CallProcessingModel, CrewModel } from './crews';
import { surgeCalls } from './surge';
import { DRILL_POLICIES, DRILL_SHUTDOWN_REASON, DrillOptions, DrillPolicy, DrillRun, DrillRunView, MAX_CONCURRENT_DRILLS } from './drill-run';
import { acceptToDispatchMs, drillEventLog } from './drill-event-log';
import { DrillCallPoster } from './drill-call-poster';
import { DrillLoop } from './drill-loop.service';
import { drillRunStore, recordedView } from './drill-run.store';
import { DrillRunLeases } from './drill-run-leases';
import { DrillScenarios } from './drill-scenarios.service';
import { SimulatedCrews } from './simulated-crews.service';

/**
 * Drill runs (exercises): starts, pauses, resumes, re-paces and stops them, holds this process's runs,
 * and records each in `drill_run` so its state, view and report outlive the process. A run replays a
 * scenario's calls in its own world (a copy of the fleet) on a simulated clock; the stepping is
 * {@link DrillLoop}'s, the crews {@link SimulatedCrews}', the scenario and calibration {@link DrillScenarios}'.
 */
@Injectable()
export class DrillService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Drill');
  private readonly runs = new Map<string, DrillRun>();
  /** Leases on the runs this process runs: a run recorded going whose lease is free lost its process. */
  private readonly leases: DrillRunLeases;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: ClockService,
    private readonly scenarios: DrillScenarios,
    private readonly loop: DrillLoop,
    private readonly crews: SimulatedCrews,
    private readonly calls: DrillCallPoster,
  ) {
    this.leases = new DrillRunLeases((ds.options as { url?: string }).url, {
      going: async (id) => (await drillRunStore.going(this.ds)).includes(id),
      lost: (id, why) => this.leaseLost(id, why),
    });
  }

  /** Why runs of this process lost their lease (recorded `failed` with it when they end). */
  private readonly lostLeases = new Map<string, string>();

  /**
   * A run whose lease could not be held again (see {@link DrillRunLeases}): another process may take it
   * for dead and end its world, so it is stopped here and recorded `failed` with `why`.
   */
  private leaseLost(id: string, why: string): void {
    const run = this.runs.get(id);
    if (!run || (run.state !== 'running' && run.state !== 'paused')) return;
    this.log.error(`drill ${id}: ${why}; stopped and recorded failed`);
    this.lostLeases.set(id, why);
    run.state = 'stopped';
  }

  /** At start-up: runs left `running` by a process that died are recorded `failed` and their worlds ended. */
  async onApplicationBootstrap(): Promise<void> {
    await this.endInterrupted().catch((e: Error) => this.log.warn(`interrupted drills not ended: ${e.message}`));
  }

  /**
   * Ends the runs recorded as running or paused whose process is gone (no session holds their lease,
   * see {@link DrillRunLeases}; a process killed mid-drill): each is recorded `failed` with the reason,
   * and its world is ended the way a stop's is (open exercise tasks cleared, open exercise incidents
   * cancelled, its unit rows deleted). Runs this process holds and runs another live process holds are
   * left alone.
   * @param only just this run (default: every run recorded as going)
   * @returns ids of the runs ended
   * @throws Error when Postgres cannot be reached
   */
  async endInterrupted(only?: string): Promise<string[]> {
    const ended: string[] = [];
    for (const id of await drillRunStore.going(this.ds)) {
      if ((only !== undefined && id !== only) || this.runs.has(id) || !(await this.leases.orphaned(id))) continue;
      if (await drillRunStore.interrupted(this.ds, id, 'interrupted: the process running the drill ended while it ran (killed or crashed)')) ended.push(id);
    }
    if (ended.length) {
      this.log.warn(`drills interrupted by the end of their process, recorded failed: ${ended.join(', ')}`);
      await this.sweepEndedWorlds();
    }
    return ended;
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
    const policy = opts.policy ?? 'nearest';
    if (!(DRILL_POLICIES as readonly string[]).includes(policy)) throw new Error(`unknown policy "${policy}" (known: ${DRILL_POLICIES.join(', ')})`);
    const scenarioName = opts.scenario ?? 'sf-north';
    const scenario = this.scenarios.scenario(scenarioName);
    const toDay = opts.toDay ?? opts.day;
    let calls = callsBetween(scenario, opts.day, toDay);
    if (opts.limit !== undefined) calls = calls.slice(0, opts.limit);
    if (calls.length === 0) throw new Error(`no calls from ${opts.day} to ${toDay} in scenario ${scenarioName}`);
    const surge = opts.surge ?? 1;
    calls = surgeCalls(calls, surge);
    const seed = opts.seed ?? 1;
    const calibration = this.scenarios.calibration();
    // Fire units' travel: the model's median from where they set off × a residual of another day (`CrewModel.travelRatio`).
    const residuals = await this.scenarios.travelResiduals(scenarioName);

    const id = `drill-${opts.day}-${policy}${surge !== 1 ? `-x${surge}` : ''}-s${seed}-${Date.now().toString(36)}`;
    const run = new DrillRun(
      id,
      scenario,
      calls,
      { scenario: scenarioName, day: opts.day, toDay, speed: opts.speed, policy, seed, surge, plans: opts.plans ?? 'history' },
      new CrewModel(scenario.calls, seed, residuals),
      calibration,
      new Date(calls[0].received.getTime() - 30_000),
      // Call processing: each call's drawn from the other days of the data (its own day left out).
      new CallProcessingModel(scenario.calls, new Set(), seed),
    );
    await this.endInterrupted();
    await this.sweepEndedWorlds();
    // Recorded as running before its world exists, so no other process's sweep takes the world for a dead run's;
    // its lease is held before that record, so no start-up takes it for a dead process's run.
    await this.leases.hold(id);
    this.runs.set(id, run);
    await drillRunStore.started(this.ds, run);
    try {
      await createWorld(this.ds, id, scenario.units);
      run.homes = await worldHomes(this.ds, id);
    } catch (e) {
      Object.assign(run, { state: 'failed', error: `world not created: ${(e as Error).message}`, finishedAt: new Date() });
      await drillRunStore.ended(this.ds, run);
      await this.leases.release(id);
      throw e;
    }
    this.clock.start(id, run.simStart, opts.speed === 'max' ? null : opts.speed);
    run.done = this.loop.run(run);
    run.recorded = run.done.then(() => this.recordEnd(run)).finally(() => this.leases.release(id));
    this.log.log(`drill ${id}: ${calls.length} calls of ${opts.day}..${toDay}${surge !== 1 ? ` compressed ${surge}x (surge)` : ''} at ${opts.speed === 'max' ? 'maximum speed' : `${opts.speed}x`}, policy ${policy}, seed ${seed}, first alarms from ${run.opts.plans}`);
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

  /** Ends a run's record: builds the listeners' report, releases its exercise, then records its final state, view and report. */
  private async recordEnd(run: DrillRun): Promise<void> {
    const lost = this.lostLeases.get(run.id);
    if (lost) Object.assign(run, { state: 'failed', error: lost });
    let report: Record<string, unknown> | null = null;
    for (const l of this.endListeners) {
      report = (await l(run).catch((e: Error) => {
        this.log.warn(`drill ${run.id}: report not built: ${e.message}`);
        return null;
      })) ?? report;
    }
    await this.crews.releaseExercise(run).catch((e: Error) => this.log.warn(`drill ${run.id}: exercise incidents not released: ${e.message}`));
    await drillRunStore.ended(this.ds, run, report).catch((e: Error) => this.log.warn(`drill ${run.id}: not recorded: ${e.message}`));
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
    const rows = await drillRunStore.latest(this.ds, 50);
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
    const row = await drillRunStore.one(this.ds, id);
    if (!row) throw new NotFound('drill', id);
    return recordedView(row);
  }

  /** The report recorded when a run ended (null while it runs or when none could be built). @throws NotFound */
  async recordedReport(id: string): Promise<Record<string, unknown> | null> {
    const row = await drillRunStore.one(this.ds, id);
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
    r.setSpeed(speed, this.clock.now(id));
    this.clock.setSpeed(id, speed === 'max' ? null : speed);
    return r.view();
  }

  /**
   * Stops a drill (its incidents stay as they are, for the report). Resolves when the loop has ended.
   * A run this process does not hold: one whose process died is ended now (recorded `failed`, its
   * world ended) and its recorded view answered, as is an ended run's.
   * @throws NotFound for an unknown run; StateConflict (409) when another live process runs it
   */
  async stop(id: string): Promise<DrillRunView> {
    if (!this.runs.has(id)) {
      await this.endInterrupted(id);
      const row = await drillRunStore.one(this.ds, id);
      if (!row) throw new NotFound('drill', id);
      if (row.state === 'running' || row.state === 'paused') throw new StateConflict(`drill ${id} is ${row.state} in another API process; stop it there`, row.state);
      return recordedView(row);
    }
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

  /**
   * The server shuts down (SIGTERM, `app.close()`): each run still going is stopped where it was and
   * recorded `stopped` with {@link DRILL_SHUTDOWN_REASON} (a run whose loop the closing queues broke
   * first is recorded the same way by {@link DrillLoop}), never `failed` with a connection error.
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const r of this.runs.values()) if (r.state === 'running' || r.state === 'paused') Object.assign(r, { state: 'stopped', error: DRILL_SHUTDOWN_REASON });
    await Promise.all([...this.runs.values()].map((r) => r.done.then(() => r.recorded)));
    await this.leases.close();
  }

  /** The run's event log, normalised for comparison between runs (see {@link drillEventLog}). */
  eventLog(id: string): Promise<string[]> {
    return drillEventLog(this.ds, id);
  }

  /** Wall milliseconds from each of the run's calls being accepted to its first dispatch decision (see {@link acceptToDispatchMs}). */
  acceptToDispatchMs(id: string): Promise<number[]> {
    return acceptToDispatchMs(this.ds, id);
  }

  /** A scenario by name, loaded once per process (see `DrillScenarios.scenario`). @throws Error when it cannot be read */
  scenario(name: string): Scenario {
    return this.scenarios.scenario(name);
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
}
