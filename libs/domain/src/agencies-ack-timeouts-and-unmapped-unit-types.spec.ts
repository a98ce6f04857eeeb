import { ackTimeoutFor, DEFAULT_AGENCY_RULES, isAgency, resolveUnitType } from './agencies';
import { capabilitiesOf } from './units';

describe('agencies have their own acknowledgement timeouts; an unmapped unit type is never an engine', () => {
  it('takes the profile\u2019s timeout for an agency, else fire/EMS fall back to ACK_TIMEOUT_S and the others to their defaults', () => {
    const rules = { police: { agency: 'police' as const, ackTimeoutS: 90, firstUnitTravelS: 480, dispatchMode: 'request' as const } };
    expect(ackTimeoutFor(rules, 'police', 45)).toBe(90);
    expect(ackTimeoutFor(rules, 'fire', 45)).toBe(45);
    expect(ackTimeoutFor(rules, 'ems', 45)).toBe(45);
    expect(ackTimeoutFor(rules, 'water_utility', 45)).toBe(DEFAULT_AGENCY_RULES.water_utility.ackTimeoutS);
    expect(ackTimeoutFor({ fire: { agency: 'fire', ackTimeoutS: 30, firstUnitTravelS: 240, dispatchMode: 'direct' } }, 'fire', 45)).toBe(30);
  });

  it('a unit with no agency, or one the code does not know, counts as fire: it never waits longer than the fire timeout by accident', () => {
    expect(ackTimeoutFor({}, null, 60)).toBe(60);
    expect(ackTimeoutFor({}, 'coast_guard', 60)).toBe(60);
    expect(isAgency('coast_guard')).toBe(false);
    expect(isAgency('gas_utility')).toBe(true);
  });

  it('resolves a type through the city\u2019s mapping, then the built-in SFFD types; an unmapped one is not dispatchable and has no capability', () => {
    expect(resolveUnitType('pumper ', { PUMPER: ['engine'] })).toEqual({ capabilities: ['engine'], dispatchable: true });
    expect(resolveUnitType('MEDIC')).toEqual({ capabilities: ['ambulance', 'als'], dispatchable: true });
    expect(resolveUnitType('AIRPORT')).toEqual({ capabilities: [], dispatchable: false });
    expect(resolveUnitType('INVESTIGATION', { PUMPER: ['engine'] })).toEqual({ capabilities: [], dispatchable: false });
    // A city may say a type is never dispatched: an empty list.
    expect(resolveUnitType('MUSEUM ENGINE', { 'MUSEUM ENGINE': [] })).toEqual({ capabilities: [], dispatchable: false });
    // A city mapping wins over the built-in list.
    expect(resolveUnitType('SUPPORT', { SUPPORT: ['water_crew'] })).toEqual({ capabilities: ['water_crew'], dispatchable: true });
    // The strict lookup the domain keeps still throws for the same type.
    expect(() => capabilitiesOf('AIRPORT')).toThrow(/unknown unit type "AIRPORT"/);
  });
});
