import { capabilitiesOf, priorityFromSf, stationNumberOf } from './index';

describe('SFFD unit ids, unit types and priority codes', () => {
  it('reads the home station from engine and truck ids only', () => {
    expect(stationNumberOf('E39')).toBe(39);
    expect(stationNumberOf('T01')).toBe(1);
    expect(stationNumberOf('AM30')).toBeNull();
    expect(stationNumberOf('86')).toBeNull();
    expect(stationNumberOf('RC2')).toBeNull();
  });

  it('maps every unit type in the data to capabilities and rejects unknown ones', () => {
    expect(capabilitiesOf('RESCUE SQUAD')).toEqual(['rescue']);
    expect(capabilitiesOf('medic')).toEqual(['ambulance', 'als']);
    expect(() => capabilitiesOf('HOVERCRAFT')).toThrow(RangeError);
  });

  it('maps SFFD priority codes: 3 and E are emergencies', () => {
    expect(priorityFromSf('3')).toBe(1);
    expect(priorityFromSf('E')).toBe(1);
    expect(priorityFromSf('2')).toBe(2);
    expect(priorityFromSf('1')).toBe(3);
  });
});
