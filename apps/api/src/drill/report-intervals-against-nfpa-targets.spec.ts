import { buildReport, compareReports, intervalsOf, NFPA_TARGETS, reportHtml, UnitTimes } from './report';

const T0 = Date.parse('2017-01-01T10:00:00Z');
const at = (s: number | null) => (s === null ? null : T0 + s * 1000);
const unit = (unitId: string, unitType: string, d: number | null, e: number | null, o: number | null, c: number | null): UnitTimes => ({
  unitId,
  unitType,
  dispatch: at(d),
  enRoute: at(e),
  onScene: at(o),
  clear: at(c),
});

describe('after-action report intervals and NFPA targets', () => {
  it('splits a call into processing, EMS and fire turnout, first-unit and full-alarm travel, and total response', () => {
    const iv = intervalsOf(T0, [unit('E1', 'ENGINE', 50, 120, 300, 900), unit('M1', 'MEDIC', 55, 90, 400, 1500)]);
    expect(iv).toEqual({
      callProcessing: [50],
      turnoutEms: [35],
      turnoutFire: [70],
      travelFirstUnit: [180],
      travelFullAlarm: [310],
      totalResponse: [300],
    });
    // A unit that never arrived gives no travel and no full alarm; a call nobody reached has no total.
    expect(intervalsOf(T0, [unit('E1', 'ENGINE', 10, 40, null, null)])).toMatchObject({ travelFirstUnit: [], totalResponse: [], travelFullAlarm: [] });
  });

  it('reports p50, p90 and the share within target per group, historical next to simulated, and compares runs', () => {
    const calls = [0, 1, 2, 3].map((i) => ({
      callId: `c${i}`,
      type: i % 2 ? 'Medical Incident' : 'Structure Fire',
      priority: 1 + (i % 2),
      district: 'District 3',
      street: i < 2 ? 'Nob Hill' : 'Chinatown',
      received: T0 + i * 3600_000,
      sim: [{ ...unit('E1', 'ENGINE', 0, 60, 60 + 100 * (i + 1), 2000), dispatch: T0 + i * 3600_000 } as UnitTimes].map((u) => shift(u, i)),
      hist: [shift(unit('E1', 'ENGINE', 90, 180, 480, 2000), i)],
    }));
    const r = buildReport({ id: 'a', policy: 'nearest' }, calls, [T0 + 3600_000 + 5], (ms) => new Date(ms).toISOString().slice(0, 13), []);
    expect(r.targets).toBe(NFPA_TARGETS);
    expect(r.overall.calls).toBe(4);
    expect(r.overall.travelFirstUnit.sim).toEqual({ n: 4, p50: 250, p90: 370, withinTarget: 0.5 });
    expect(r.overall.callProcessing.hist).toEqual({ n: 4, p50: 90, p90: 90, withinTarget: 0 });
    expect(Object.keys(r.byStreet)).toEqual(['Nob Hill', 'Chinatown']);
    expect(r.byPriority.P1.calls).toBe(2);
    expect(r.timeline.map((h) => [h.calls, h.escalations])).toEqual([
      [1, 0],
      [1, 1],
      [1, 0],
      [1, 0],
    ]);
    expect(r.utilisation[0].simResponses).toBe(4);
    const b = buildReport({ id: 'b', policy: 'optimised' }, calls.map((c) => ({ ...c, sim: c.sim.map((u) => ({ ...u, onScene: u.onScene! - 50_000 })) })), [], (ms) => String(ms), []);
    const cmp = compareReports(r, b);
    expect(cmp.metrics.travelFirstUnit.deltaP90).toBe(-50);
    expect(reportHtml({ ...r, comparison: cmp })).toContain('Policy comparison: nearest (A) vs optimised (B)');
  });
});

function shift(u: UnitTimes, hours: number): UnitTimes {
  const d = hours * 3600_000;
  const s = (x: number | null) => (x === null ? null : x + d);
  return { ...u, dispatch: s(u.dispatch)!, enRoute: s(u.enRoute), onScene: s(u.onScene), clear: s(u.clear) };
}
