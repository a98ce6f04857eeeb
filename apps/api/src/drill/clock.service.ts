import { Injectable } from '@nestjs/common';

/** What consoles are told about the clock. `simTime` ISO-8601 UTC, `speed` simulated seconds per real second (null: as fast as possible). */
export interface ClockState {
  running: boolean;
  paused: boolean;
  simTime: string | null;
  speed: number | null;
  drill: string | null;
}

/**
 * The drill's simulated clock. The drill moves it from event to event (`advance`); between two events
 * at a finite speed it runs on as `anchor + (real elapsed) × speed`, so consoles see a smooth clock.
 * At maximum speed (`speed` null) or paused, it stands at the last event. Wall clock outside a drill.
 */
@Injectable()
export class ClockService {
  private anchorSim = 0;
  private anchorReal = 0;
  private cursor = 0;
  private speed: number | null = 1;
  private paused = false;
  private drill: string | null = null;

  /** Starts the clock for a drill at a simulated instant and speed (null = maximum). */
  start(drill: string, simStart: Date, speed: number | null): void {
    this.drill = drill;
    this.speed = speed;
    this.paused = false;
    this.cursor = simStart.getTime();
    this.anchor(this.cursor);
  }

  /** Moves the clock to the instant of the event being applied (never backwards). */
  advance(to: Date): void {
    this.cursor = Math.max(this.cursor, to.getTime());
  }

  /** Re-anchors the running clock at a simulated instant (after a pause, a speed change or a lag). */
  anchor(simMs: number): void {
    this.anchorSim = simMs;
    this.anchorReal = Date.now();
  }

  /** Real milliseconds until the clock reaches `sim` at the current speed (0 at maximum speed). */
  realMsUntil(sim: Date): number {
    if (this.speed === null) return 0;
    return this.anchorReal + (sim.getTime() - this.anchorSim) / this.speed - Date.now();
  }

  setSpeed(speed: number | null): void {
    this.anchor(this.now().getTime());
    this.speed = speed;
  }

  setPaused(paused: boolean): void {
    if (this.paused && !paused) this.anchor(this.cursor);
    this.paused = paused;
  }

  stop(): void {
    this.drill = null;
    this.paused = false;
  }

  get running(): boolean {
    return this.drill !== null;
  }

  /** Simulated now (wall clock when no drill runs). */
  now(): Date {
    if (!this.drill) return new Date();
    if (this.paused || this.speed === null) return new Date(this.cursor);
    return new Date(Math.max(this.cursor, this.anchorSim + (Date.now() - this.anchorReal) * this.speed));
  }

  /**
   * When something happens to an incident: wall-clock now for live incidents; for a drill incident,
   * the drill's simulated now (never before the incident was received), or its receipt time when
   * this process does not run that drill.
   */
  timeFor(incident: { exercise: boolean; drillId: string | null; receivedAt: Date }): Date {
    if (!incident.exercise) return new Date();
    if (this.drill && this.drill === incident.drillId) return new Date(Math.max(incident.receivedAt.getTime(), this.now().getTime()));
    return incident.receivedAt;
  }

  state(): ClockState {
    return {
      running: this.running,
      paused: this.paused,
      simTime: this.drill ? this.now().toISOString() : null,
      speed: this.drill ? this.speed : 1,
      drill: this.drill,
    };
  }
}
