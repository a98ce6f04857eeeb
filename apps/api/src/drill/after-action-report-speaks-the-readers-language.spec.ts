import { buildReport, reportHtml, reportLocale, type ReportCall, type ReportNote } from './report';

/** The after-action report in the reader's language: the console's choice, else the browser's, else English. */
describe('the after-action report speaks the reader\'s language', () => {
  const T0 = Date.UTC(2017, 0, 1, 10);
  const unit = (id: string, type: string, offset: number) => ({ unitId: id, unitType: type, dispatch: T0 + offset, enRoute: T0 + offset + 60_000, onScene: T0 + offset + 300_000, clear: T0 + offset + 900_000 });
  const calls: ReportCall[] = [
    { callId: 'c1', type: 'Medical Incident', priority: 1, district: 'Marina', street: 'Cow Hollow', received: T0, sim: [unit('M01', 'MEDIC', 30_000)], hist: [unit('M01', 'MEDIC', 40_000)] },
    { callId: 'c2', type: 'Structure Fire', priority: 2, district: 'Marina', street: 'Cow Hollow', received: T0 + 60_000, sim: [unit('E01', 'ENGINE', 90_000), unit('T01', 'TRUCK', 95_000)], hist: [] },
  ];
  const notes: ReportNote[] = [
    { key: 'report.note.problems', values: { problems: 2, refused: 1 } },
    { key: 'report.note.closureApplied', values: { note: 'Lombard St', edges: 14, from: '2017-01-01 10:00', to: '2017-01-01 12:00', count: 1 } },
  ];
  const report = buildReport({ id: 'drill-7', scenario: 'sf-north', day: '2017-01-01', toDay: '2017-01-01', policy: 'nearest', seed: 1, speed: 60, calls: 2, state: 'finished', wallSeconds: 12 }, calls, [], (ms) => new Date(ms).toISOString().slice(0, 13).replace('T', ' '), notes);

  it('keeps the JSON notes in English, with plural forms chosen by the count', () => {
    expect(report.notes).toEqual([
      '2 unreadable rows in the scenario source; 1 calls refused by the API (e.g. outside every jurisdiction).',
      'Scenario road closure "Lombard St": 14 road edges closed from 2017-01-01 10:00 to 2017-01-01 12:00 on this drill\'s routing only (live routing untouched); 1 task re-routed when it opened.',
    ]);
  });

  it('renders in Chinese with no English heading, label or note left (data names and codes excepted)', () => {
    const html = reportHtml(report, 'zh-CN');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<h1>复盘报告：演练 drill-7</h1>');
    expect(html).toContain('按来电类型');
    expect(html).toContain('医疗急救'); // the call type of the data, translated
    expect(html).toContain('封闭 14 段道路');
    const text = html
      .replace(/<style>[\s\S]*?<\/style>/, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&[a-z]+;/g, ' ');
    const allowed = new Set(['drill', 'sf', 'north', 'Marina', 'Cow', 'Hollow', 'Lombard', 'St', 'NFPA', 'p50', 'p90', 'A', 'B', 'JSON', 'sha256', 'M01', 'E01', 'T01', 'MEDIC', 'ENGINE', 'TRUCK', 'P1', 'P2', 'API', 'undefined']);
    const english = (text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => !allowed.has(w));
    expect(english).toEqual([]);
  });

  it('renders in English by default, numbers grouped and shares as percentages', () => {
    const html = reportHtml(report);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h2>By call type</h2>');
    expect(html).toContain('Medical Incident');
    expect(html).toMatch(/\d+%/);
  });

  it('takes ?lang first, then Accept-Language by weight, then English; an unknown or hostile value falls back', () => {
    expect(reportLocale('zh-CN', 'en-US,en;q=0.9')).toBe('zh-CN');
    expect(reportLocale(undefined, 'fr-FR,zh-TW;q=0.8,en;q=0.5')).toBe('zh-CN');
    expect(reportLocale(undefined, 'en;q=0.2, zh-CN;q=0.9')).toBe('zh-CN');
    expect(reportLocale('xx', 'de')).toBe('en');
    expect(reportLocale('<script>', undefined)).toBe('en');
    expect(reportLocale(undefined, 'zh-CN;q=0, *;q=1')).toBe('en');
    expect(reportLocale('', '')).toBe('en');
  });
});
