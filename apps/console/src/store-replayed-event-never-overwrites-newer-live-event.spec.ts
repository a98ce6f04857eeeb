import { Store } from './store';
import type { Incident, Unit } from './types';
import { anEvent as ev, anIncident } from './testing/views';

const unit = (status: Unit['status']): Unit => ({ id: 'E38', callsign: 'E38', unitType: 'ENGINE', capabilities: ['engine'], status, lat: 37.8, lon: -122.43, stationId: null });
const incident = (status: Incident['status']): Incident =>
  anIncident({
  id: 'i1',
  callNumber: '1',
  type: 'Medical Incident',
  priority: 1,
  status,
  lat: 37.8,
  lon: -122.43,
  address: null,
  receivedAt: '2026-11-29T17:00:00Z',
  exercise: false,
  street: null,
  district: null,
  outsideBoundary: false,
  assignments: [],
});

describe('the console store applies each event once and never lets an older event overwrite a newer one', () => {
  const loaded = () => {
    const s = new Store();
    s.loadSnapshot({ state: { lastSeq: 10, clock: { running: false, simTime: null, speed: 1, drill: null } }, incidents: [], units: [unit('available')] });
    return s;
  };

  it('a replayed event arriving after a newer live one is applied for the seq but does not undo the newer status', () => {
    const s = loaded();
    expect(s.applyEvent(ev(13, 'unit.status', { unitId: 'E38', status: 'en_route' }, { unitId: 'E38' }))).toBe(true);
    // The replay of the subscription delivers 12 after the live 13.
    expect(s.applyEvent(ev(12, 'unit.status', { unitId: 'E38', status: 'dispatched' }, { unitId: 'E38' }))).toBe(true);
    expect(s.units.get('E38')!.status).toBe('en_route');
    expect(s.lastSeq).toBe(13);
  });

  it('an event already applied, or covered by the snapshot, is ignored', () => {
    const s = loaded();
    expect(s.applyEvent(ev(9, 'incident.created', incident('received')))).toBe(false);
    expect(s.incidents.size).toBe(0);
    expect(s.applyEvent(ev(11, 'incident.created', incident('received')))).toBe(true);
    expect(s.applyEvent(ev(11, 'incident.created', incident('received')))).toBe(false);
    expect(s.incidents.get('i1')!.status).toBe('received');
  });

  it('a resolved incident stays shown until it is closed', () => {
    const s = loaded();
    s.applyEvent(ev(11, 'incident.created', incident('received')));
    s.applyEvent(ev(12, 'incident.updated', incident('resolved')));
    expect(s.incidents.get('i1')!.status).toBe('resolved');
    s.applyEvent(ev(13, 'incident.updated', incident('closed')));
    expect(s.incidents.has('i1')).toBe(false);
  });

  it('an event type without an incident view asks for the incident to be reloaded', () => {
    const s = loaded();
    s.applyEvent(ev(11, 'incident.created', incident('received')));
    const notices: string[] = [];
    s.subscribe((n) => notices.push(...n.map((x) => x.kind)));
    s.applyEvent(ev(12, 'incident.escalated', { incidentId: 'i1', fromTier: 'street', toTier: 'district' }));
    expect(notices).toEqual(['event', 'stale-incident']);
  });
});
