import { derivePlans, planFor, planSlots } from './response-plan';

const rows = (incident: string, callType: string, ...unitTypes: string[]) =>
  unitTypes.map((unitType) => ({ incidentKey: incident, callType, unitType }));

describe('response plans derived from what SFFD actually sent', () => {
  it('takes the median count per capability over the incidents of a type', () => {
    const plans = derivePlans([
      ...rows('1', 'Structure Fire', 'ENGINE', 'ENGINE', 'TRUCK', 'CHIEF'),
      ...rows('2', 'Structure Fire', 'ENGINE', 'ENGINE', 'ENGINE', 'TRUCK'),
      ...rows('3', 'Structure Fire', 'ENGINE', 'TRUCK', 'MEDIC'),
    ]);
    const plan = plans.get('Structure Fire')!;
    // engines per incident 2, 3, 1 -> median 2; trucks 1,1,1 -> 1; chief 1,0,0 -> 0; ambulance 0,0,1 -> 0
    expect(plan.slots).toEqual({ engine: 2, truck: 1 });
    expect(plan.derivedFrom).toBe(3);
  });

  it('counts MEDIC and PRIVATE ambulances as one ambulance capability', () => {
    const plans = derivePlans([
      ...rows('1', 'Medical Incident', 'ENGINE', 'MEDIC'),
      ...rows('2', 'Medical Incident', 'ENGINE', 'PRIVATE'),
    ]);
    expect(plans.get('Medical Incident')!.slots).toEqual({ engine: 1, ambulance: 1 });
  });

  it('gives a type with no majority one unit of its most sent capability', () => {
    const plans = derivePlans([...rows('1', 'Odd', 'TRUCK'), ...rows('2', 'Odd', 'ENGINE'), ...rows('3', 'Odd', 'TRUCK'), ...rows('4', 'Odd', 'CHIEF')]);
    expect(plans.get('Odd')!.slots).toEqual({ truck: 1 });
  });

  it('falls back to one engine for an unknown call type, and expands slots engine first', () => {
    const plan = planFor(new Map(), 'Never Seen');
    expect(plan.slots).toEqual({ engine: 1 });
    expect(planSlots({ callType: 'x', slots: { truck: 1, engine: 2, ambulance: 1 }, commandingTier: 'street', derivedFrom: 1 })).toEqual([
      'engine',
      'engine',
      'ambulance',
      'truck',
    ]);
  });
});
