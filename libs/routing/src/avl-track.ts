import { haversineMetres } from './geo';

/** A position with its (corrected) fix time: WGS84 degrees, epoch milliseconds, accuracy in metres. */
export interface TrackPoint {
  lat: number;
  lon: number;
  atMs: number;
  accuracyM?: number | null;
}

/** A unit's track as kept between fixes: the last accepted fix, and the run of fixes that disagree with it. */
export interface TrackState {
  current: TrackPoint | null;
  /** Newest fix of the run of implausible fixes received since `current`, and the run's length. */
  run: TrackPoint | null;
  runLength: number;
}

/** The rules of the track: the fastest plausible speed, and how many agreeing fixes re-establish it. */
export interface TrackRules {
  /** km/h; a jump implying more is implausible (default 200 km/h: no city response vehicle drives faster). */
  maxSpeedKmh: number;
  /** Fixes in a row, agreeing with each other, that move the track to them despite disagreeing with `current`. */
  reestablishAfter: number;
}

/**
 * What became of one fix:
 * - `accepted`: the unit's new current position;
 * - `late`: older than (or as old as) the current fix: history only, the newer fix stays;
 * - `implausible`: a jump faster than `maxSpeedKmh` from the current fix: flagged, not used;
 * - `reestablished`: the `reestablishAfter`-th fix of a run agreeing with each other (the earlier
 *   current fix was the bad one, or the unit was moved): the track moves to it.
 */
export interface TrackVerdict {
  verdict: 'accepted' | 'late' | 'implausible' | 'reestablished';
  /** Speed implied from the point compared against, km/h (null for the first fix or a late one). */
  impliedKmh: number | null;
  next: TrackState;
}

/**
 * Speed implied by moving between two fixes, km/h. The distance is reduced by both fixes'
 * accuracy radii (two fixes 30 m apart with 20 m accuracy each may be the same place); two fixes
 * with the same time and different places imply Infinity.
 */
export function impliedSpeedKmh(a: TrackPoint, b: TrackPoint): number {
  const metres = Math.max(0, haversineMetres(a.lat, a.lon, b.lat, b.lon) - (a.accuracyM ?? 0) - (b.accuracyM ?? 0));
  const seconds = Math.abs(b.atMs - a.atMs) / 1000;
  if (metres === 0) return 0;
  return seconds === 0 ? Infinity : (metres / seconds) * 3.6;
}

/**
 * Judges one fix against a unit's track (fix times already corrected for the device's clock). The
 * current position moves only on a fix newer than it and reachable from it at `maxSpeedKmh`; a fix
 * that is not starts (or continues, when reachable from the run's last fix) a run, and the run's
 * `reestablishAfter`-th fix becomes current, so one bad fix, current or new, never locks out the
 * good ones.
 */
export function judgeFix(state: TrackState, fix: TrackPoint, rules: TrackRules): TrackVerdict {
  const { current } = state;
  if (!current) return { verdict: 'accepted', impliedKmh: null, next: { current: fix, run: null, runLength: 0 } };
  if (fix.atMs <= current.atMs) return { verdict: 'late', impliedKmh: null, next: state };
  const kmh = impliedSpeedKmh(current, fix);
  if (kmh <= rules.maxSpeedKmh) return { verdict: 'accepted', impliedKmh: kmh, next: { current: fix, run: null, runLength: 0 } };
  const continues = state.run !== null && fix.atMs > state.run.atMs && impliedSpeedKmh(state.run, fix) <= rules.maxSpeedKmh;
  const runLength = continues ? state.runLength + 1 : 1;
  if (runLength >= rules.reestablishAfter) return { verdict: 'reestablished', impliedKmh: kmh, next: { current: fix, run: null, runLength: 0 } };
  return { verdict: 'implausible', impliedKmh: kmh, next: { current, run: fix, runLength } };
}
