import { recommendsUnitOf } from './panel/detail';
import { anAssignment, anEvent } from './testing/views';
import type { Recommendations } from './types';

/**
 * The hostile tester's case: the card recommended E16 for an open slot; another incident took E16 by
 * hand; the card kept offering E16 (it refreshed only on the selected incident's own events), and A sent
 * E51, which the server recommended by then, with no warning. The card now refreshes when a unit it
 * recommends changes status or is given a task elsewhere (and only then), and A sends the units shown
 * (the server refuses a unit no longer recommended, naming the one it recommends now).
 */
describe('the card’s recommendation and the units it names', () => {
  const shown: Recommendations = {
    slots: [
      { capability: 'engine', unitId: 'E16', etaSeconds: 190, reason: 'nearest engine' },
      { capability: 'als', unitId: null, etaSeconds: null, reason: 'no ALS unit available' },
    ],
  };
  const state = { recommendations: shown };

  it('is refreshed when a unit it recommends is taken by another incident or changes status', () => {
    expect(recommendsUnitOf(state, anEvent(1, 'assignment.created', { incidentId: 'other', assignment: anAssignment({ unitId: 'E16', incidentId: 'other' }) }, { incidentId: 'other' }))).toBe(true);
    expect(recommendsUnitOf(state, anEvent(2, 'unit.status', { unitId: 'E16', status: 'out_of_service', lat: 37.8, lon: -122.4 }, { incidentId: null }))).toBe(true);
    expect(recommendsUnitOf(state, anEvent(3, 'assignment.updated', { incidentId: 'other', assignment: anAssignment({ unitId: 'E16', status: 'cleared' }) }, { incidentId: 'other' }))).toBe(true);
  });

  it('is not refreshed for other units, other event types, or a card recommending none', () => {
    expect(recommendsUnitOf(state, anEvent(4, 'assignment.created', { incidentId: 'other', assignment: anAssignment({ unitId: 'E51' }) }, { incidentId: 'other' }))).toBe(false);
    expect(recommendsUnitOf(state, anEvent(5, 'unit.status', { unitId: 'E51', status: 'available', lat: 37.8, lon: -122.4 }, { incidentId: null }))).toBe(false);
    expect(recommendsUnitOf(state, anEvent(6, 'incident.updated', { id: 'other' }, { incidentId: 'other' }))).toBe(false);
    for (const none of [undefined, null, { slots: [{ capability: 'engine', unitId: null, etaSeconds: null, reason: 'none' }] }]) {
      expect(recommendsUnitOf({ recommendations: none }, anEvent(7, 'unit.status', { unitId: 'E16', status: 'available', lat: 37.8, lon: -122.4 }, { incidentId: null }))).toBe(false);
    }
  });
});
