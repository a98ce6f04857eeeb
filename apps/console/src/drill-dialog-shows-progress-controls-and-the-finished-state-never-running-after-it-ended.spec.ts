import { drillRunHtml, drillRunsHtml, isActive, progressShare, reportUrl } from './drill-run-view';
import { hourLabels, p90Rows, type ReportJson } from './drill-report/report-data';

const when = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const run = (over: Record<string, unknown>) => ({
  id: 'drill-1',
  state: 'running',
  day: '2017-01-01',
  speed: 60 as number | 'max',
  policy: 'nearest',
  calls: 30,
  posted: 12,
  refused: 0,
  simStart: '2017-01-01T08:00:00.000Z',
  simTime: '2017-01-01T14:00:00.000Z',
  simEnd: '2017-01-02T08:00:00.000Z',
  progress: 0.25,
  error: null,
  ...over,
});

/** Issue 26 part 7: the drill dialog's run view and the report page's data. */
describe('the drill dialog shows progress, controls and the finished state, never running after it ended', () => {
  it('shows a running run with its progress bar, simulated time over the span, calls placed, speed, pause and stop', () => {
    const html = drillRunHtml(run({}), true, when);
    expect(html).toContain('data-state="running"');
    expect(html).toContain('aria-valuenow="25"');
    expect(html).toContain('width:25%');
    expect(html).toContain('14:00');
    expect(html).toContain('12 of 30 calls placed');
    expect(html).toContain('data-drill-cmd="pause"');
    expect(html).toContain('data-drill-cmd="stop"');
    expect(html).toMatch(/<option value="60" selected>/);
    expect(html).not.toContain('drill-report-link');
  });

  it('offers resume for a paused run, and no controls to someone who may not run drills', () => {
    expect(drillRunHtml(run({ state: 'paused' }), true, when)).toContain('data-drill-cmd="resume"');
    const watcher = drillRunHtml(run({}), false, when);
    expect(watcher).not.toContain('data-drill-cmd');
    expect(watcher).toContain('aria-valuenow="25"');
  });

  it('shows a finished run as whole and finished, with its report at its own URL and nothing to control', () => {
    // The last poll may still carry a partial progress: finished is whole.
    const html = drillRunHtml(run({ state: 'finished', progress: 0.97, posted: 30 }), true, when);
    expect(progressShare({ state: 'finished', progress: 0.97 })).toBe(1);
    expect(html).toContain('data-state="finished"');
    expect(html).not.toMatch(/running/);
    expect(html).toContain('aria-valuenow="100"');
    expect(html).not.toContain('data-drill-cmd');
    expect(html).toContain(`href="${reportUrl('drill-1')}"`);
    expect(reportUrl('a/b')).toBe('/drills/a%2Fb/report');
    expect(isActive({ state: 'stopped' })).toBe(false);
  });

  it('escapes what the server sends, and clamps a progress out of range', () => {
    const html = drillRunHtml(run({ id: '"><script>x</script>', state: '<b>', day: '<i>' }), true, when);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<i>');
    expect(progressShare({ state: 'running', progress: 7 })).toBe(1);
    expect(progressShare({ state: 'running', progress: Number.NaN })).toBe(0);
    expect(drillRunsHtml([run({ id: 'old', state: 'stopped' })])).toContain('href="/drills/old/report"');
  });

  it('gives the report page one p90 row per interval with its NFPA target, and hour labels that fit the axis', () => {
    const dist = (p90: number | null) => ({ n: p90 === null ? 0 : 5, p50: p90, p90 });
    const metrics = ['callProcessing', 'turnoutEms', 'turnoutFire', 'travelFirstUnit', 'travelFullAlarm', 'totalResponse'] as const;
    const targets = { callProcessing: 60, turnoutEms: 60, turnoutFire: 80, travelFirstUnit: 240, travelFullAlarm: 480, totalResponse: 380 };
    const r = {
      run: {},
      targets: Object.fromEntries(metrics.map((m) => [m, { seconds: targets[m], source: 'NFPA' }])),
      overall: { calls: 3, ...Object.fromEntries(metrics.map((m, i) => [m, { sim: dist(i * 10), hist: dist(m === 'turnoutEms' ? null : 100) }])) },
      timeline: [],
    } as unknown as ReportJson;
    const rows = p90Rows(r);
    expect(rows.map((x) => x.metric)).toEqual([...metrics]);
    expect(rows[3]).toEqual({ metric: 'travelFirstUnit', sim: 30, hist: 100, target: 240 });
    expect(rows[1].hist).toBeNull();
    expect(hourLabels([{ hour: '2017-01-01 00:00' }, { hour: '2017-01-01 13:00' }])).toEqual(['00:00', '13:00']);
    expect(hourLabels([{ hour: '2017-01-01 23:00' }, { hour: '2017-01-02 00:00' }])).toEqual(['01-01 23:00', '01-02 00:00']);
  });
});
