import { sortIncidents } from './panel/incidents';
import { Store } from './store';
import { anEvent, anIncident } from './testing/views';
import type { CadEvent, Incident, Unit } from './types';
import { countedInView, countedUnits, listedInView, moveDrillUnits, noteDrillUnitEvent, setDrillUnits } from './world';

const unit = (): Unit => ({ id: 'E10', callsign: 'E10', unitType: 'ENGINE', capabilities: ['engine'], status: 'available', lat: 37.8, lon: -122.43, stationId: null });
const ev = (seq: number, world: string | undefined, status: Unit['status'], lat: number): CadEvent =>
  anEvent(seq, 'unit.status', { unitId: 'E10', status, lat, lon: -122.43 }, { at: '2026-12-04T02:00:00Z', incidentId: null, unitId: 'E10', ...(world ? { world } : {}) });
const incident = (id: string, priority: 1 | 2 | 3, exercise: boolean, receivedAt: string): Incident =>
  anIncident({
  id,
  callNumber: id,
  type: 'Medical Incident',
  priority,
  status: 'dispatched',
  lat: 37.8,
  lon: -122.43,
  address: null,
  receivedAt,
  exercise,
  street: null,
  district: null,
  outsideBoundary: false,
  assignments: [],
});

describe('the console keeps the worlds apart', () => {
  it("a drill's E10 dispatched and moved does not touch the live E10; a live event (or one naming no world) does", () => {
    const store = new Store();
    store.loadUnits([unit()]);
    store.applyEvent(ev(1, 'drill-2017-01-01-nearest-s1-abc', 'on_scene', 37.81));
    expect(store.units.get('E10')).toMatchObject({ status: 'available', lat: 37.8 });
    store.applyEvent(ev(2, 'live', 'dispatched', 37.82));
    expect(store.units.get('E10')).toMatchObject({ status: 'dispatched', lat: 37.82 });
    // An older server's event carries no world: it is live.
    store.applyEvent(ev(3, undefined, 'en_route', 37.83));
    expect(store.units.get('E10')).toMatchObject({ status: 'en_route', lat: 37.83 });
    // A drill event replayed late still leaves it alone.
    store.applyEvent(ev(4, 'drill-2017-01-01-nearest-s1-abc', 'available', 37.7));
    expect(store.units.get('E10')).toMatchObject({ status: 'en_route', lat: 37.83 });
  });

  it('lists a live P3 received last above an exercise P1 received first; the switch lists and counts one world', () => {
    const ex1 = incident('x1', 1, true, '2017-01-01T08:00:00Z');
    const ex2 = incident('x2', 1, true, '2017-01-01T08:01:00Z');
    const live3 = incident('l3', 3, false, '2026-12-04T02:00:00Z');
    const live1 = incident('l1', 1, false, '2026-12-04T02:01:00Z');
    expect(sortIncidents([ex1, live3, ex2, live1]).map((i) => i.id)).toEqual(['l1', 'l3', 'x1', 'x2']);
    expect([ex1, live1].filter((i) => listedInView(i, 'live')).map((i) => i.id)).toEqual(['l1']);
    expect([ex1, live1].filter((i) => listedInView(i, 'exercise')).map((i) => i.id)).toEqual(['x1', 'l1']);
    expect([ex1, live1].filter((i) => countedInView(i, 'exercise')).map((i) => i.id)).toEqual(['x1']);
    expect([ex1, live1].filter((i) => countedInView(i, 'live')).map((i) => i.id)).toEqual(['l1']);
  });

  it("the exercise view's fleet follows its own drill's crews (steps and AVL), never a live event or another drill's", () => {
    const drill = 'drill-2017-01-01-nearest-s1-abc';
    const live = new Map([['E10', unit()]]);
    setDrillUnits(drill, [unit()]);
    expect(noteDrillUnitEvent(ev(5, drill, 'on_scene', 37.81))).toBe(true);
    expect(noteDrillUnitEvent(ev(6, 'drill-other', 'available', 37.7))).toBe(false);
    expect(noteDrillUnitEvent(ev(7, 'live', 'dispatched', 37.7))).toBe(false);
    expect(moveDrillUnits(drill, [{ unitId: 'E10', lat: 37.805, lon: -122.42 }]).map((u) => u.id)).toEqual(['E10']);
    expect(moveDrillUnits('drill-other', [{ unitId: 'E10', lat: 1, lon: 1 }])).toEqual([]);
    expect(countedUnits(live, 'exercise', drill).get('E10')).toMatchObject({ status: 'on_scene', lat: 37.805, lon: -122.42 });
    expect(live.get('E10')).toMatchObject({ status: 'available', lat: 37.8 });
    expect(countedUnits(live, 'live', drill)).toBe(live);
  });
});
