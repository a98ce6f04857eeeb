import { fixAgeText, locationHtml, noteFix } from './positions';
import type { Incident, Unit } from './types';
import { anIncident } from './testing/views';

const unit = (fixAt: string | null | undefined): Unit => ({ id: 'E02', callsign: 'E02', unitType: 'ENGINE', capabilities: ['engine'], status: 'available', lat: 37.8, lon: -122.41, stationId: null, fixAt });
const incident = (over: Partial<Incident> = {}): Incident =>
  anIncident({
  id: 'i1',
  callNumber: 'C-1',
  type: 'Medical Incident',
  priority: 1,
  status: 'dispatched',
  lat: 37.8,
  lon: -122.41,
  address: '1250 Columbus Ave',
  receivedAt: '2026-12-04T03:00:00Z',
  exercise: false,
  street: null,
  district: null,
  outsideBoundary: false,
  assignments: [],
  ...over,
});

describe('the console shows each unit\'s fix age and an unconfirmed location', () => {
  const now = Date.parse('2026-12-04T03:20:00Z');

  it('says how old a fix is, STALE past 120 s, and nothing for a unit that never sent one', () => {
    expect(fixAgeText(unit('2026-12-04T03:19:25Z'), now)).toBe('fix 35 s old');
    expect(fixAgeText(unit('2026-12-04T03:00:00Z'), now)).toBe('STALE fix 20 min old');
    expect(fixAgeText(unit(null), now)).toBe('');
    expect(fixAgeText(unit(undefined), now)).toBe('');
  });

  it('a live position refreshes the fix time, an older one replayed late does not', () => {
    const u = unit('2026-12-04T03:00:00Z');
    noteFix(u, '2026-12-04T03:19:59Z');
    expect(u.fixAt).toBe('2026-12-04T03:19:59Z');
    noteFix(u, '2026-12-04T03:10:00Z');
    expect(u.fixAt).toBe('2026-12-04T03:19:59Z');
  });

  it('warns LOCATION UNCONFIRMED with the device point and its accuracy, and offers the actions only to a post that may act', () => {
    const flagged = incident({ locationUnconfirmed: true, devicePoint: { lat: 37.79955, lon: -122.41012, accuracyM: 20 } });
    const html = locationHtml(flagged, true);
    expect(html).toContain('LOCATION UNCONFIRMED');
    expect(html).toContain('37.79955, -122.41012 (±20 m)');
    expect(html).toContain('data-cmd="location-confirm"');
    expect(html).toContain('data-cmd="location-to-device"');
    expect(html).toContain('data-cmd="location-change"');
    const readOnly = locationHtml(flagged, false);
    expect(readOnly).toContain('LOCATION UNCONFIRMED');
    expect(readOnly).not.toContain('data-cmd');
    expect(locationHtml(incident(), false)).toBe('');
  });
});
