import { allocateIncidents, TierScope } from './allocate-incidents';

describe('a street with no units borrowing through its district', () => {
  // Street S1 has no medic; its district D1 also holds street S2 with M5. M9 is in another district.
  const street: TierScope = { tier: 'street', allows: new Set(['E1']) };
  const district: TierScope = { tier: 'district', allows: new Set(['E1', 'E2', 'M5']) };
  const city: TierScope = { tier: 'city', allows: () => true };
  const units = [
    { id: 'E1', capabilities: ['engine'] },
    { id: 'E2', capabilities: ['engine'] },
    { id: 'M5', capabilities: ['ambulance', 'als'] },
    { id: 'M9', capabilities: ['ambulance', 'als'] },
  ];
  const eta: Record<string, number> = { E1: 200, E2: 100, M5: 350, M9: 120 };

  it('fills the engine in its street, widens to the district for the ambulance, and says so', () => {
    const res = allocateIncidents([{ id: 'med', priority: 1, slots: ['engine', 'ambulance'], scopes: [street, district, city] }], units, (_i, u) => eta[u]);
    const [engine, ambulance] = res.incidents[0].assigned;
    // E2 is nearer but outside the street: the street's own engine is used first.
    expect(engine).toEqual(expect.objectContaining({ slot: 0, unitId: 'E1', tier: 'street' }));
    expect(engine.reason.widenedFrom).toBeUndefined();
    // M9 is nearer still, but the district (the next tier) has M5, so the city is not asked.
    expect(ambulance).toEqual(expect.objectContaining({ slot: 1, unitId: 'M5', tier: 'district', etaSeconds: 350 }));
    expect(ambulance.reason).toEqual(expect.objectContaining({ tier: 'district', widenedFrom: 'street' }));
    expect(ambulance.reason.text).toContain('borrowed');
    expect(res.incidents[0].unfilled).toEqual([]);
  });

  it('stays unfilled with the tiers tried when the incident may not borrow', () => {
    const res = allocateIncidents([{ id: 'med', priority: 1, slots: ['ambulance'], scopes: [street] }], units, (_i, u) => eta[u]);
    expect(res.incidents[0].unfilled).toEqual([expect.objectContaining({ code: 'no-capable-unit-in-scope', tier: 'street' })]);
  });
});
