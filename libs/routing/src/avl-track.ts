import { haversineMetres } from './geo';

/** A position with its (corrected) fix time: WGS84 degrees, epoch milliseconds, accuracy in metres. */
export interface TrackPoint {
  lat: number;
  lon: number;
  atMs: number;
  accuracyM?: number | null;
  /**
   * When the server received it, epoch milliseconds (absent: taken as `atMs`). The device's own
   * stamps can be forged; a re-establishing run must span `reestablishSpanS` in receipt times too.
   */
  receivedMs?: number | null;
}

/** A unit's track as kept between fixes: the last accepted fix, and the run of fixes that disagree with it. */
export interface TrackState {
  current: TrackPoint | null;
  /** Newest fix of the run of implausible fixes received since `current`, and the run's length. */
  run: TrackPoint | null;
  runLength: number;
  /** Corrected time of the run's first fix, epoch milliseconds (absent or null: none, or not known). */
  runSinceMs?: number | null;
  /** Receipt time of the run's first fix, epoch milliseconds (absent or null: not known, taken as `runSinceMs`). */
  runSinceReceivedMs?: number | null;
}

/** The rules of the track: the fastest plausible speed, and how many agreeing fixes re-establish it. */
export interface TrackRules {
  /** km/h; a jump implying more is implausible (default 200 km/h: no city response vehicle drives faster). */
  maxSpeedKmh: number;
  /** Fixes in a row, agreeing with each other, that move the track to them despite disagreeing with `current`. */
  reestablishAfter: number;
  /**
   * Seconds the run must span, from its first fix to the one that would re-establish it (default 20 s),
   * both in fix times and in receipt times: a burst of agreeing fixes in a few seconds (a spoofed or
   * replayed position, whatever stamps it carries) moves nothing; a unit really moved keeps reporting
   * where it is.
   */
  reestablishSpanS?: number;
  /**
   * Metres; a fix claiming a coarser accuracy than this is `coarse` (default 100 m: a phone GPS in an
   * urban canyon reports 5–50 m). It could be anywhere within that radius, and its radius would
   * otherwise excuse any jump in {@link impliedSpeedKmh}.
   */
  maxAccuracyM?: number;
}

/** Defaults of the optional {@link TrackRules}. */
export const TRACK_DEFAULTS = { reestablishSpanS: 20, maxAccuracyM: 100 } as const;

/**
 * What became of one fix:
 * - `accepted`: the unit's new current position;
 * - `late`: older than (or as old as) the current fix: history only, the newer fix stays;
 * - `implausible`: a jump faster than `maxSpeedKmh` from the current fix: flagged, not used;
 * - `reestablished`: the `reestablishAfter`-th (or later) fix of a run agreeing with each other and
 *   spanning at least `reestablishSpanS` (the earlier current fix was the bad one, or the unit was
 *   moved): the track moves to it;
 * - `coarse`: its claimed accuracy is worse than `maxAccuracyM`: history only, the track is unchanged.
 */
export interface TrackVerdict {
  verdict: 'accepted' | 'late' | 'implausible' | 'reestablished' | 'coarse';
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
 * Judges one fix against a unit's track (fix times already corrected for the device's clock). A fix
 * coarser than `maxAccuracyM` is never used. The current position moves only on a fix newer than it and
 * reachable from it at `maxSpeedKmh`; a fix that is not starts (or continues, when reachable from the
 * run's last fix) a run, and a run of at least `reestablishAfter` fixes spanning at least
 * `reestablishSpanS` seconds (both from the first fix's time to this one's, and from the first fix's
 * receipt to this one's: device stamps alone can be forged) becomes current, so one bad fix, current or new, never locks out the good
 * ones, and a quick burst of agreeing bad fixes never takes the track.
 */
export function judgeFix(state: TrackState, fix: TrackPoint, rules: TrackRules): TrackVerdict {
  const { current } = state;
  const spanMs = (rules.reestablishSpanS ?? TRACK_DEFAULTS.reestablishSpanS) * 1000;
  if ((fix.accuracyM ?? 0) > (rules.maxAccuracyM ?? TRACK_DEFAULTS.maxAccuracyM)) return { verdict: 'coarse', impliedKmh: null, next: state };
  if (!current) return { verdict: 'accepted', impliedKmh: null, next: { current: fix, run: null, runLength: 0, runSinceMs: null, runSinceReceivedMs: null } };
  if (fix.atMs <= current.atMs) return { verdict: 'late', impliedKmh: null, next: state };
  const kmh = impliedSpeedKmh(current, fix);
  if (kmh <= rules.maxSpeedKmh) return { verdict: 'accepted', impliedKmh: kmh, next: { current: fix, run: null, runLength: 0, runSinceMs: null, runSinceReceivedMs: null } };
  const continues = state.run !== null && fix.atMs > state.run.atMs && impliedSpeedKmh(state.run, fix) <= rules.maxSpeedKmh;
  const runLength = continues ? state.runLength + 1 : 1;
  // A run whose start is not known (kept before the start was recorded) counts from its newest fix.
  const runSinceMs = continues ? (state.runSinceMs ?? state.run!.atMs) : fix.atMs;
  const receivedMs = fix.receivedMs ?? fix.atMs;
  const runSinceReceivedMs = continues ? (state.runSinceReceivedMs ?? state.run!.receivedMs ?? runSinceMs) : receivedMs;
  if (runLength >= rules.reestablishAfter && fix.atMs - runSinceMs >= spanMs && receivedMs - runSinceReceivedMs >= spanMs) {
    return { verdict: 'reestablished', impliedKmh: kmh, next: { current: fix, run: null, runLength: 0, runSinceMs: null, runSinceReceivedMs: null } };
  }
  return { verdict: 'implausible', impliedKmh: kmh, next: { current, run: fix, runLength, runSinceMs, runSinceReceivedMs } };
}
