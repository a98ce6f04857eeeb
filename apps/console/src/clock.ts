/** Drill clock: simulated time advanced locally between server `clock` messages. */
import type { ClockState } from './types';

let state: ClockState = { running: false, simTime: null, speed: 1, drill: null };
let simBaseMs: number | null = null; // simTime (epoch ms) at the moment we received it
let wallBaseMs = 0; // performance.now() at that moment

/** Replace the clock state with one received from the server. */
export function setClock(next: ClockState): void {
  state = { ...next, speed: Number.isFinite(next.speed) && next.speed > 0 ? next.speed : 1 };
  const parsed = next.simTime ? Date.parse(next.simTime) : NaN;
  simBaseMs = Number.isFinite(parsed) ? parsed : null;
  wallBaseMs = performance.now();
}

/** Current clock state as last received. */
export function getClock(): ClockState {
  return state;
}

/** Current simulated time in epoch ms (advanced at `speed` while running), or null if there is none. */
export function simNow(): number | null {
  if (simBaseMs === null) return null;
  if (!state.running) return simBaseMs;
  return simBaseMs + (performance.now() - wallBaseMs) * state.speed;
}

/** "Now" for an incident: the drill clock for exercise incidents (when available), else the wall clock. */
export function nowFor(exercise: boolean): number {
  if (exercise) {
    const sim = simNow();
    if (sim !== null) return sim;
  }
  return Date.now();
}
