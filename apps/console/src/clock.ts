/** Drill clock: simulated time advanced locally between server `clock` messages. */
import type { ClockState } from './types';

let state: ClockState = { running: false, simTime: null, speed: 1, drill: null };
let simBaseMs: number | null = null; // simTime (epoch ms) at the moment we received it
let wallBaseMs = 0; // performance.now() at that moment
/** Each running drill's clock as last received: simulated ms, speed (0 = standing), and performance.now() then. */
type DrillBase = { simMs: number; speed: number; wallMs: number };
let drillBases = new Map<string, DrillBase>();

/** Replace the clock state with one received from the server. */
export function setClock(next: ClockState): void {
  state = { ...next, speed: Number.isFinite(next.speed) && next.speed > 0 ? next.speed : 1 };
  const parsed = next.simTime ? Date.parse(next.simTime) : NaN;
  simBaseMs = Number.isFinite(parsed) ? parsed : null;
  wallBaseMs = performance.now();
  const told = new Map(
    Object.entries(next.times ?? {})
      .filter(([, c]) => Number.isFinite(Date.parse(c.simTime)))
      .map(([drill, c]) => [drill, { simMs: Date.parse(c.simTime), speed: c.paused || c.speed === null ? 0 : c.speed, wallMs: wallBaseMs }]),
  );
  // A drill no longer told (it finished, was stopped or failed) keeps its clock, standing where it was:
  // its incidents' ages and ETAs are never read off another drill's clock.
  const ended = [...drillBases].filter(([drill]) => !told.has(drill)).slice(-MAX_ENDED_DRILL_CLOCKS);
  drillBases = new Map([
    ...ended.map(([drill, b]): [string, DrillBase] => [drill, { simMs: b.simMs + (wallBaseMs - b.wallMs) * b.speed, speed: 0, wallMs: wallBaseMs }]),
    ...told,
  ]);
}

/** Clocks of ended drills kept standing (the newest), so their incidents still read their own time. */
const MAX_ENDED_DRILL_CLOCKS = 20;

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

/**
 * "Now" for an incident, epoch ms: an exercise incident's own drill clock (`drill`: its drill run id)
 * when the server told it, else the drill clock shown, else the wall clock.
 */
export function nowFor(exercise: boolean, drill?: string | null): number {
  if (exercise) {
    const own = drill ? drillBases.get(drill) : undefined;
    if (own) return own.simMs + (performance.now() - own.wallMs) * own.speed;
    const sim = simNow();
    if (sim !== null) return sim;
  }
  return Date.now();
}
