import { Injectable } from '@nestjs/common';

/** What consoles are told about the clock. `simTime` ISO-8601 UTC, `speed` simulated seconds per real second (null: as fast as possible). */
export interface ClockState {
  running: boolean;
  paused: boolean;
  simTime: string | null;
  speed: number | null;
  /** The drill whose clock this is (the one started last of those running), null outside a drill. */
  drill: string | null;
  /** Every drill running (or paused) in this process, oldest first: each in its own world, on its own clock. */
  drills?: string[];
  /** Each running drill's own clock by drill id (`simTime` ISO-8601 UTC), so an exercise incident's age is told by its own drill. */
  times?: Record<string, { simTime: string; speed: number | null; paused: boolean }>;
}

/** One drill's simulated clock. */
class DrillClock {
  anchorSim = 0;
  anchorReal = 0;
  cursor = 0;
  paused = false;
  constructor(public speed: number | null) {}

  anchor(simMs: number): void {
    this.anchorSim = simMs;
    this.anchorReal = Date.now();
  }

  now(): Date {
    if (this.paused || this.speed === null) return new Date(this.cursor);
    return new Date(Math.max(this.cursor, this.anchorSim + (Date.now() - this.anchorReal) * this.speed));
  }
}

/**
 * The drills' simulated clocks, one per drill run (two drills of different days run at once, each in
 * its own world). The drill moves its clock from event to event (`advance`); between two events at a
 * finite speed it runs on as `anchor + (real elapsed) × speed`, so consoles see a smooth clock. At
 * maximum speed (`speed` null) or paused, it stands at the last event. Wall clock outside a drill.
 */
@Injectable()
export class ClockService {
  private readonly clocks = new Map<string, DrillClock>();

  private of(drill: string): DrillClock {
    const c = this.clocks.get(drill);
    if (!c) throw new Error(`no clock for drill ${drill}`);
    return c;
  }

  /** Starts the clock for a drill at a simulated instant and speed (null = maximum). */
  start(drill: string, simStart: Date, speed: number | null): void {
    const c = new DrillClock(speed);
    c.cursor = simStart.getTime();
    c.anchor(c.cursor);
    this.clocks.set(drill, c);
  }

  /** Moves the drill's clock to the instant of the event being applied (never backwards). */
  advance(drill: string, to: Date): void {
    const c = this.of(drill);
    c.cursor = Math.max(c.cursor, to.getTime());
  }

  /** Re-anchors the drill's running clock at a simulated instant (after a pause, a speed change or a lag). */
  anchor(drill: string, simMs: number): void {
    this.of(drill).anchor(simMs);
  }

  /** Real milliseconds until the drill's clock reaches `sim` at its current speed (0 at maximum speed). */
  realMsUntil(drill: string, sim: Date): number {
    const c = this.of(drill);
    if (c.speed === null) return 0;
    return c.anchorReal + (sim.getTime() - c.anchorSim) / c.speed - Date.now();
  }

  setSpeed(drill: string, speed: number | null): void {
    const c = this.of(drill);
    c.anchor(c.now().getTime());
    c.speed = speed;
  }

  setPaused(drill: string, paused: boolean): void {
    const c = this.of(drill);
    if (c.paused && !paused) c.anchor(c.cursor);
    c.paused = paused;
  }

  /** Ends a drill's clock (its incidents then keep the times they have). */
  stop(drill: string): void {
    this.clocks.delete(drill);
  }

  /** True while at least one drill runs in this process. */
  get running(): boolean {
    return this.clocks.size > 0;
  }

  /** A drill's simulated now; the wall clock for live work (no drill) or a drill this process does not run. */
  now(drill?: string | null): Date {
    const c = drill ? this.clocks.get(drill) : undefined;
    return c ? c.now() : new Date();
  }

  /**
   * When something happens to an incident: wall-clock now for live incidents; for a drill incident,
   * its drill's simulated now (never before the incident was received), or its receipt time when
   * this process does not run that drill.
   */
  timeFor(incident: { exercise: boolean; drillId: string | null; receivedAt: Date }): Date {
    if (!incident.exercise) return new Date();
    const c = incident.drillId ? this.clocks.get(incident.drillId) : undefined;
    if (c) return new Date(Math.max(incident.receivedAt.getTime(), c.now().getTime()));
    return incident.receivedAt;
  }

  /** The clock consoles show: the drill started last of those running (with the list of all), or the wall clock. */
  state(): ClockState {
    const drills = [...this.clocks.keys()];
    const drill = drills.length ? drills[drills.length - 1] : null;
    const c = drill ? this.clocks.get(drill)! : null;
    return {
      running: c !== null,
      paused: c?.paused ?? false,
      simTime: c ? c.now().toISOString() : null,
      speed: c ? c.speed : 1,
      drill,
      drills,
      times: Object.fromEntries(drills.map((d) => [d, { simTime: this.clocks.get(d)!.now().toISOString(), speed: this.clocks.get(d)!.speed, paused: this.clocks.get(d)!.paused }])),
    };
  }
}
