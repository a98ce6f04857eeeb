import { alarmSlots, alarmsOf, commandingTierAt, derivePlans, planFor, targetsOf } from './response-plan';

const rows = (incident: string, callType: string, ...unitTypes: string[]) =>
  unitTypes.map((unitType) => ({ incidentKey: incident, callType, unitType }));

describe('response plans with alarm levels, commanding tiers and NFPA 1710 targets', () => {
  // Ten structure fires: eight got 2 engines + 1 truck, the two biggest 5 engines, 2 trucks and a chief
  // (90th percentile, nearest rank = 9th of 10 sorted counts).
  const fires = [
    ...Array.from({ length: 8 }, (_, i) => rows(`f${i}`, 'Structure Fire', 'ENGINE', 'ENGINE', 'TRUCK')).flat(),
    ...['big1', 'big2'].flatMap((k) => rows(k, 'Structure Fire', 'ENGINE', 'ENGINE', 'ENGINE', 'ENGINE', 'ENGINE', 'TRUCK', 'TRUCK', 'CHIEF')),
  ];

  it('adds as second alarm what SFFD sent to the biggest tenth of the type, commanded one tier up', () => {
    const plan = derivePlans(fires).get('Structure Fire')!;
    expect(plan.alarms).toEqual([
      { level: 1, slots: { engine: 2, truck: 1 }, commandingTier: 'street' },
      { level: 2, slots: { engine: 3, truck: 1, chief: 1 }, commandingTier: 'district' },
    ]);
    expect(alarmSlots(plan, 1)).toEqual(['engine', 'engine', 'truck']);
    expect(alarmSlots(plan, 2)).toEqual(['engine', 'engine', 'truck', 'engine', 'engine', 'engine', 'truck', 'chief']);
    expect(commandingTierAt(plan, 2)).toBe('district');
    expect(plan.targets).toEqual({ firstEngineTravelSeconds: 240, fullFirstAlarmTravelSeconds: 480, alsTravelSeconds: null, turnoutSeconds: 80 });
  });

  it('repeats the first alarm engines when history shows no bigger response, and sets the ALS target for medical calls', () => {
    const plan = derivePlans([...rows('1', 'Medical Incident', 'ENGINE', 'MEDIC'), ...rows('2', 'Medical Incident', 'ENGINE', 'MEDIC')]).get('Medical Incident')!;
    expect(alarmsOf(plan)[1]).toEqual({ level: 2, slots: { engine: 1 }, commandingTier: 'district' });
    expect(targetsOf(plan).alsTravelSeconds).toBe(480);
  });

  it('puts mass-casualty types under city command and large first alarms under the district', () => {
    const plans = derivePlans([
      ...rows('m', 'Multi-Casualty Incident', 'MEDIC', 'MEDIC'),
      ...rows('h', 'High Rise', 'ENGINE', 'ENGINE', 'ENGINE', 'TRUCK', 'CHIEF'),
    ]);
    expect(plans.get('Multi-Casualty Incident')!.commandingTier).toBe('city');
    expect(plans.get('Multi-Casualty Incident')!.targets!.turnoutSeconds).toBe(60);
    expect(plans.get('High Rise')!.commandingTier).toBe('district');
    expect(commandingTierAt(plans.get('High Rise')!, 2)).toBe('city');
  });

  it('fills in alarm levels and targets for a plan stored without them', () => {
    const stored = { callType: 'Alarms', slots: { engine: 1 }, commandingTier: 'street' as const, derivedFrom: 4 };
    expect(alarmsOf(stored)).toEqual([
      { level: 1, slots: { engine: 1 }, commandingTier: 'street' },
      { level: 2, slots: { engine: 1 }, commandingTier: 'district' },
    ]);
    expect(targetsOf(stored).firstEngineTravelSeconds).toBe(240);
    expect(alarmsOf(planFor(new Map(), 'Never Seen'))[0].slots).toEqual({ engine: 1 });
    expect(() => alarmSlots(stored, 0)).toThrow(RangeError);
  });
});
