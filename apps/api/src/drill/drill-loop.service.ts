import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueuesService } from '../queues/queues.service';
import { ClockService } from '../platform/clock/clock.service';
import { DrillCallPoster } from './drill-call-poster';
import { drillEventLog } from './drill-event-log';
import { DrillMoveUpSteps } from './drill-move-up-steps.service';
import { DRILL_SHUTDOWN_REASON, DrillRun } from './drill-run';
import { DrillScenarioClosures } from './drill-scenario-closures.service';
import { SimulatedCrews } from './simulated-crews.service';

/**
 * The simulation loop of a drill run: its simulated clock and its steps.
 *
 * The run is a discrete-event simulation through the real system: the next thing to happen is either
 * the next recorded call (handed to intake through `CallsService`, as `POST /api/calls` would, as an
 * exercise call with the drill's id: see `DrillCallPoster`), the
 * next crew transition (en route after the drawn turnout, on scene after the travel model's travel
 * time, available after the data's on-scene time; each call is posted after its drawn call
 * processing), a scenario road closure opening or lifting, or (policy `moveups`) a move-up's next
 * step. Before each step the drill waits until the intake and dispatch queues are idle, so the same
 * scenario, policy and seed give the same event log at any speed. At a finite speed it waits for the
 * clock to reach each step (AVL positions are broadcast meanwhile); at `max` it does not wait.
 */
@Injectable()
export class DrillLoop {
  private readonly log = new Logger('Drill');

  constructor(
    private readonly ds: DataSource,
    private readonly clock: ClockService,
    private readonly queues: QueuesService,
    private readonly crews: SimulatedCrews,
    private readonly closures: DrillScenarioClosures,
    private readonly calls: DrillCallPoster,
    private readonly moveUps: DrillMoveUpSteps,
  ) {}

  /**
   * Plays a run to its end (finished, stopped or failed; a failure is recorded on the run, never
   * thrown), then sets its event-log hash and lifts its closures. Never rejects.
   */
  async run(run: DrillRun): Promise<void> {
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
      const serverStarted = await this.serverStartedAt();
      // Re-read the active assignments only after a step that may have created some (a call, a unit
      // freed for a waiting incident); en route and on scene change nothing but the assignment itself.
      let fresh = false;
      let waiting = 0;
      for (;;) {
        if (run.state === 'stopped') break;
        if (!fresh) {
          await timed('settleMs', () => this.settle(run));
          // Two reads at once, on two pooled connections: one round trip's wait instead of two.
          [run.lastActive, waiting] = await timed('activeMs', () => Promise.all([this.crews.active(run), this.crews.waitingForUnits(run)]));
          run.activeCount = run.lastActive.length;
          fresh = true;
          // Free units changed (a call dispatched, a unit cleared): look for move-ups.
          if (moveUps) await timed('moveUpMs', () => moveUps.look(run, run.simNow));
        }
        const next = this.crews.nextTransition(run, run.lastActive);
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
          // A move-up's simulated agreement (dispatcher, district, crew), or the unit reaches its station.
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
          await this.closures.change(run, closureAt);
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
          await timed('postMs', () => this.calls.post(run, run.queue.shift()!));
          fresh = false;
        } else if ((next!.to === 'cleared' && waiting > 0) || run.speed !== 'max') {
          await timed('applyMs', () => this.crews.apply(run, next!.row, next!.to, at));
          if (next!.to === 'cleared') fresh = false;
        } else {
          // With no incident waiting for units, a unit clearing creates no work either: it joins the batch.
          if (await timed('applyMs', () => this.crews.applyBatch(run, next!, call ? new Date(run.postTime(call)) : null, waiting === 0))) fresh = false;
        }
      }
      await this.settle(run);
      // A drill's transactions commit without waiting for their WAL flush (migration 1766680000001): a
      // PostgreSQL crash meanwhile may have lost its last ones while the run went on, so it is not the replay.
      if ((await this.serverStartedAt()) !== serverStarted) {
        throw new Error('PostgreSQL restarted during the run: its last drill commits before the restart may be lost (drill commits do not wait for the disk); replay the drill');
      }
      const log = await drillEventLog(this.ds, run.id);
      run.events = log.length;
      run.eventLogHash = createHash('sha256').update(log.join('\n')).digest('hex');
    } catch (e) {
      if (this.queues.closing) {
        // The server is shutting down (its queues closed under the run): stopped where it was, never "failed: Connection is closed".
        run.state = 'stopped';
        run.error = DRILL_SHUTDOWN_REASON;
        this.log.warn(`drill ${run.id}: ${DRILL_SHUTDOWN_REASON} (${(e as Error).message})`);
      } else {
        run.state = 'failed';
        run.error = (e as Error).message;
        this.log.error(`drill ${run.id} failed: ${run.error}`);
      }
    } finally {
      await this.closures.liftAll(run);
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

  /** When the PostgreSQL server started (ISO text): a change means it restarted. */
  private async serverStartedAt(): Promise<string> {
    const [{ at }]: { at: string }[] = await this.ds.query(`SELECT pg_postmaster_start_time()::text AS at`);
    return at;
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
        await this.crews.broadcastPositions(run, this.clock.now(run.id));
        if (run.rerouted) return true;
      }
      await new Promise((r) => setTimeout(r, Math.min(wait, 250)));
    }
  }
}
