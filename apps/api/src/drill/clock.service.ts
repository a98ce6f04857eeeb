import { Injectable } from '@nestjs/common';

/** What consoles are told about the clock. `simTime` ISO-8601 UTC, `speed` simulated seconds per real second. */
export interface ClockState {
  running: boolean;
  simTime: string | null;
  speed: number;
  drill: string | null;
}

/**
 * The drill's simulated clock: `now = simStart + (real elapsed) x speed`. Not running outside a drill.
 */
@Injectable()
export class ClockService {
  private simStartMs = 0;
  private realStartMs = 0;
  private speed = 1;
  private drill: string | null = null;

  /** Starts (or restarts) the clock at a simulated instant and speed factor. */
  start(drill: string, simStart: Date, speed: number): void {
    this.drill = drill;
    this.simStartMs = simStart.getTime();
    this.realStartMs = Date.now();
    this.speed = speed;
  }

  stop(): void {
    this.drill = null;
  }

  get running(): boolean {
    return this.drill !== null;
  }

  /** Simulated now (wall clock when no drill runs). */
  now(): Date {
    return this.drill ? new Date(this.simStartMs + (Date.now() - this.realStartMs) * this.speed) : new Date();
  }

  state(): ClockState {
    return { running: this.running, simTime: this.drill ? this.now().toISOString() : null, speed: this.drill ? this.speed : 1, drill: this.drill };
  }
}
