import { unitsShown } from './panel/incidents';
import type { Incident, Unit } from './types';
import { anAssignment, anIncident } from './testing/views';

const unit = (id: string, homeStreetId: string | null): Unit => ({ id, callsign: id, unitType: 'ENGINE', capabilities: ['engine'], status: 'available', lat: 37.8, lon: -122.43, stationId: null, homeStreetId });
const incident = (id: string, unitIds: string[], cleared: string[] = []): Incident =>
  anIncident({
  id,
  callNumber: id,
  type: 'Structure Fire',
  priority: 1,
  status: 'dispatched',
  lat: 37.8,
  lon: -122.43,
  address: null,
  receivedAt: '2026-11-29T17:00:00Z',
  exercise: false,
  street: { id: 'sf-d3-chinatown', name: 'Chinatown' },
  district: { id: 'sf-d3', name: 'District 3' },
  outsideBoundary: false,
  assignments: [...unitIds.map((u) => anAssignment({ id: `a-${u}`, unitId: u, callsign: u, status: 'en_route' })), ...cleared.map((u) => anAssignment({ id: `c-${u}`, unitId: u, callsign: u, status: 'cleared' }))],
});

describe('the map under a jurisdiction filter', () => {
  const parentOf = (id: string) => (id.startsWith('sf-d3-') ? 'sf-d3' : id.startsWith('sf-d5-') ? 'sf-d5' : null);
  const units = new Map([
    ['E01', unit('E01', 'sf-d3-chinatown')],
    ['E02', unit('E02', 'sf-d3-north-beach')],
    ['E03', unit('E03', 'sf-d5-haight')],
    ['E04', unit('E04', 'sf-d5-haight')],
    ['E05', unit('E05', null)],
  ]);
  const shown = new Map([['i1', incident('i1', ['E03'], ['E04'])]]);

  it('shows every unit without a jurisdiction filter', () => {
    expect([...unitsShown(units, shown, { tier: '', jurisdictionId: '' }, parentOf).keys()]).toEqual(['E01', 'E02', 'E03', 'E04', 'E05']);
  });

  it('shows a district its streets\u2019 units and a unit lent to one of its incidents, not a unit that already cleared', () => {
    expect([...unitsShown(units, shown, { tier: '', jurisdictionId: 'sf-d3' }, parentOf).keys()]).toEqual(['E01', 'E02', 'E03']);
  });

  it('shows a street only its own units and the units on its incidents', () => {
    expect([...unitsShown(units, new Map(), { tier: '', jurisdictionId: 'sf-d3-chinatown' }, parentOf).keys()]).toEqual(['E01']);
  });
});
