import { buildReport, reportHtml, UnitTimes, validationOf } from './report';

const T0 = Date.parse('2017-01-01T10:00:00Z');
const u = (d: number, e: number, o: number, c: number, base: number): UnitTimes => ({
  unitId: 'E1',
  unitType: 'ENGINE',
  dispatch: base + d * 1000,
  enRoute: base + e * 1000,
  onScene: base + o * 1000,
  clear: base + c * 1000,
});

describe('drill report validation: simulated over historical p50 and p90 of each interval, same calls', () => {
  const calls = [0, 1, 2, 3, 4].map((i) => {
    const base = T0 + i * 3600_000;
    // Simulated: processing 60 s, travel 120 s; historical: processing 120 s, travel 120 s.
    return { callId: `c${i}`, type: 'Structure Fire', priority: 1, district: 'D3', street: 'Nob Hill', received: base, sim: [u(60, 140, 260, 900, base)], hist: [u(120, 200, 320, 900, base)] };
  });

  it('gives the ratio per interval and says the run validates the simulation only under nearest', () => {
    const r = buildReport({ id: 'a', policy: 'nearest', day: '2017-01-01', toDay: '2017-01-01' }, calls, [], (ms) => new Date(ms).toISOString().slice(0, 13), []);
    expect(r.validation.applies).toBe(true);
    expect(r.validation.rows.callProcessing).toMatchObject({ simP50: 60, histP50: 120, p50Ratio: 0.5, p90Ratio: 0.5 });
    expect(r.validation.rows.travelFirstUnit).toMatchObject({ p50Ratio: 1, p90Ratio: 1 });
    expect(r.validation.rows.totalResponse.p90Ratio).toBeCloseTo(260 / 320, 3);
    const html = reportHtml(r, 'en');
    expect(html).toContain('does the drill reproduce history');
    expect(html).toContain('0.50');
    expect(reportHtml(r, 'zh-CN')).toContain('验证');
  });

  it('hostile: another policy is flagged, and an interval with no history has no ratio (never a division by zero)', () => {
    const r = buildReport({ id: 'b', policy: 'optimised' }, calls.map((c) => ({ ...c, hist: [] })), [], (ms) => new Date(ms).toISOString().slice(0, 13), []);
    expect(r.validation.applies).toBe(false);
    expect(r.validation.rows.callProcessing).toMatchObject({ histP50: null, p50Ratio: null, p90Ratio: null });
    expect(reportHtml(r, 'en')).toContain('run the drill under');
    const zero = validationOf({ ...r.overall, callProcessing: { sim: { n: 1, p50: 5, p90: 5, withinTarget: 1 }, hist: { n: 1, p50: 0, p90: 0, withinTarget: 1 } } }, 'nearest');
    expect(zero.rows.callProcessing.p50Ratio).toBeNull();
  });
});
