import { countedUnits, initialView, setDrillUnits, storedChoice } from './world';
import type { Unit } from './types';

/**
 * `npm start` runs a drill while the live world is empty: a newcomer's console used to open on Live
 * with no incident, and the Exercise view's unit board still showed the live fleet while the header
 * counted the drill's. A first visit (no world chosen before) on an empty live world while a drill runs
 * opens that drill's exercise view (and says so); a choice made before is kept; an open live incident
 * keeps it on Live. In the exercise view the board shows the drill world's units, never the live fleet.
 */
describe('a first visit opens the running drill when live is empty, and its board shows the drill’s units', () => {
  const g = globalThis as { document?: unknown; localStorage?: unknown; location?: unknown };
  let stored: Record<string, string> = {};
  beforeAll(() => {
    g.document = { getElementById: () => null };
    g.localStorage = { getItem: (k: string) => stored[k] ?? null, setItem: (k: string, v: string) => (stored[k] = v) };
  });
  afterEach(() => {
    stored = {};
    delete g.location;
  });
  afterAll(() => {
    delete g.document;
    delete g.localStorage;
  });

  const drill = 'drill-2017-01-01-nearest-s1-none';

  it('opens the exercise view by itself only with no choice before, a drill running and no open live incident', () => {
    expect(initialView({ chosen: null, drill, openLive: 0 })).toEqual({ view: 'exercise', auto: true });
    // Hostile twins: a live incident open, no drill, or a choice made before.
    expect(initialView({ chosen: null, drill, openLive: 1 })).toEqual({ view: 'live', auto: false });
    expect(initialView({ chosen: null, drill: null, openLive: 0 })).toEqual({ view: 'live', auto: false });
    expect(initialView({ chosen: 'live', drill, openLive: 0 })).toEqual({ view: 'live', auto: false });
    expect(initialView({ chosen: 'exercise', drill: null, openLive: 3 })).toEqual({ view: 'exercise', auto: false });
  });

  it('reads a choice made before from a ?world= link, else from the switch remembered, else none', () => {
    expect(storedChoice()).toBeNull();
    stored['cad.world'] = 'live';
    expect(storedChoice()).toBe('live');
    g.location = { search: '?world=exercise' };
    expect(storedChoice()).toBe('exercise');
    g.location = { search: '?world=nonsense' };
    expect(storedChoice()).toBe('live');
    stored['cad.world'] = 'garbage';
    expect(storedChoice()).toBeNull();
  });

  it('shows the drill world’s units on the exercise board and the live fleet on the live one', () => {
    const unit = (id: string, status: string): Unit => ({ id, callsign: id, status }) as Unit;
    const live = new Map([['E28', unit('E28', 'available')], ['M12', unit('M12', 'available')]]);
    // No drill fleet read yet: the exercise board is empty, never the live fleet.
    expect([...countedUnits(live, 'exercise', drill).keys()]).toEqual([]);
    setDrillUnits(drill, [unit('E28', 'en_route')]);
    expect([...countedUnits(live, 'exercise', drill).values()].map((u) => [u.id, u.status])).toEqual([['E28', 'en_route']]);
    expect(countedUnits(live, 'live', drill)).toBe(live);
    // Another drill's fleet is not this one's.
    expect([...countedUnits(live, 'exercise', 'drill-2017-01-02-nearest-s1-none').keys()]).toEqual([]);
  });
});
