import { fillPlanNearest } from './allocate';

describe('filling a response plan with the nearest capable units', () => {
  const units = [
    { unitId: 'E1', capabilities: ['engine'], etaSeconds: 300 },
    { unitId: 'E2', capabilities: ['engine'], etaSeconds: 120 },
    { unitId: 'M1', capabilities: ['ambulance', 'als'], etaSeconds: 200 },
    { unitId: 'E3', capabilities: ['engine'], etaSeconds: Infinity },
  ];

  it('takes the lowest ETA per slot, never the same unit twice, and names the runner-up', () => {
    const fill = fillPlanNearest(['engine', 'engine', 'ambulance'], units);
    expect(fill.chosen.map((c) => [c.capability, c.unitId])).toEqual([
      ['engine', 'E2'],
      ['engine', 'E1'],
      ['ambulance', 'M1'],
    ]);
    expect(fill.chosen[0].runnerUp).toEqual({ unitId: 'E1', etaSeconds: 300 });
    expect(fill.chosen[0].reason).toContain('120 s');
    expect(fill.unfilled).toEqual([]);
  });

  it('never sends an unreachable unit and reports the slot unfilled', () => {
    const fill = fillPlanNearest(['engine', 'engine', 'engine', 'truck'], units);
    expect(fill.chosen.map((c) => c.unitId)).toEqual(['E2', 'E1']);
    expect(fill.unfilled).toEqual(['engine', 'truck']);
  });
});
