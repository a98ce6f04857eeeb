import { drillRunHtml, drillRunsHtml, otherRuns, type DrillRunView } from './drill-run-view';
import { setLocale } from './i18n';

/**
 * What an independent tester saw: after a drill started from the console finished, the start-up drill
 * still running was listed only under "Earlier drills", with no Pause or Stop. Every running or paused
 * drill is now shown in full with its own controls; only ended drills are listed as earlier.
 */
describe('the drill dialog with a finished drill shown and another still running', () => {
  beforeAll(() => {
    Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
    setLocale('en', false);
  });
  const when = (ms: number) => new Date(ms).toISOString();
  const runs: DrillRunView[] = [
    { id: 'drill-console', state: 'finished', day: '2017-01-02', progress: 1 },
    { id: 'drill-startup', state: 'running', day: '2017-01-01', speed: 60, progress: 0.4 },
    { id: 'drill-paused', state: 'paused', day: '2016-12-31', speed: 10, progress: 0.2 },
    { id: 'drill-old', state: 'stopped', day: '2016-12-30' },
  ];

  it('shows the running and the paused drill with their own controls, never under Earlier drills', () => {
    const { active, earlier } = otherRuns(runs, 'drill-console');
    expect(active.map((r) => r.id)).toEqual(['drill-startup', 'drill-paused']);
    expect(earlier.map((r) => r.id)).toEqual(['drill-old']);
    const running = drillRunHtml(active[0], true, when);
    expect(running).toContain('data-drill-id="drill-startup"');
    expect(running).toContain('data-drill-cmd="pause"');
    expect(running).toContain('data-drill-cmd="stop"');
    const paused = drillRunHtml(active[1], true, when);
    expect(paused).toContain('data-drill-cmd="resume"');
    expect(paused).toContain('data-drill-cmd="stop"');
    const listed = drillRunsHtml(earlier);
    expect(listed).toContain('Earlier drills');
    expect(listed).not.toContain('drill-startup');
    expect(listed).not.toContain('drill-paused');
  });

  it('with no drill chosen yet, every active drill but the shown one is still offered in full', () => {
    const { active, earlier } = otherRuns(runs, 'drill-startup');
    expect(active.map((r) => r.id)).toEqual(['drill-paused']);
    expect(earlier.map((r) => r.id)).toEqual(['drill-console', 'drill-old']);
  });
});
