import { allocateIncidents } from './allocate-incidents';

describe('a capability no unit has', () => {
  const units = [
    { id: 'E1', capabilities: ['engine'] },
    { id: 'T1', capabilities: ['truck'] },
  ];

  it('fills what it can and leaves the hazmat slot unfilled with its reason', () => {
    const res = allocateIncidents([{ id: 'spill', priority: 1, slots: ['engine', 'hazmat'] }], units, () => 100);
    expect(res.incidents[0].assigned.map((a) => a.unitId)).toEqual(['E1']);
    expect(res.incidents[0].unfilled).toEqual([
      { slot: 1, capability: 'hazmat', code: 'no-unit-with-capability', tier: 'city', text: 'no unit has capability hazmat' },
    ]);
  });

  it('tells an unreachable unit from a missing one', () => {
    const res = allocateIncidents([{ id: 'island', priority: 2, slots: ['truck'] }], units, (_i, u) => (u === 'T1' ? Infinity : 50));
    expect(res.incidents[0].unfilled[0].code).toBe('none-reachable');
  });

  it('rejects duplicate ids and matrices missing an id', () => {
    expect(() => allocateIncidents([], [units[0], units[0]], () => 1)).toThrow(/duplicate unit id "E1"/);
    expect(() =>
      allocateIncidents([{ id: 'x', priority: 1, slots: ['engine'] }], units, { incidentIds: ['x'], unitIds: ['E1'], seconds: [1] }),
    ).toThrow(/no column for unit "T1"/);
  });
});
