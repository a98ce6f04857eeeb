import { drillRunHtml } from './drill-run-view';

const when = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const run = (over: Record<string, unknown>) => ({
  id: 'drill-1',
  state: 'finished',
  day: '2017-01-01',
  policy: 'nearest',
  calls: 30,
  posted: 30,
  simStart: '2017-01-01T08:00:00.000Z',
  simTime: '2017-01-02T08:10:00.000Z',
  simEnd: '2017-01-02T08:00:00.000Z',
  progress: 1,
  error: null,
  ...over,
});

/** A tester saw a run played mostly at 60× shown as "max" (the last speed set): the dialog says every speed, in order. */
describe('the drill dialog shows every speed a run was played at', () => {
  it('a run set from 60× to max shows 60× → max', () => {
    const html = drillRunHtml(run({ speed: 'max', speedHistory: [{ simTime: '2017-01-01T08:00:00.000Z', speed: 60 }, { simTime: '2017-01-01T20:00:00.000Z', speed: 'max' }] }), false, when);
    expect(html).toMatch(/60× → (max|maximum)/i);
  });

  it('a run kept at one speed shows that speed alone', () => {
    const html = drillRunHtml(run({ speed: 60, speedHistory: [{ simTime: '2017-01-01T08:00:00.000Z', speed: 60 }] }), false, when);
    expect(html).toContain('60×');
    expect(html).not.toContain('→');
  });
});
