import {
  assessCoverage,
  callFamily,
  childTier,
  nearbyCellKeys,
  parentTier,
  sameEmergencyKind,
} from './command-chain';
import { METRES_PER_DEGREE_LAT, metresPerDegreeLon } from './degrees';
import { InvalidTransition, nextAssignmentStatus, nextIncidentStatus, nextUnitStatus, unitStatusFor } from './status';

/** Equirectangular distance in metres: exact enough at 150 m for this property. */
const metres = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) =>
  Math.hypot((b.lat - a.lat) * METRES_PER_DEGREE_LAT, (b.lon - a.lon) * metresPerDegreeLon(a.lat));

describe('command chain policy', () => {
  it('walks the tiers street -> district -> city and back', () => {
    expect(parentTier('street')).toBe('district');
    expect(parentTier('district')).toBe('city');
    expect(parentTier('city')).toBeNull();
    expect(childTier('city')).toBe('district');
    expect(childTier('street')).toBeNull();
  });

  it('judges coverage against the NFPA 1710 travel targets (240 s first engine, 480 s full first alarm)', () => {
    expect(assessCoverage({ slots: [{ capability: 'engine', etaSeconds: 200 }, { capability: 'ambulance', etaSeconds: 470 }] }).covered).toBe(true);
    const slowEngine = assessCoverage({ slots: [{ capability: 'engine', etaSeconds: 241 }, { capability: 'engine', etaSeconds: 300 }] });
    expect(slowEngine).toEqual({ covered: false, detail: 'first engine 241 s > 240 s target (NFPA 1710)' });
    expect(assessCoverage({ slots: [{ capability: 'engine', etaSeconds: 100 }, { capability: 'truck', etaSeconds: 481 }] }).detail).toBe(
      'full first alarm 481 s > 480 s target (NFPA 1710)',
    );
    expect(assessCoverage({ slots: [{ capability: 'engine', etaSeconds: 100 }, { capability: 'ambulance', etaSeconds: null }] }).detail).toBe(
      'no unit for ambulance in this tier',
    );
    // A plan without an engine is judged on the full-alarm target only.
    expect(assessCoverage({ slots: [{ capability: 'ambulance', etaSeconds: 300 }] }).covered).toBe(true);
  });

  it('groups the SFFD call types into families for duplicate linking', () => {
    expect(callFamily('Structure Fire')).toBe('fire');
    expect(callFamily('Vehicle Fire')).toBe('fire');
    expect(callFamily('Alarms')).toBe('alarm');
    expect(callFamily('Medical Incident')).toBe('medical');
    expect(callFamily('Traffic Collision')).toBe('traffic');
    expect(callFamily('Gas Leak (Natural and LP Gases)')).toBe('hazmat');
    expect(callFamily('Elevator / Escalator Rescue')).toBe('rescue');
    expect(sameEmergencyKind('Structure Fire', 'Outside Fire')).toBe(true);
    expect(sameEmergencyKind('Structure Fire', 'Medical Incident')).toBe(false);
    expect(sameEmergencyKind('Other', 'Other')).toBe(true);
    expect(sameEmergencyKind('Other', 'Something Else')).toBe(false);
  });

  it('gives any two points within the radius a shared lock cell (so nearby calls are serialised)', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 5000; k++) {
      const a = { lat: 37.70 + rnd() * 0.12, lon: -122.52 + rnd() * 0.17 };
      const b = { lat: a.lat + (rnd() - 0.5) * 0.0027, lon: a.lon + (rnd() - 0.5) * 0.0034 };
      if (metres(a, b) > 149) continue;
      const ka = nearbyCellKeys(a.lat, a.lon, 150);
      const kb = nearbyCellKeys(b.lat, b.lon, 150);
      expect(ka.some((x) => kb.includes(x))).toBe(true);
      expect(ka.length).toBeLessThanOrEqual(4);
      expect([...ka].sort((x, y) => x - y)).toEqual(ka);
    }
  });
});

describe('state machines', () => {
  it('lets a task go dispatched -> acknowledged -> en route -> on scene -> transporting -> at hospital -> cleared', () => {
    const path = ['dispatched', 'acknowledged', 'en_route', 'on_scene', 'transporting', 'at_hospital', 'cleared'] as const;
    for (let i = 1; i < path.length; i++) expect(nextAssignmentStatus(path[i - 1], path[i])).toBe(path[i]);
    expect(() => nextAssignmentStatus('cleared', 'en_route')).toThrow('assignment cannot go from cleared to en_route');
    expect(() => nextAssignmentStatus('on_scene', 'acknowledged')).toThrow(InvalidTransition);
    expect(unitStatusFor('acknowledged')).toBe('dispatched');
    expect(unitStatusFor('cleared')).toBe('available');
  });

  it('lets a dispatcher close, cancel and reopen incidents only from the right states', () => {
    expect(nextIncidentStatus('resolved', 'closed')).toBe('closed');
    expect(nextIncidentStatus('closed', 'received')).toBe('received');
    expect(nextIncidentStatus('dispatched', 'cancelled')).toBe('cancelled');
    expect(() => nextIncidentStatus('on_scene', 'cancelled')).toThrow('incident cannot go from on_scene to cancelled');
    // A cancel made by mistake can be undone (reopened); a merged incident stays merged.
    expect(nextIncidentStatus('cancelled', 'received')).toBe('received');
    expect(() => nextIncidentStatus('merged', 'received')).toThrow(InvalidTransition);
    expect(() => nextIncidentStatus('merged', 'closed')).toThrow(InvalidTransition);
  });

  it('takes units out of service only from available or returning', () => {
    expect(nextUnitStatus('available', 'out_of_service')).toBe('out_of_service');
    expect(nextUnitStatus('out_of_service', 'available')).toBe('available');
    expect(() => nextUnitStatus('on_scene', 'out_of_service')).toThrow('unit cannot go from on_scene to out_of_service');
  });
});
