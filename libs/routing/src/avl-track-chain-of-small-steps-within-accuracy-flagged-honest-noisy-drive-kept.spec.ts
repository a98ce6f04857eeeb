import { JudgedPoint, judgeFix, TrackPoint, TrackState, TrackVerdict } from './avl-track';
import { haversineMetres } from './geo';

/**
 * What a hostile tester saw: a phone reporting `accuracyM: 99` with true time stamps, each fix 190 m on
 * from the last at 7 fixes/s, had every fix accepted (190 m less 2 × 99 m of slack is no movement), and
 * moved unit E10 3.66 km in 4.7 s. Weak urban GPS (50–99 m) can do the same without malice. Each fix is
 * now judged against every accepted fix of the last 60 s too; honest noisy tracks still pass.
 */
describe('AVL track: a chain of small steps within the accuracy slack is flagged, an honest noisy track is kept', () => {
  const rules = { maxSpeedKmh: 200, reestablishAfter: 3, reestablishSpanS: 20, maxAccuracyM: 100, windowS: 60 };
  const origin = { lat: 37.8005, lon: -122.4101 };
  const M_PER_DEG = 111_195;
  /** A point `north` and `east` metres from Columbus Ave at Union St, at `s` seconds (received then too), with its accuracy. */
  const at = (north: number, east: number, s: number, accuracyM: number): TrackPoint => ({
    lat: origin.lat + north / M_PER_DEG,
    lon: origin.lon + east / (M_PER_DEG * Math.cos((origin.lat * Math.PI) / 180)),
    atMs: Math.round(s * 1000),
    receivedMs: Math.round(s * 1000),
    accuracyM,
  });
  const fromOrigin = (p: { lat: number; lon: number }) => haversineMetres(origin.lat, origin.lon, p.lat, p.lon);

  /** Feeds fixes in order as the service does: each judged with the unit's fixes of the last 60 s and their verdicts. */
  function track(fixes: TrackPoint[]): { verdicts: TrackVerdict['verdict'][]; states: TrackState[] } {
    let state: TrackState = { current: null, run: null, runLength: 0 };
    const history: JudgedPoint[] = [];
    const verdicts: TrackVerdict['verdict'][] = [];
    const states: TrackState[] = [];
    for (const fix of fixes) {
      const recent = history.filter((h) => h.atMs >= fix.atMs - rules.windowS * 1000 && h.atMs <= fix.atMs);
      const j = judgeFix(state, fix, rules, recent);
      history.push({ ...fix, verdict: j.verdict });
      verdicts.push(j.verdict);
      states.push(j.next);
      state = j.next;
    }
    return { verdicts, states };
  }

  /** A seeded generator (mulberry32), so the noisy tracks are the same on every run. */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
  }
  /** An error in a random direction of up to `radius` metres: [north, east]. */
  const noise = (rnd: () => number, radius: number): [number, number] => {
    const r = radius * Math.sqrt(rnd());
    const a = 2 * Math.PI * rnd();
    return [r * Math.cos(a), r * Math.sin(a)];
  };

  it('the hostile chain (99 m accuracy, 190 m steps, 7 fixes/s) is flagged by its second step and never becomes the position', () => {
    const fixes = [at(0, 0, 0, 99)];
    for (let k = 1; k <= 20; k++) fixes.push(at(190 * k, 0, 1.1 + 0.14 * (k - 1), 99)); // 3.8 km in 3.8 s
    const { verdicts, states } = track(fixes);
    expect(verdicts.slice(0, 2)).toEqual(['accepted', 'accepted']); // 190 m: within 2 × 99 m of the first fix
    expect(verdicts.slice(2).every((v) => v === 'implausible')).toBe(true);
    for (const s of states) expect(fromOrigin(s.current!)).toBeLessThanOrEqual(191);
  });

  it('the same chain slowed to one step a second for a minute never re-establishes the track', () => {
    const fixes = [at(0, 0, 0, 99)];
    for (let k = 1; k <= 60; k++) fixes.push(at(190 * k, 0, k, 99)); // 684 km/h against the start, 0 km/h step to step
    const { verdicts, states } = track(fixes);
    expect(verdicts).not.toContain('reestablished');
    expect(verdicts.filter((v) => v === 'accepted').length).toBeLessThanOrEqual(3);
    expect(fromOrigin(states.at(-1)!.current!)).toBeLessThan(400);
  });

  it('without the window (the rule before) the same chain is accepted to its end: the hole this closes', () => {
    let state: TrackState = { current: null, run: null, runLength: 0 };
    const verdicts: string[] = [];
    for (let k = 0; k <= 20; k++) {
      const j = judgeFix(state, at(190 * k, 0, 1.1 + 0.14 * k, 99), rules);
      verdicts.push(j.verdict);
      state = j.next;
    }
    expect(verdicts.every((v) => v === 'accepted')).toBe(true);
    expect(fromOrigin(state.current!)).toBeGreaterThan(3_700);
  });

  it('an honest noisy drive at 30 m/s with 80 m accuracy every 2 s stays accepted for 10 minutes', () => {
    const rnd = random(7);
    const fixes: TrackPoint[] = [];
    for (let s = 0; s <= 600; s += 2) {
      const [n, e] = noise(rnd, 80);
      fixes.push(at(30 * s + n, e, s, 80));
    }
    const { verdicts, states } = track(fixes);
    expect(verdicts.every((v) => v === 'accepted')).toBe(true);
    expect(fromOrigin(states.at(-1)!.current!)).toBeGreaterThan(17_900);
  });

  it('an engine at 40 m/s, fixes every 1–5 s with 50–99 m accuracy and errors as large as the accuracy, stays accepted', () => {
    const rnd = random(11);
    const fixes: TrackPoint[] = [];
    let s = 0;
    // Each error at the full reported radius, alternately ahead of and behind the truth: the worst honest case.
    for (let i = 0; s <= 600; i++, s += 1 + Math.floor(rnd() * 5)) {
      const accuracyM = 50 + Math.floor(rnd() * 50);
      fixes.push(at(40 * s + (i % 2 ? accuracyM : -accuracyM), 0, s, accuracyM));
    }
    const { verdicts } = track(fixes);
    expect(verdicts.every((v) => v === 'accepted')).toBe(true);
  });

  it('a parked unit whose fixes jitter ±90 m (90 m accuracy) every second stays accepted and does not drift', () => {
    const rnd = random(3);
    const fixes: TrackPoint[] = [];
    for (let s = 0; s <= 600; s++) {
      const [n, e] = noise(rnd, 90);
      fixes.push(at(n, e, s, 90));
    }
    const { verdicts, states } = track(fixes);
    expect(verdicts.every((v) => v === 'accepted')).toBe(true);
    for (const st of states) expect(fromOrigin(st.current!)).toBeLessThanOrEqual(90.5);
  });

  it('a unit really moved re-establishes its track after a bad fix, the window notwithstanding', () => {
    const fixes = [at(-4_000, 0, 0, 10)]; // a bad first fix 4 km off
    for (let s = 10; s <= 40; s += 10) fixes.push(at(50 * (s / 10 - 1), 0, s, 20));
    const { verdicts, states } = track(fixes);
    expect(verdicts).toEqual(['accepted', 'implausible', 'implausible', 'reestablished', 'accepted']);
    expect(fromOrigin(states.at(-1)!.current!)).toBeCloseTo(150, 0);
  });
});
