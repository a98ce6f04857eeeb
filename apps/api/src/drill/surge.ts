import type { ScenarioCall } from '@cad/db';

/** The largest surge factor a drill accepts (a week in under two hours). */
export const MAX_SURGE = 100;

/**
 * A surge (issue 20 part 4): the same calls with their receipt times compressed `factor`-fold towards
 * the first call's: a call received `t` seconds after the first is received `t / factor` seconds after
 * it (four times as many calls per hour at 4). Each call's historical unit times move with it (by the
 * same shift), so its historical intervals, and the validation against them, stay as recorded.
 * Durations the drill draws (call processing, turnout, on scene) and travel are not compressed: the
 * same fleet meets the same calls, sooner.
 * @param calls a drill's calls in receipt order (not modified)
 * @param factor 1 (none) up to {@link MAX_SURGE}
 * @returns new call objects (the same objects at factor 1)
 * @throws RangeError when the factor is not a number within 1..MAX_SURGE
 */
export function surgeCalls(calls: readonly ScenarioCall[], factor: number): ScenarioCall[] {
  if (!(Number.isFinite(factor) && factor >= 1 && factor <= MAX_SURGE)) throw new RangeError(`surge must be a number within 1..${MAX_SURGE} (got ${factor})`);
  if (factor === 1 || calls.length === 0) return [...calls];
  const t0 = Math.min(...calls.map((c) => c.received.getTime()));
  const at = (d: Date | null, shift: number) => (d ? new Date(d.getTime() + shift) : null);
  return calls.map((c) => {
    const received = t0 + Math.round((c.received.getTime() - t0) / factor);
    const shift = received - c.received.getTime();
    return {
      ...c,
      received: new Date(received),
      units: c.units.map((u) => ({ ...u, dispatch: at(u.dispatch, shift), enRoute: at(u.enRoute, shift), onScene: at(u.onScene, shift), available: at(u.available, shift) })),
    };
  });
}
