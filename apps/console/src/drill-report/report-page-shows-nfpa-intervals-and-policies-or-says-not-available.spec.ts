import zh from '@cad/i18n/locales/zh-CN.json';
import { REPORT_INTERVALS, type DrillReportView, type ReportDistView, type ReportPolicyRowView, type ReportValidationRowView } from '@cad/contracts/drill-report';
import { addLocales, setLocale } from '../i18n';
import { hasHistory, intervalRows, policyHtml, validationHtml } from './report-tables';

const TARGETS = { callProcessing: 60, turnoutEms: 60, turnoutFire: 80, travelFirstUnit: 240, travelFullAlarm: 480, totalResponse: 380 };
const dist = (p50: number | null, p90: number | null, withinTarget: number | null): ReportDistView => ({ n: p90 === null ? 0 : 12, p50, p90, withinTarget });
const vrow = (sim: ReportDistView, hist: ReportDistView): ReportValidationRowView => {
  const r = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? Math.round((a / b) * 1000) / 1000 : null);
  return { simP50: sim.p50, histP50: hist.p50, p50Ratio: r(sim.p50, hist.p50), simP90: sim.p90, histP90: hist.p90, p90Ratio: r(sim.p90, hist.p90) };
};

/** A report view as the API builds it: simulated figures for every interval, historical ones when `history`. */
function reportView(history: boolean, policies?: ReportPolicyRowView[]): DrillReportView {
  const sim = (i: number) => dist(20 + i * 10, 40 + i * 20, 0.9);
  const hist = (i: number) => (history ? dist(25 + i * 10, 50 + i * 20, 0.8) : dist(null, null, null));
  const per = <T>(f: (i: number) => T) => Object.fromEntries(REPORT_INTERVALS.map((m, i) => [m, f(i)])) as Record<(typeof REPORT_INTERVALS)[number], T>;
  return {
    run: { id: 'drill-1', day: '2017-01-01', policy: 'nearest', state: 'finished' },
    targets: per((i) => ({ seconds: TARGETS[REPORT_INTERVALS[i]], source: 'NFPA 1710 (2020) 4.1.2.1' })),
    overall: { calls: 12, ...per((i) => ({ sim: sim(i), hist: hist(i) })) },
    timeline: [],
    validation: { policy: 'nearest', applies: true, rows: per((i) => vrow(sim(i), hist(i))) },
    ...(policies ? { policies } : {}),
  };
}

const policy = (p: string, over: Partial<ReportPolicyRowView> = {}): ReportPolicyRowView => ({
  id: `drill-${p}`,
  policy: p,
  p1Calls: 20,
  lateCalls: 5,
  lateShare: 0.25,
  responded: 40,
  meanResponseS: 400.4,
  p90ResponseS: 610,
  lateShareRatio: 1,
  meanResponseRatio: 1,
  moveUpsMade: 0,
  ...over,
});

