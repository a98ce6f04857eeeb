import { allocateIncidents } from './allocate-incidents';

describe('a P1 arriving after a P3 took the nearest unit', () => {
  // E1 was dispatched to the P3 alarm; it is 90 s from the new P1 structure fire. E2 is free but 420 s away.
  const units = [
    { id: 'E1', capabilities: ['engine'], assignedTo: { incidentId: 'alarm-p3', priority: 3 } },
    { id: 'E2', capabilities: ['engine'] },
  ];
  const eta: Record<string, number> = { E1: 90, E2: 420 };

  it('never takes the dispatched unit, fills the P1 with the free one and recommends the re-assignment', () => {
    const res = allocateIncidents([{ id: 'fire-p1', priority: 1, slots: ['engine'] }], units, (_i, u) => eta[u]);
    expect(res.incidents[0].assigned).toEqual([expect.objectContaining({ unitId: 'E2', etaSeconds: 420 })]);
    expect(res.reassignments).toEqual([
      expect.objectContaining({
        unitId: 'E1',
        fromIncidentId: 'alarm-p3',
        fromPriority: 3,
        toIncidentId: 'fire-p1',
        toPriority: 1,
        etaSeconds: 90,
        replacesEtaSeconds: 420,
        gainSeconds: 330,
        applied: false,
      }),
    ]);
  });

  it('recommends it also when no free engine is left, and offers nothing for a lower-priority incident', () => {
    const res = allocateIncidents(
      [
        { id: 'fire-p1', priority: 1, slots: ['engine'] },
        { id: 'odor-p3', priority: 3, slots: ['engine'] },
      ],
      [units[0]],
      () => 90,
    );
    expect(res.incidents[0].unfilled[0].code).toBe('no-capable-unit-in-scope');
    expect(res.reassignments).toHaveLength(1);
    expect(res.reassignments[0]).toEqual(expect.objectContaining({ toIncidentId: 'fire-p1', replacesEtaSeconds: Infinity, applied: false }));
  });

  it('does not recommend a re-assignment that saves little time', () => {
    const res = allocateIncidents([{ id: 'fire-p1', priority: 1, slots: ['engine'] }], units, (_i, u) => (u === 'E1' ? 90 : 150));
    expect(res.reassignments).toEqual([]);
  });
});
