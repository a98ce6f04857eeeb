import { impliedSpeedKmh, judgeFix, TrackPoint, TrackState } from './avl-track';

const rules = { maxSpeedKmh: 200, reestablishAfter: 3 };
const empty: TrackState = { current: null, run: null, runLength: 0 };
/** A point `km` kilometres north of Columbus Ave at Union St (about 111.2 km per degree of latitude), at `s` seconds. */
const at = (km: number, s: number, accuracyM?: number): TrackPoint => ({ lat: 37.8005 + km / 111.195, lon: -122.4101, atMs: s * 1000, accuracyM });

describe('an AVL track keeps plausible fixes, flags jumps and re-establishes itself', () => {
  it('takes the first fix, then one reachable at city speeds', () => {
    const a = judgeFix(empty, at(0, 0), rules);
    expect(a.verdict).toBe('accepted');
    const b = judgeFix(a.next, at(0.5, 30), rules); // 500 m in 30 s: 60 km/h
    expect(b.verdict).toBe('accepted');
    expect(b.impliedKmh).toBeCloseTo(60, 0);
    expect(b.next.current).toEqual(at(0.5, 30));
  });

  it('flags a 6.1 km jump in 30 s (732 km/h) and keeps the last accepted fix', () => {
    const a = judgeFix(empty, at(0, 0), rules);
    const jump = judgeFix(a.next, at(6.1, 30), rules);
    expect(jump.verdict).toBe('implausible');
    expect(jump.impliedKmh).toBeGreaterThan(700);
    expect(jump.next.current).toEqual(at(0, 0));
  });

  it('one bad fix does not lock out the good ones: the next fix near the track is accepted', () => {
    const a = judgeFix(empty, at(0, 0), rules);
    const jump = judgeFix(a.next, at(6.1, 30), rules);
    const good = judgeFix(jump.next, at(0.3, 40), rules);
    expect(good.verdict).toBe('accepted');
    expect(good.next.runLength).toBe(0);
  });

  it('a run of fixes agreeing with each other re-establishes the track (the first fix was the bad one)', () => {
    let s = judgeFix(empty, at(6.1, 0), rules).next; // a bad first fix
    const verdicts: string[] = [];
    for (const [km, t] of [[0, 10], [0.1, 20], [0.2, 30], [0.3, 40]] as const) {
      const j = judgeFix(s, at(km, t), rules);
      verdicts.push(j.verdict);
      s = j.next;
    }
    expect(verdicts).toEqual(['implausible', 'implausible', 'reestablished', 'accepted']);
    expect(s.current).toEqual(at(0.3, 40));
  });

  it('a run is broken by a fix that disagrees with it, and starts again', () => {
    let s = judgeFix(empty, at(0, 0), rules).next;
    s = judgeFix(s, at(6.1, 10), rules).next;
    s = judgeFix(s, at(6.2, 20), rules).next;
    expect(s.runLength).toBe(2);
    const other = judgeFix(s, at(-6, 30), rules); // far from both the track and the run
    expect(other.verdict).toBe('implausible');
    expect(other.next.runLength).toBe(1);
  });

  it('a late fix (older than the current one, or as old) goes to history without replacing it', () => {
    const a = judgeFix(empty, at(0, 100), rules);
    for (const late of [at(0.2, 90), at(0.2, 100)]) {
      const j = judgeFix(a.next, late, rules);
      expect(j.verdict).toBe('late');
      expect(j.next).toBe(a.next);
    }
  });

  it('a burst of agreeing bad fixes in 3 s takes nothing; the same run kept up past 20 s re-establishes', () => {
    let h = judgeFix(empty, at(0, 59), rules).next;
    const burst: string[] = [];
    for (const t of [60, 61, 62]) {
      const j = judgeFix(h, at(1.3, t), rules); // 1.3 km in 1–3 s: 1,560–4,680 km/h
      burst.push(j.verdict);
      h = j.next;
    }
    expect(burst).toEqual(['implausible', 'implausible', 'implausible']);
    expect(h.current).toEqual(at(0, 59));
    expect(h.runSinceMs).toBe(60_000);
    const kept = judgeFix(h, at(1.3, 80), rules); // still there 20 s after the run began
    expect(kept.verdict).toBe('reestablished');
  });

  it('a burst received within 0.2 s whose stamps claim −23 s, −11 s, +1 s takes nothing; the same run received over 20 s re-establishes', () => {
    const start = judgeFix(empty, { ...at(0, 0), receivedMs: 0 }, rules).next;
    const stamps = [7, 19, 31];
    let h = start;
    const burst: string[] = [];
    for (const [i, s] of stamps.entries()) {
      const j = judgeFix(h, { ...at(3, s), receivedMs: 30_900 + i * 100 }, rules);
      burst.push(j.verdict);
      h = j.next;
    }
    expect(burst).toEqual(['implausible', 'implausible', 'implausible']);
    expect(h.current).toMatchObject(at(0, 0));
    h = start;
    const spread: string[] = [];
    for (const s of stamps) {
      const j = judgeFix(h, { ...at(3, s), receivedMs: s * 1000 + 400 }, rules);
      spread.push(j.verdict);
      h = j.next;
    }
    expect(spread).toEqual(['implausible', 'implausible', 'reestablished']);
  });

  it('a fix claiming an accuracy coarser than 100 m never moves the track, and its radius excuses no jump', () => {
    const a = judgeFix(empty, at(0, 0), rules);
    const coarse = judgeFix(a.next, at(1.3, 10, 100_000), rules);
    expect(coarse.verdict).toBe('coarse');
    expect(coarse.next).toBe(a.next);
    expect(judgeFix(empty, at(0, 0, 5_000), rules).verdict).toBe('coarse');
    expect(judgeFix(a.next, at(0.01, 10, 100), rules).verdict).toBe('accepted');
    expect(judgeFix(a.next, at(0.01, 10, 101), { ...rules, maxAccuracyM: 200 }).verdict).toBe('accepted');
  });

  it('counts the accuracy radii: two fixes 30 m apart with 20 m accuracy in 0.1 s are the same place', () => {
    expect(impliedSpeedKmh(at(0, 0, 20), at(0.03, 0.1, 20))).toBe(0);
    expect(impliedSpeedKmh(at(0, 0), at(0.03, 0))).toBe(Infinity);
  });
});
