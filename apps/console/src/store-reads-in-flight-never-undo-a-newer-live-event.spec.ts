import type { MapContext } from './map/base';
import { ConsoleState } from './state/console-state';
import { SnapshotSync } from './state/snapshot';
import type { StoreNotice } from './store';
import { anAssignment, anEvent, anIncident } from './testing/views';
import { held, takeRequest, settle } from './testing/requests-in-flight';
import type { Incident, Unit } from './types';

jest.mock('./api', () => {
  const h = jest.requireActual('./testing/requests-in-flight');
  return {
    request: (m: string, p: string, b?: unknown) => h.holdRequest(m, p, b),
    fetchSnapshot: () => h.holdRequest('GET', '/api/snapshot'),
    fetchIncident: (id: string) => h.holdRequest('GET', `/api/incidents/${id}`),
    fetchUnits: () => h.holdRequest('GET', '/api/units'),
  };
});
jest.mock('./dom', () => ({ showStatus: () => undefined }));
jest.mock('./panel/header', () => ({ tickClock: () => undefined }));

/**
 * The console's store is fed by live events and, apart from them, by REST reads: an incident re-read
 * when an event changed it beyond its payload, the unit list re-read when an unknown unit appears, and
 * the snapshot. A read can be answered from before an event committed while the event reaches the
 * socket first: the read must never undo the event (a closed incident back in the queue, a task on
 * scene shown dispatched, a dispatched unit shown available), and the selected card must still hear of
 * events the snapshot already holds.
 */
describe('a REST read in flight never undoes a newer live event in the console store', () => {
  beforeAll(() => Object.assign(globalThis, { window: globalThis }));
  beforeEach(() => {
    held.length = 0;
    jest.useRealTimers();
  });

  const unit = (status: Unit['status']): Unit => ({ id: 'E01', callsign: 'E01', unitType: 'ENGINE', capabilities: ['engine'], status, lat: 37.8, lon: -122.43, stationId: null });
  const snapshot = (lastSeq: number, incidents: Incident[], units: Unit[] = []) => ({
    incidents,
    units,
    state: { lastSeq, timeZone: 'America/Los_Angeles', clock: { running: true, simTime: null, speed: 1, drill: null } },
  });
  const dispatched = () => anIncident({ status: 'dispatched', assignments: [anAssignment()] });

  async function loaded(incidents: Incident[], units: Unit[] = []): Promise<{ state: ConsoleState; sync: SnapshotSync }> {
    const state = new ConsoleState({} as MapContext);
    const sync = new SnapshotSync(state);
    const first = sync.reload();
    takeRequest('/api/snapshot').resolve(snapshot(100, incidents, units));
    await first;
    return { state, sync };
  }

  /** Marks i1 stale and lets its re-read start (150 ms debounce). */
  function rereadStarted(sync: SnapshotSync) {
    jest.useFakeTimers();
    sync.markStale('i1');
    jest.advanceTimersByTime(200);
    const read = takeRequest('/api/incidents/i1');
    jest.useRealTimers();
    return read;
  }

  it('an incident closed while its re-read is in flight stays closed, and is read again', async () => {
    const { state, sync } = await loaded([dispatched()]);
    const read = rereadStarted(sync);
    sync.accept(anEvent(105, 'incident.updated', anIncident({ status: 'closed' })));
    expect(state.store.incidents.has('i1')).toBe(false);
    read.resolve(dispatched()); // answered from before the close committed
    await settle();
    expect(state.store.incidents.has('i1')).toBe(false);
    // Read again, 150 ms later: that answer (after the close) is adopted.
    await new Promise((r) => setTimeout(r, 200));
    takeRequest('/api/incidents/i1').resolve(anIncident({ status: 'closed' }));
    await settle();
    expect(state.store.incidents.has('i1')).toBe(false);
  });

  it("a task on scene while its incident's re-read is in flight stays on scene", async () => {
    const { state, sync } = await loaded([dispatched()]);
    const read = rereadStarted(sync);
    sync.accept(anEvent(106, 'assignment.updated', { incidentId: 'i1', assignment: anAssignment({ status: 'on_scene' }) }));
    read.resolve(dispatched());
    await settle();
    expect(state.store.incidents.get('i1')!.assignments[0].status).toBe('on_scene');
  });

  it('a re-read with no event meanwhile is adopted', async () => {
    const { state, sync } = await loaded([dispatched()]);
    const read = rereadStarted(sync);
    read.resolve(anIncident({ status: 'dispatched', address: '1 Main St', assignments: [anAssignment()] }));
    await settle();
    expect(state.store.incidents.get('i1')!.address).toBe('1 Main St');
  });

  it('a unit dispatched while the unit list is being read stays dispatched; a unit new in the list is added', async () => {
    const { state, sync } = await loaded([], [unit('available')]);
    jest.useFakeTimers();
    sync.reloadUnitsSoon();
    jest.advanceTimersByTime(600);
    jest.useRealTimers();
    const read = takeRequest('/api/units');
    sync.accept(anEvent(107, 'unit.status', { unitId: 'E01', status: 'dispatched' }, { unitId: 'E01' }));
    read.resolve([unit('available'), { ...unit('available'), id: 'T13', callsign: 'T13' }]);
    await settle();
    expect(state.store.units.get('E01')!.status).toBe('dispatched');
    expect(state.store.units.get('T13')!.status).toBe('available');
  });

  it('an event queued during a snapshot reload that the snapshot already holds still reaches the selected card', async () => {
    const { state, sync } = await loaded([dispatched()]);
    const seen: number[] = [];
    state.store.subscribe((ns: StoreNotice[]) => ns.forEach((n) => n.kind === 'event' && seen.push(n.event.seq)));
    let reloaded = 0;
    sync.onReloaded(() => reloaded++);
    const again = sync.reload();
    sync.accept(anEvent(101, 'incident.narrative', { id: '9', incidentId: 'i1', text: 'caller has a weapon' }));
    takeRequest('/api/snapshot').resolve(snapshot(101, [dispatched()])); // read after the entry committed
    await again;
    expect(seen).toEqual([101]);
    // ...once, however often it is delivered; and the card is read again after the reload.
    sync.accept(anEvent(101, 'incident.narrative', { id: '9', incidentId: 'i1', text: 'caller has a weapon' }));
    expect(seen).toEqual([101]);
    expect(reloaded).toBe(1);
  });
});