/** The text of an HTML fragment's cells, row by row. */
const cells = (html: string) => [...html.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]));
const NO_LEAKS = /NaN|undefined|null|\[object|\{\{|report\.|_/;

describe('the report page shows the NFPA intervals and the policy comparison, or says they are not available', () => {
  beforeEach(() => setLocale('en', false));

  it('tabulates each interval: target, simulated and historical p50/p90 with their ratios, and the share within target', () => {
    const r = reportView(true);
    expect(hasHistory(r)).toBe(true);
    const rows = cells(validationHtml(r));
    expect(rows[0]).toEqual(['interval', 'target p90 (s)', 'sim p50', 'hist p50', 'p50 sim ÷ hist', 'sim p90', 'hist p90', 'p90 sim ÷ hist', 'sim within target', 'hist within target']);
    expect(rows.slice(1).map((x) => x[0])).toEqual(['Call processing', 'Turnout (EMS)', 'Turnout (fire)', 'Travel, first unit', 'Travel, full alarm', 'Total response']);
    // Travel, first unit: sim p50 50, hist p50 55 (0.91); sim p90 100, hist p90 110 (0.91); target 240 s.
    expect(rows[4]).toEqual(['Travel, first unit', '240', '50', '55', '0.91', '100', '110', '0.91', '90%', '80%']);
    expect(validationHtml(r)).toContain('the nearest-unit baseline');
    expect(validationHtml(r)).not.toMatch(NO_LEAKS);
    expect(intervalRows(r)[0]).toMatchObject({ metric: 'callProcessing', target: 60, p90Ratio: 0.8 });
  });

  it('says "not available" in one plain line when no call matched history, never NaN or undefined', () => {
    const r = reportView(false);
    expect(hasHistory(r)).toBe(false);
    const html = validationHtml(r);
    expect(html).not.toContain('<table');
    expect(html).toContain('data-na="1"');
    expect(html).toContain('Not available: none of this drill');
    expect(html).not.toMatch(NO_LEAKS);
    // A report recorded before the validation section existed, with an interval missing: dashes, no NaN.
    const old = { ...reportView(true), validation: undefined } as DrillReportView;
    delete (old.overall as Partial<DrillReportView['overall']>).turnoutEms;
    const oldHtml = validationHtml(old);
    expect(cells(oldHtml)[2]).toEqual(['Turnout (EMS)', '60', '—', '—', '—', '—', '—', '—', '—', '—']);
    expect(cells(oldHtml)[1][4]).toBe('—');
    expect(oldHtml).not.toMatch(NO_LEAKS);
  });

  it('compares the policies run on the same calls: late share, mean and p90 response, move-ups made, ratios over the first', () => {
    const r = reportView(true, [policy('nearest'), policy('optimised', { lateCalls: 3, lateShare: 0.15, meanResponseS: 360, lateShareRatio: 0.6, meanResponseRatio: 0.9 }), policy('moveups', { moveUpsMade: 7, lateShareRatio: 0.4 })]);
    const html = policyHtml(r);
    const rows = cells(html);
    expect(rows[0]).toEqual(['Policy', 'P1 incidents', 'Late', 'Late share', 'Mean response (s)', 'p90 response (s)', 'Move-ups made', 'Late share ÷ first row', 'Mean response ÷ first row']);
    expect(rows[1]).toEqual(['nearest', '20', '5', '25%', '400', '610', '0', '1.00', '1.00']);
    expect(rows[2]).toEqual(['optimised', '20', '3', '15%', '360', '610', '0', '0.60', '0.90']);
    expect(rows[3][0]).toBe('optimised with move-ups');
    expect(rows[3][6]).toBe('7');
    // No run counted its late calls' causes (an older report): no causes table.
    expect(html).not.toContain('dr-late-causes');
    // No run ids or codes shown.
    expect(html).not.toContain('drill-');
    expect(html).not.toMatch(NO_LEAKS);
  });

  it('says why the late calls were late per policy: what a policy can change first, then the luck of the draw', () => {
    const causes = (w: number, f: number) => ({ waitedForUnit: w, farFromUnit: f, travelSpread: 2, ambulanceTravelDrawn: 1, neverReached: 0 });
    const html = policyHtml(reportView(true, [policy('nearest', { lateCauses: causes(1, 1) }), policy('moveups', { lateCauses: causes(0, 0), lateCalls: 3 })]));
    const table = html.slice(html.indexOf('id="dr-late-causes"'));
    expect(cells(table)[0]).toEqual(['Policy', 'Waited for a unit', 'Unit too far', 'Travel spread', 'Ambulance travel drawn', 'Never reached']);
    expect(cells(table)[1]).toEqual(['nearest', '1', '1', '2', '1', '0']);
    expect(cells(table)[2]).toEqual(['optimised with move-ups', '0', '0', '2', '1', '0']);
    expect(html).toContain('the luck of the draw');
    expect(html).not.toMatch(NO_LEAKS);
  });

  it('says "not available" when the drill was not compared with another policy, and dashes for a figure a run lacks', () => {
    for (const r of [reportView(true), reportView(true, []), reportView(true, [policy('nearest')])]) {
      const html = policyHtml(r);
      expect(html).not.toContain('<table');
      expect(html).toContain('Not available: this drill was not compared');
      expect(html).not.toMatch(NO_LEAKS);
    }
    const noP1 = policyHtml(reportView(true, [policy('nearest', { p1Calls: 0, lateCalls: 0, lateShare: null, lateShareRatio: null, meanResponseS: null, p90ResponseS: null, meanResponseRatio: null, moveUpsMade: null }), policy('optimised')]));
    expect(cells(noP1)[1]).toEqual(['nearest', '0', '0', '—', '—', '—', '—', '—', '—']);
    expect(noP1).not.toMatch(NO_LEAKS);
  });

  it('speaks Chinese when the reader chose it', () => {
    if (!('navigator' in globalThis)) Object.defineProperty(globalThis, 'navigator', { value: { languages: ['en'], language: 'en' }, configurable: true });
    addLocales({ 'locales/zh-CN.json': zh });
    setLocale('zh-CN', false);
    expect(cells(validationHtml(reportView(true)))[1][0]).toBe(zh.report.metric.callProcessing);
    expect(policyHtml(reportView(false))).toContain(zh.report.page.noPolicies);
    expect(validationHtml(reportView(false))).toContain(zh.report.page.noHistory);
    expect(cells(policyHtml(reportView(true, [policy('nearest'), policy('moveups')])))[2][0]).toBe(zh.report.policy.moveups);
  });
});
