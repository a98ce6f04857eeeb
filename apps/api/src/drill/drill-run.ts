import type { LineString } from 'geojson';
import { RoadClosure, Scenario, ScenarioCall } from '@cad/db';
import { CallPlaces, CallProcessingModel, CrewModel, TravelCalibration } from './crews';
import type { DrillMove, DrillMoveUpTally } from './drill-move-up-steps.service';
import { historicalFirstAlarm, type DrillPlanSource } from './replayed-first-alarm';
import type { Capability } from '@cad/domain';

/**
 * Allocation policies a drill may name. The name is recorded with the run so two runs of the same day
 * can be compared: `nearest` fills each plan slot with the nearest capable unit, `optimised` fills
 * an incident's slots together by min-cost assignment (dispatch rounds), `moveups` is `optimised`
 * plus move-ups carried out in the drill's world by the live move-ups service with simulated consents
 * (see `DrillMoveUpSteps`).
 */
export const DRILL_POLICIES = ['nearest', 'optimised', 'moveups'] as const;
export type DrillPolicy = (typeof DRILL_POLICIES)[number];

export type DrillState = 'running' | 'paused' | 'stopped' | 'finished' | 'failed';

/**
 * The reason recorded on a run that was going when its server shut down (SIGTERM, `app.close()`): it is
 * recorded `stopped` where it was, with this as its `error`, never `failed` with the error the closing
 * queues threw at it ("Connection is closed.").
 */
export const DRILL_SHUTDOWN_REASON = 'stopped: the server shut down while the drill ran';

/** One speed a run was set to: from which simulated instant (ISO-8601 UTC), simulated seconds per real second or `max`. */
export interface DrillSpeedChange {
  simTime: string;
  speed: number | 'max';
}

/**
 * The speeds a run was played at, in order, for its report and dialog: `"60"` for a run kept at 60×,
 * `"60 → max"` for one set to maximum speed later (each change once; a view recorded before
 * `speedHistory` existed answers its `speed`).
 * @param view a run's view (live or recorded)
 */
export function speedsPlayed(view: { speed?: unknown; speedHistory?: { speed: number | 'max' }[] }): string {
  const seq = (view.speedHistory ?? []).map((c) => String(c.speed)).filter((s, i, all) => i === 0 || s !== all[i - 1]);
  return seq.length ? seq.join(' → ') : String(view.speed);
}

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
  /**
   * Each incident's first alarm: `history` (default) the units history sent to its call (`historicalFirstAlarm`;
   * a call the data holds no units for gets its plan's), `city` the city's response plans.
   */
  plans?: DrillPlanSource;
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
  /** True when `travelS` was drawn from history (an ambulance: `CrewModel.postedTravel`), not the travel model's. */
  travelDrawn?: boolean;
  /** A fire unit's residual ratio (`CrewModel.travelRatio`): its travel is the travel model's × this; absent: 1. */
  travelRatio?: number;
}

/** A drill run as the API shows it (`GET /api/drills/:id`). */
export interface DrillRunView {
  id: string;
  scenario: string;
  day: string;
  toDay: string;
  policy: string;
  seed: number;
  /** The speed set last (see `speedHistory` for the speeds the run was played at). */
  speed: number | 'max';
  /** Every speed the run was set to, in order: its starting speed at `simStart`, then each change where it was made. */
  speedHistory: DrillSpeedChange[];
  /** Surge factor: the calls arrive this many times sooner than recorded (1: as recorded). */
  surge: number;
  /** Where each incident's first alarm came from: what history sent to its call, or the city's response plans. */
  plans: DrillPlanSource;
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

/** An open task of a run, as the simulated crews read it (assignment, unit type, incident position). */
export interface ActiveRow {
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
  /** The places its crews' tasks took at their calls (the keys of their draws: common random numbers). */
  readonly places = new CallPlaces();
  readonly startedAt = new Date();
  finishedAt: Date | null = null;
  simNow: Date;
  simEnd: Date;
  eventLogHash: string | null = null;
  events: number | null = null;
  speed: number | 'max';
  /** The starting speed and each change, in order (see {@link DrillRun.setSpeed}). */
  readonly speedHistory: DrillSpeedChange[] = [];
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
  /** Under the `moveups` policy: the moves waiting for their next simulated step (see `DrillMoveUpSteps`), and what became of all of them. */
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
    this.speedHistory.push({ simTime: simStart.toISOString(), speed: opts.speed });
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

  /**
   * The first alarm this run gives a call of its own: under `plans: history` the units history sent to it
   * (`historicalFirstAlarm`), else (or when the data holds none) null, its plan's.
   */
  firstAlarmOf(c: ScenarioCall): Partial<Record<Capability, number>> | null {
    return this.opts.plans === 'history' ? historicalFirstAlarm(c) : null;
  }

  /** When each call is posted to the API: received + its drawn call processing, ms since the epoch. */
  private readonly postAt = new Map<string, number>();

  /** When a scenario call reaches the API (received + simulated call processing), ms since the epoch. */
  postTime(c: ScenarioCall): number {
    return this.postAt.get(c.externalId) ?? c.received.getTime();
  }

  /**
   * Fire units driving back to their stations after clearing, by unit id: when they are due home
   * (simulated ms) and the row their `home` step carries (`SimulatedCrews.nextTransition`).
   */
  readonly returning = new Map<string, { dueMs: number; row: ActiveRow }>();

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

  /** Sets the speed from simulated instant `at` on, and records the change (a repeat of the current speed is no change). */
  setSpeed(speed: number | 'max', at: Date): void {
    if (speed === this.speed) return;
    this.speed = speed;
    this.speedHistory.push({ simTime: at.toISOString(), speed });
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
      speedHistory: this.speedHistory.map((c) => ({ ...c })),
      surge: this.opts.surge,
      plans: this.opts.plans,
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
