import { derivePlans, FALLBACK_PLAN, HistoricalUnitResponse, MIN_INCIDENTS_PER_PRIORITY_PLAN, planFor, planLabel, planSlots } from './response-plan';
import type { Priority } from './priority';

/** `n` incidents of a type and priority, each answered by the unit types given. */
const incidents = (n: number, prefix: string, callType: string, priority: Priority | undefined, ...unitTypes: string[]): HistoricalUnitResponse[] =>
  Array.from({ length: n }, (_, i) => unitTypes.map((unitType) => ({ incidentKey: `${prefix}${i}`, callType, unitType, ...(priority ? { priority } : {}) }))).flat();

/**
 * The SFFD pattern (issue 20): priority-2 medical calls answered by an ambulance alone, priority-1 ones
 * by an engine and an ambulance. 30 P2 calls (20 ambulance alone, 10 engine + ambulance) and 40 P1
 * calls (engine + ambulance): the type's median sends an engine to all 70.
 */
const MEDICAL = [
  ...incidents(20, 'p2a', 'Medical Incident', 2, 'MEDIC'),
  ...incidents(10, 'p2b', 'Medical Incident', 2, 'ENGINE', 'MEDIC'),
  ...incidents(40, 'p1', 'Medical Incident', 1, 'ENGINE', 'MEDIC'),
];

describe('response plans per call type and priority (issue 20)', () => {
  it('derives an ambulance alone for P2 medical calls and an engine with an ambulance for P1 ones, the type plan an engine for all', () => {
    const plan = derivePlans(MEDICAL).get('Medical Incident')!;
    expect(plan.slots).toEqual({ engine: 1, ambulance: 1 });
    expect(plan.derivedFrom).toBe(70);
    expect(plan.priority).toBeUndefined();
    expect(plan.variants!.map((v) => [v.priority, v.slots, v.derivedFrom])).toEqual([
      [1, { engine: 1, ambulance: 1 }, 40],
      [2, { ambulance: 1 }, 30],
    ]);
    const plans = derivePlans(MEDICAL);
    expect(planSlots(planFor(plans, 'Medical Incident', 2))).toEqual(['ambulance']);
    expect(planSlots(planFor(plans, 'Medical Incident', 1))).toEqual(['engine', 'ambulance']);
    // The P2 variant is an EMS plan: ALS target, EMS turnout; the P1 one keeps the fire turnout.
    expect(planFor(plans, 'Medical Incident', 2).targets).toMatchObject({ alsTravelSeconds: 480, turnoutSeconds: 60 });
    expect(planFor(plans, 'Medical Incident', 1).targets).toMatchObject({ alsTravelSeconds: 480, turnoutSeconds: 80 });
    expect(planLabel(planFor(plans, 'Medical Incident', 2))).toBe('Medical Incident (P2)');
    // Without a priority, the type's own plan.
    expect(planFor(plans, 'Medical Incident')).toBe(plans.get('Medical Incident'));
  });

  it('derives no variant for a pair below the minimum: that priority gets the type plan, one incident short or not', () => {
    const short = MIN_INCIDENTS_PER_PRIORITY_PLAN - 1;
    const plans = derivePlans([
      ...incidents(40, 'f', 'Traffic Collision', 1, 'ENGINE', 'MEDIC'),
      ...incidents(short, 's', 'Traffic Collision', 2, 'MEDIC'),
    ]);
    const plan = plans.get('Traffic Collision')!;
    expect(plan.variants!.map((v) => v.priority)).toEqual([1]);
    expect(planFor(plans, 'Traffic Collision', 2)).toBe(plan);
    expect(planFor(plans, 'Traffic Collision', 2).slots).toEqual({ engine: 1, ambulance: 1 });
    // Exactly the minimum: derived.
    const enough = derivePlans([...incidents(40, 'f', 'Traffic Collision', 1, 'ENGINE', 'MEDIC'), ...incidents(short + 1, 's', 'Traffic Collision', 2, 'MEDIC')]);
    expect(planFor(enough, 'Traffic Collision', 2).slots).toEqual({ ambulance: 1 });
    // A lower minimum, given: the short pair is derived too; a minimum below one is refused.
    expect(planFor(derivePlans(MEDICAL.slice(0, 5), 1), 'Medical Incident', 2).slots).toEqual({ ambulance: 1 });
    expect(() => derivePlans(MEDICAL, 0)).toThrow(RangeError);
  });

  it('answers a P3 call with the P2 variant, never a P1 call with a less urgent one nor a P2 call with the P1 one', () => {
    const plans = derivePlans(MEDICAL);
    expect(planFor(plans, 'Medical Incident', 3).slots).toEqual({ ambulance: 1 });
    expect(planFor(plans, 'Medical Incident', 3).priority).toBe(2);
    // Only a P2 variant: a P1 call gets the type plan (an engine), not the ambulance alone.
    const onlyP2 = derivePlans([...incidents(25, 'a', 'Medical Incident', 2, 'MEDIC'), ...incidents(26, 'b', 'Medical Incident', undefined, 'ENGINE', 'MEDIC')]);
    expect(onlyP2.get('Medical Incident')!.variants!.map((v) => v.priority)).toEqual([2]);
    expect(planFor(onlyP2, 'Medical Incident', 1).slots).toEqual({ engine: 1, ambulance: 1 });
    // Only a P1 variant: P2 and P3 calls get the type plan.
    const onlyP1 = derivePlans([...incidents(30, 'a', 'Alarms', 1, 'ENGINE'), ...incidents(3, 'b', 'Alarms', 2, 'TRUCK')]);
    expect(planFor(onlyP1, 'Alarms', 2)).toBe(onlyP1.get('Alarms'));
    expect(planFor(onlyP1, 'Alarms', 3)).toBe(onlyP1.get('Alarms'));
  });

  it('derives no variant from rows without a priority, and falls back to one engine for an unknown type at any priority', () => {
    const plans = derivePlans(incidents(30, 'x', 'Structure Fire', undefined, 'ENGINE', 'ENGINE', 'TRUCK'));
    expect(plans.get('Structure Fire')!.variants).toBeUndefined();
    expect(planFor(plans, 'Structure Fire', 1).slots).toEqual({ engine: 2, truck: 1 });
    for (const p of [1, 2, 3]) expect(planFor(plans, 'Never Seen', p)).toEqual({ callType: 'Never Seen', ...FALLBACK_PLAN });
  });
});
