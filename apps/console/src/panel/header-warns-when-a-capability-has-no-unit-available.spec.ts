import type { Unit, UnitStatus } from '../types';
import { capabilitiesWithNoneAvailable, noneAvailableText } from './header';

const unit = (id: string, capabilities: string[], status: UnitStatus): Unit => ({ id, callsign: id, unitType: 'X', capabilities, status, lat: 37.8, lon: -122.43, stationId: null });

describe('the header unit counter', () => {
  it('names no capability while each has a unit available', () => {
    const units = [unit('E01', ['engine'], 'available'), unit('E02', ['engine'], 'out_of_service'), unit('T01', ['truck'], 'available')];
    expect(capabilitiesWithNoneAvailable(units)).toEqual([]);
    expect(noneAvailableText([])).toBe('');
  });

  it('names each capability whose units are all busy or out of service', () => {
    const units = [
      unit('E01', ['engine'], 'en_route'),
      unit('E02', ['engine'], 'out_of_service'),
      unit('T01', ['truck'], 'on_scene'),
      unit('M01', ['ambulance', 'als'], 'available'),
      unit('RC1', ['rescue_captain'], 'dispatched'),
    ];
    expect(capabilitiesWithNoneAvailable(units)).toEqual(['engine', 'rescue_captain', 'truck']);
    expect(noneAvailableText(['truck'])).toBe('No truck available');
    expect(noneAvailableText(['engine', 'truck'])).toBe('No engine or truck available');
    expect(noneAvailableText(['engine', 'rescue_captain', 'truck'])).toBe('No engine, rescue captain, or truck available');
  });
});
