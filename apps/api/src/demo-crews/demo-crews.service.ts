import { AssignmentStatus } from '@cad/domain';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isDemoRecord } from '../auth/first-start';
import { DomainError } from '../common/errors';
import { AppConfig } from '../config/config';
import { AssignmentsService } from '../incidents/assignments.service';

/** The actor of a demo crew's reports (events, task history). */
export const DEMO_CREW_ACTOR = 'demo-crew';
/** A unit whose account's phone spoke to CAD this recently is answered by its phone, not a demo crew, seconds. */
const PHONE_RECENT_S = 900;
/** Turnout when a task has none recorded, seconds (NFPA 1710 §4.1.2.1: 60 s EMS, 80 s fire; the shorter). */
const DEFAULT_TURNOUT_S = 60;

/** One live task a demo crew may step, as read by {@link DemoCrewsService.tick}. */
interface DemoTask {
  id: string;
  status: AssignmentStatus;
  dispatched_at: Date;
  on_scene_at: Date | null;
  eta_seconds: number;
  turnout: number;
  now: Date;
}

/**
 * Simulated crews for a demo record's LIVE fleet (`DEMO_CREWS=true`, `npm start`). Without them every live
 * task of a demo, where no phone is signed in, runs into its acknowledgement timeouts and takes its unit out
 * of service: within an hour of trying the console the live fleet is gone. A demo crew answers a task
 * as a crew would, through the same status reports a phone sends (`AssignmentsService.changeStatus`, actor
 * {@link DEMO_CREW_ACTOR}, same rules and events):
 * - acknowledged `DEMO_CREW_ACK_S` after the dispatch;
 * - en route at dispatch + turnout (the task's `turnoutSeconds`, else 60 s);
 * - on scene at dispatch + the task's ETA (turnout + modelled travel); a task with no route (ETA -1) is left to the dispatcher;
 * - cleared `DEMO_CREW_ON_SCENE_S` after arriving (a transport, which needs a hospital, is never simulated).
 * Never on another world (a drill's crews are its own), never on a record that is not a demo (said loudly
 * at start), never on a task a person has reported on (any `assignment.updated` of the task by another actor)
 * and never for a unit whose own account's phone spoke to CAD in the last 15 minutes.
 * Runs in processes that run workers, every `DEMO_CREW_TICK_S`.
 */
@Injectable()
export class DemoCrewsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('DemoCrews');
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private enabled = false;

  constructor(
    private readonly ds: DataSource,
    private readonly assignments: AssignmentsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.DEMO_CREWS || !this.config.RUN_WORKERS) return;
    if (!(await isDemoRecord(this.ds))) {
      this.log.error('DEMO_CREWS ignored: this record is not a demo record (SEED_DEMO_USERS); simulated crews never answer for a real fleet');
      return;
    }
    this.enabled = true;
    this.log.warn(`DEMO CREWS: live tasks nobody answers are acknowledged, driven and cleared by simulated crews (actor ${DEMO_CREW_ACTOR})`);
    this.timer = setInterval(() => void this.tickQuietly(), this.config.DEMO_CREW_TICK_S * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tickQuietly(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.tick();
    } catch (e) {
      this.log.warn(`demo crews' tick failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /**
   * Takes every step that is due on the live tasks demo crews answer (see the class), oldest task first,
   * each at its due time (never later than now). A step refused because the task moved meanwhile
   * (a person, a timer) is skipped.
   * @returns the number of steps taken (0 when demo crews are off or the record is not a demo)
   */
  async tick(): Promise<number> {
    if (!this.enabled) return 0;
    // Checked each time as well: a record is a demo for good, but one marked otherwise since the start is never answered for.
    if (!(await isDemoRecord(this.ds))) return 0;
    const tasks: DemoTask[] = await this.ds.query(
      `SELECT a.id, a.status, a.dispatched_at, a.on_scene_at, a.eta_seconds, coalesce(a.turnout_seconds, $2)::float8 AS turnout, now() AS now
         FROM assignment a
        WHERE a.world = 'live' AND a.status IN ('dispatched', 'acknowledged', 'en_route', 'on_scene')
          AND NOT EXISTS (SELECT 1 FROM incident_event e
                           WHERE e.incident_id = a.incident_id AND e.unit_id = a.unit_id AND e.at >= a.dispatched_at
                             AND e.type IN ('assignment.updated', 'assignment.late_report') AND e.actor <> $1)
          AND NOT EXISTS (SELECT 1 FROM device_clock d WHERE d.account = lower(a.unit_id) AND d.updated_at > now() - make_interval(secs => $3))
        ORDER BY a.dispatched_at`,
      [DEMO_CREW_ACTOR, DEFAULT_TURNOUT_S, PHONE_RECENT_S],
    );
    let steps = 0;
    for (const t of tasks) {
      let status = t.status;
      let onSceneAt = t.on_scene_at;
      for (;;) {
        const next = this.nextStep(t, status, onSceneAt);
        if (!next || next.at > t.now) break;
        try {
          await this.assignments.changeStatus(t.id, next.to, next.at, DEMO_CREW_ACTOR);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          this.log.debug(`demo crew step ${next.to} of task ${t.id} refused: ${e.message}`);
          break;
        }
        steps++;
        status = next.to;
        if (next.to === 'on_scene') onSceneAt = next.at;
      }
    }
    return steps;
  }

  /** The next step of a task in `status` and when it is due, or null when a demo crew takes none. */
  private nextStep(t: DemoTask, status: AssignmentStatus, onSceneAt: Date | null): { to: AssignmentStatus; at: Date } | null {
    const from = t.dispatched_at.getTime();
    switch (status) {
      case 'dispatched':
        return { to: 'acknowledged', at: new Date(from + this.config.DEMO_CREW_ACK_S * 1000) };
      case 'acknowledged':
        return { to: 'en_route', at: new Date(from + Math.max(this.config.DEMO_CREW_ACK_S, t.turnout) * 1000) };
      case 'en_route':
        if (!(t.eta_seconds >= 0)) return null;
        return { to: 'on_scene', at: new Date(from + Math.max(this.config.DEMO_CREW_ACK_S, t.turnout, t.eta_seconds) * 1000) };
      case 'on_scene':
        return onSceneAt ? { to: 'cleared', at: new Date(onSceneAt.getTime() + this.config.DEMO_CREW_ON_SCENE_S * 1000) } : null;
      default:
        return null;
    }
  }
}
