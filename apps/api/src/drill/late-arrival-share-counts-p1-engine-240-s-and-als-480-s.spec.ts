import { allocationFigures, lateArrivalOf, LateCall, waitPlusTravelS } from './late-arrivals';
import { buildReport, policyRows, reportHtml, UnitTimes } from './report';

const T0 = Date.parse('2017-01-01T10:00:00Z');
/** A unit dispatched `d` s after T0, en route at `e`, on scene at `o` (seconds after T0; null: never). */
const unit = (unitType: string, d: number, e: number, o: number | null): UnitTimes => ({
  unitId: `${unitType}-${d}-${o}`,
  unitType,
  dispatch: T0 + d * 1000,
  enRoute: T0 + e * 1000,
  onScene: o === null ? null : T0 + o * 1000,
  clear: null,
});
/** A call received at T0 − 60 s, posted to dispatch at T0 (60 s call processing). */
const call = (priority: 1 | 2 | 3, plan: string[], sim: UnitTimes[]): LateCall => ({ priority, received: T0 - 60_000, posted: T0, plan, sim });

describe('late-arrival share: a P1 call is late when its first engine arrives after 240 s or, with ALS in its plan, its first ALS unit after 480 s', () => {
  it('counts wait for a unit plus travel from when the call reached dispatch, leaving out call processing and turnout', () => {
    // Dispatched at once, 80 s turnout, on scene 300 s after posting: 220 s of travel, on time.
    expect(waitPlusTravelS(T0, unit('ENGINE', 0, 80, 300))).toBe(220);
    // Waited 100 s for a free engine, 60 s turnout, 200 s travel: 300 s, late.
    expect(waitPlusTravelS(T0, unit('ENGINE', 100, 160, 360))).toBe(300);
    expect(lateArrivalOf(call(1, ['engine'], [unit('ENGINE', 0, 80, 300)]))).toEqual({ counted: true, late: false, cause: null });
    expect(lateArrivalOf(call(1, ['engine'], [unit('ENGINE', 100, 160, 360)]))).toEqual({ counted: true, late: true, cause: 'waitedForUnit' });
    // The first engine to arrive counts, not the first dispatched.
    expect(lateArrivalOf(call(1, ['engine', 'engine'], [unit('ENGINE', 0, 60, 400), unit('ENGINE', 0, 60, 250)])).late).toBe(false);
  });

  it('hostile twin: a P1 with ALS in its plan whose engine is on time but whose ALS unit is late is late', () => {
    const onTime = call(1, ['engine', 'ambulance', 'als'], [unit('ENGINE', 0, 60, 200), unit('MEDIC', 0, 60, 500)]);
    expect(lateArrivalOf(onTime).late).toBe(false);
    const alsLate = call(1, ['engine', 'ambulance', 'als'], [unit('ENGINE', 0, 60, 200), unit('MEDIC', 0, 60, 600)]);
    expect(lateArrivalOf(alsLate)).toEqual({ counted: true, late: true, cause: 'travelSpread' });
    // A private (BLS) ambulance on time does not stand in for the ALS unit.
    const blsOnly = call(1, ['engine', 'ambulance', 'als'], [unit('ENGINE', 0, 60, 200), unit('PRIVATE', 0, 30, 100)]);
    expect(lateArrivalOf(blsOnly).late).toBe(true);
  });

  it('hostile twin: a P1 call no unit reached at all is late, and so is one only a truck reached', () => {
    expect(lateArrivalOf(call(1, ['engine'], []))).toEqual({ counted: true, late: true, cause: 'neverReached' });
    expect(lateArrivalOf(call(1, ['engine'], [unit('ENGINE', 0, 60, null)]))).toEqual({ counted: true, late: true, cause: 'neverReached' });
    expect(lateArrivalOf(call(1, ['engine'], [unit('TRUCK', 0, 60, 100)]))).toEqual({ counted: true, late: true, cause: 'neverReached' });
  });

  it('hostile twin: a second caller linked to an incident another call opened is not counted as a P1 no unit reached', () => {
    // Its units are the opening call's; late arrivals count incidents, once.
    expect(lateArrivalOf({ ...call(1, ['engine'], []), linked: true })).toEqual({ counted: false, late: false, cause: null });
    const f = allocationFigures([call(1, ['engine'], [unit('ENGINE', 0, 60, 200)]), { ...call(1, ['engine'], []), linked: true }]);
    expect(f).toMatchObject({ p1Calls: 1, lateCalls: 0 });
  });

  it('hostile twin: P2 and P3 calls are not counted, however late', () => {
    expect(lateArrivalOf(call(2, ['engine'], []))).toEqual({ counted: false, late: false, cause: null });
    expect(lateArrivalOf(call(3, ['engine'], [unit('ENGINE', 900, 960, 2000)]))).toEqual({ counted: false, late: false, cause: null });
    const f = allocationFigures([
      call(1, ['engine'], [unit('ENGINE', 0, 60, 200)]),
      call(1, ['engine'], []),
      call(2, ['engine'], []),
      call(3, ['engine'], [unit('ENGINE', 0, 60, 2000)]),
    ]);
    expect(f).toMatchObject({ p1Calls: 2, lateCalls: 1, lateShare: 0.5, responded: 2 });
    // Response = received (60 s before posting) to the first unit on scene, over every call some unit reached.
    expect(f.meanResponseS).toBe((260 + 2060) / 2);
  });

  it('says why each late call was late: what a policy can change (a wait, a far unit) apart from the luck of the drawn travel', () => {
    const far = { ...unit('ENGINE', 0, 60, 360), medianTravelS: 280 };
    const unlucky = { ...unit('ENGINE', 0, 60, 360), medianTravelS: 200 };
    const ambulance = { ...unit('MEDIC', 0, 60, 700), travelDrawn: true };
    const cause = (plan: string[], sim: UnitTimes[]) => lateArrivalOf(call(1, plan, sim)).cause;
    expect(cause(['engine'], [far])).toBe('farFromUnit');
    expect(cause(['engine'], [unlucky])).toBe('travelSpread');
    expect(cause(['engine'], [{ ...far, dispatch: T0 + 30_000 }])).toBe('waitedForUnit');
    expect(cause(['engine', 'als'], [{ ...unlucky, onScene: T0 + 200_000 }, ambulance])).toBe('ambulanceTravelDrawn');
    // Both kinds late: counted once, by the engine's cause.
    expect(cause(['engine', 'als'], [far, ambulance])).toBe('farFromUnit');
    // The kind's first unit to arrive decides, not the first dispatched: here the far one arrived first.
    expect(cause(['engine'], [{ ...unlucky, onScene: T0 + 400_000 }, far])).toBe('farFromUnit');
    const f = allocationFigures([call(1, ['engine'], [far]), call(1, ['engine'], [unlucky]), call(1, ['engine'], []), call(1, ['engine'], [unit('ENGINE', 0, 60, 200)])]);
    expect(f.lateCalls).toBe(3);
    expect(f.lateCauses).toEqual({ neverReached: 1, waitedForUnit: 0, farFromUnit: 1, travelSpread: 1, ambulanceTravelDrawn: 0 });
  });

  it('the report gives the figures per run and, for runs compared, per policy with ratios over the first', () => {
    const calls = [0, 1, 2, 3].map((i) => ({
      callId: `c${i}`,
      type: 'Structure Fire',
      priority: 1,
      district: 'D3',
      street: 'Nob Hill',
      received: T0 - 60_000,
      posted: T0,
      plan: ['engine'],
      sim: [unit('ENGINE', 0, 60, i < 2 ? 200 : 400)],
      hist: [],
    }));
    const hour = (ms: number) => new Date(ms).toISOString().slice(0, 13);
    const nearest = buildReport({ id: 'a', policy: 'nearest', surge: 4 }, calls, [], hour, []);
    const better = buildReport({ id: 'b', policy: 'moveups', surge: 4 }, calls.map((c) => ({ ...c, sim: [unit('ENGINE', 0, 60, 200)] })), [], hour, []);
    expect(nearest.allocation).toMatchObject({ p1Calls: 4, lateCalls: 2, lateShare: 0.5 });
    const rows = policyRows([nearest, better]);
    expect(rows[1]).toMatchObject({ policy: 'moveups', lateShare: 0, lateShareRatio: 0 });
    expect(rows[1].meanResponseRatio).toBeCloseTo(260 / 360, 3);
    const html = reportHtml({ ...nearest, policies: rows }, 'en');
    expect(html).toContain('Surge ×4');
    expect(html).toContain('optimised with move-ups');
    expect(reportHtml({ ...nearest, policies: rows }, 'zh-CN')).toContain('迟到率');
  });

  it('counts the move-ups each policy made: the tally of the move-up run, none under a policy without, unknown for a run that does not say', () => {
    const hour = (ms: number) => new Date(ms).toISOString().slice(0, 13);
    const calls = [{ callId: 'c', type: 'Structure Fire', priority: 1, district: 'D3', street: 'Nob Hill', received: T0, sim: [unit('ENGINE', 0, 60, 200)], hist: [] }];
    const tally = { looks: 9, proposed: 6, refused: 1, started: 5, done: 4, cancelled: 1 };
    const rows = policyRows([
      buildReport({ id: 'a', policy: 'nearest', moveUps: null }, calls, [], hour, []),
      buildReport({ id: 'b', policy: 'moveups', moveUps: tally }, calls, [], hour, []),
      // Hostile twins: a run recorded before the tally existed, and a tally without its count.
      buildReport({ id: 'c', policy: 'moveups' }, calls, [], hour, []),
      buildReport({ id: 'd', policy: 'moveups', moveUps: { looks: 1 } }, calls, [], hour, []),
    ]);
    expect(rows.map((r) => r.moveUpsMade)).toEqual([0, 4, null, null]);
  });
});
