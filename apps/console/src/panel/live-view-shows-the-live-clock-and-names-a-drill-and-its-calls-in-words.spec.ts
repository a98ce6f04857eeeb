import zh from '@cad/i18n/locales/zh-CN.json';
import { callNumberShown, drillName } from '../drill-names';
import { setTimeZone } from '../format';
import { addLocales, setLocale } from '../i18n';
import { anIncident } from '../testing/views';
import type { ClockState, Incident } from '../types';
import { clockLine, renderCounters } from './header';

/**
 * The header in each world. The live view shows the wall clock (city time) and no drill, even while a
 * drill runs; the exercise view shows the drill's clock, its EXERCISE badge and the drill by name, not
 * by run id. A drill's calls show their historical number, not `<run id>:<number>`. The exercise view's
 * "open" count is the drill's: its label says so, since the live incidents are listed above them.
 */
const RUN = 'drill-2017-01-01-nearest-s1-mx9h0qfk';
const running: ClockState = { running: true, simTime: '2017-01-01T09:15:00Z', speed: 60, drill: RUN };
const sim = Date.parse('2017-01-01T09:15:00Z');
const now = Date.parse('2026-12-04T21:00:05Z');

beforeAll(() => {
  Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
  addLocales({ 'locales/zh-CN.json': zh });
  setLocale('en', false);
  setTimeZone('UTC');
});
describe('the header clock', () => {
  it('shows the live clock in the live view while a drill runs: no SIM, no speed, no drill, no EXERCISE badge', () => {
    expect(clockLine(running, sim, 'live', now)).toEqual({ label: 'TIME', time: '21:00:05', speed: '', drill: '', exerciseBadge: false, drillClock: false });
  });

  it("shows the drill's clock, speed, name and badge in the exercise view", () => {
    expect(clockLine(running, sim, 'exercise', now)).toEqual({
      label: 'SIM',
      time: '09:15:00',
      speed: '×60',
      drill: 'Exercise Jan 1, 2017 (nearest, seed 1)',
      exerciseBadge: true,
      drillClock: true,
    });
    // A drill standing (paused) keeps its clock and name, without the running badge.
    expect(clockLine({ ...running, running: false }, sim, 'exercise', now)).toMatchObject({ label: 'SIM', speed: '×60 (paused)', exerciseBadge: false });
  });

  it('shows the wall clock in the exercise view when no drill runs or its clock is unknown', () => {
    expect(clockLine({ running: false, simTime: null, speed: 1, drill: null }, null, 'exercise', now)).toMatchObject({ label: 'TIME', time: '21:00:05', drill: '' });
    expect(clockLine(running, null, 'exercise', now)).toMatchObject({ label: 'TIME', exerciseBadge: false });
  });
});

describe('a drill and its calls named for people', () => {
  afterEach(() => setLocale('en', false));

  it('names a run by its day, policy and seed, in English and Chinese, never by its id', () => {
    expect(drillName(RUN)).toBe('Exercise Jan 1, 2017 (nearest, seed 1)');
    expect(drillName('drill-2017-01-02-optimised-x2-s7-mx9h0qfk')).toBe('Exercise Jan 2, 2017 (optimised, calls ×2, seed 7)');
    setLocale('zh-CN', false);
    expect(drillName(RUN)).toBe('演练 2017年1月1日（就近，种子 1）');
  });

  it('names an id of another shape as it is, after "Exercise", and none as nothing', () => {
    expect(drillName('drill-custom')).toBe('Exercise drill-custom');
    expect(drillName('drill-2017-13-01-nearest-s1-x; <b>')).toBe('Exercise drill-2017-13-01-nearest-s1-x; <b>');
    expect(drillName(null)).toBe('');
  });

  it("shows an exercise call's historical number alone, and any other call number untouched", () => {
    expect(callNumberShown(`${RUN}:170011602`)).toBe('170011602');
    expect(callNumberShown('170011602')).toBe('170011602');
    expect(callNumberShown('CAP-abc:1')).toBe('CAP-abc:1');
    expect(callNumberShown(null, 'i1')).toBe('i1');
  });
});

describe("the exercise view's open count", () => {
  const els = new Map<string, { innerHTML: string; textContent: string; hidden: boolean; dataset: Record<string, string> }>();
  beforeAll(() => {
    Object.assign(globalThis, {
      document: {
        getElementById: (id: string) => {
          if (!els.has(id)) els.set(id, { innerHTML: '', textContent: '', hidden: false, dataset: {} });
          return els.get(id);
        },
      },
    });
  });
  const counted = new Map<string, Incident>([['x1', anIncident({ id: 'x1', exercise: true, drillId: RUN })]]);

  it('says it counts the drill\'s incidents in the exercise view', () => {
    renderCounters(counted, new Map(), null, 'Exercise', 'exercise');
    expect(els.get('counters')!.innerHTML).toContain('<span class="v">1</span><span class="k">Exercise open</span>');
    expect(els.get('counters')!.innerHTML).toContain('title="Open incidents of the drill; the live incidents listed above them are counted in the Live view"');
  });

  it('says plain "Open" in the live view', () => {
    renderCounters(new Map([['i1', anIncident()]]), new Map(), null, 'Live', 'live');
    expect(els.get('counters')!.innerHTML).toContain('<span class="v">1</span><span class="k">Open</span>');
    expect(els.get('counters')!.innerHTML).not.toContain('Exercise open');
  });
});
