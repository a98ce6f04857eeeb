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
  /**
   * Seconds of recent fixes a new fix is judged against (default 60 s): it must be reachable at
   * `maxSpeedKmh` not only from the current fix but from every accepted fix of this window (and a
   * run's fix from every earlier fix of its run in the window), so small steps each hidden in the
   * accuracy slack cannot add up to a jump (see {@link judgeFix}).
   */
  windowS?: number;
}

/** Defaults of the optional {@link TrackRules}. */
export const TRACK_DEFAULTS = { reestablishSpanS: 20, maxAccuracyM: 100, windowS: 60 } as const;

/** A fix from the unit's recent history with the verdict it was given (`avl_fix`): what a new fix is judged against. */
export interface JudgedPoint extends TrackPoint {
  verdict: TrackVerdict['verdict'];
}

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
 * reachable at `maxSpeedKmh` ({@link impliedSpeedKmh}: distance less both accuracy radii) from it **and
 * from every accepted fix of the last `windowS` seconds** in `recent` (only those since the track's last
 * re-establishment: the track before it was the wrong one). The window closes a chain: 99 m-accuracy
 * fixes each 190 m on from the last at 7 fixes/s each imply 0 km/h from their neighbour (190 m < 2 × 99 m
 * of slack), but the second one is 380 m − 198 m from the fix before the chain in 1.2 s, 530 km/h, and is
 * flagged. The slack a1 + a2 is only ever spent once against each fix of the window, so a forged
 * track can outrun `maxSpeedKmh` by at most 2 × `maxAccuracyM` (200 m) per `windowS` (60 s), 3.3 m/s;
 * an honest track whose errors lie within the reported accuracy passes every pair (triangle inequality).
 *
 * A fix that is not reachable starts (or continues, when reachable from the run's last fix and from the
 * run's earlier fixes in the window) a run, and a run of at least `reestablishAfter` fixes spanning at least
 * `reestablishSpanS` seconds (both from the first fix's time to this one's, and from the first fix's
 * receipt to this one's: device stamps alone can be forged) becomes current, so one bad fix, current or new, never locks out the good
 * ones, and a quick burst of agreeing bad fixes, or a slow chain of small steps, never takes the track.
 * @param recent the unit's fixes of the last `windowS` seconds before `fix` with their verdicts, any
 *   order (absent: judged against `state` alone, the rule before the window)
 * @returns the verdict; `impliedKmh` is the highest speed implied from the fixes compared against
 */
export function judgeFix(state: TrackState, fix: TrackPoint, rules: TrackRules, recent: readonly JudgedPoint[] = []): TrackVerdict {
  const { current } = state;
  const spanMs = (rules.reestablishSpanS ?? TRACK_DEFAULTS.reestablishSpanS) * 1000;
  const fromMs = fix.atMs - (rules.windowS ?? TRACK_DEFAULTS.windowS) * 1000;
  const inWindow = recent.filter((r) => r.atMs >= fromMs && r.atMs < fix.atMs);
  if ((fix.accuracyM ?? 0) > (rules.maxAccuracyM ?? TRACK_DEFAULTS.maxAccuracyM)) return { verdict: 'coarse', impliedKmh: null, next: state };
  if (!current) return { verdict: 'accepted', impliedKmh: null, next: { current: fix, run: null, runLength: 0, runSinceMs: null, runSinceReceivedMs: null } };
  if (fix.atMs <= current.atMs) return { verdict: 'late', impliedKmh: null, next: state };
  const reestablishedMs = Math.max(-Infinity, ...inWindow.filter((r) => r.verdict === 'reestablished').map((r) => r.atMs));
  const anchors = inWindow.filter((r) => (r.verdict === 'accepted' || r.verdict === 'reestablished') && r.atMs >= reestablishedMs);
  const kmh = fastestFrom([current, ...anchors], fix);
  if (kmh <= rules.maxSpeedKmh) return { verdict: 'accepted', impliedKmh: kmh, next: { current: fix, run: null, runLength: 0, runSinceMs: null, runSinceReceivedMs: null } };
  // The run's earlier fixes: implausible ones since its first (by fix time and by receipt).
  const runSinceReceived = state.runSinceReceivedMs ?? state.runSinceMs ?? null;
  const members = state.run === null || state.runSinceMs == null ? [] : inWindow.filter(
    (r) => r.verdict === 'implausible' && r.atMs >= state.runSinceMs! && (runSinceReceived === null || (r.receivedMs ?? r.atMs) >= runSinceReceived),
  );
  const continues = state.run !== null && fix.atMs > state.run.atMs && fastestFrom([state.run, ...members], fix) <= rules.maxSpeedKmh;
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

/** The highest speed {@link impliedSpeedKmh} implies from any of `from` (none older than `fix`) to `fix`, km/h. */
function fastestFrom(from: readonly TrackPoint[], fix: TrackPoint): number {
  return Math.max(...from.map((p) => impliedSpeedKmh(p, fix)));
}
