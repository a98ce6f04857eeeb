import { allocateIncidents } from './allocate-incidents';

describe('two incidents and one ambulance', () => {
  const units = [{ id: 'M12', capabilities: ['ambulance', 'als'] }];
  // The ambulance is closer to the P3 call (60 s) than to the P1 cardiac arrest (300 s).
  const eta: Record<string, number> = { 'fall-p3': 60, 'arrest-p1': 300 };

  it('gives the only ambulance to the higher-priority incident, even when the other is nearer', () => {
    const res = allocateIncidents(
      [
        { id: 'fall-p3', priority: 3, slots: ['ambulance'] },
        { id: 'arrest-p1', priority: 1, slots: ['ambulance'] },
      ],
      units,
      (incidentId) => eta[incidentId],
    );
    const p1 = res.incidents.find((i) => i.incidentId === 'arrest-p1')!;
    const p3 = res.incidents.find((i) => i.incidentId === 'fall-p3')!;
    expect(p1.assigned).toEqual([
      expect.objectContaining({ unitId: 'M12', capability: 'ambulance', etaSeconds: 300, tier: 'city', runnerUp: null }),
    ]);
    expect(p1.assigned[0].reason).toEqual(expect.objectContaining({ capability: 'ambulance', etaSeconds: 300, tier: 'city' }));
    expect(p3.assigned).toEqual([]);
    expect(p3.unfilled).toEqual([expect.objectContaining({ capability: 'ambulance', code: 'taken-by-higher-or-equal-priority' })]);
    expect(res.reassignments).toEqual([]);
  });

  it('keeps results in input order and fills the lower priority when a second ambulance exists', () => {
    const res = allocateIncidents(
      [
        { id: 'fall-p3', priority: 3, slots: ['ambulance'] },
        { id: 'arrest-p1', priority: 1, slots: ['ambulance'] },
      ],
      [...units, { id: 'KM80', capabilities: ['ambulance'] }],
      { incidentIds: ['fall-p3', 'arrest-p1'], unitIds: ['M12', 'KM80'], seconds: [60, 500, 300, 400] },
    );
    expect(res.incidents.map((i) => i.incidentId)).toEqual(['fall-p3', 'arrest-p1']);
    expect(res.incidents[1].assigned[0]).toEqual(
      expect.objectContaining({ unitId: 'M12', etaSeconds: 300, runnerUp: { unitId: 'KM80', etaSeconds: 400, takenBy: 'fall-p3' } }),
    );
    expect(res.incidents[0].assigned[0]).toEqual(expect.objectContaining({ unitId: 'KM80', etaSeconds: 500 }));
  });
});
