import type { ScenarioCall } from '@cad/db';
import { alarmSlots, planFor, targetsOf, withFirstAlarm, type ResponsePlan } from '@cad/domain';
import { firstAlarmHadFireUnit, historicalFirstAlarm } from './replayed-first-alarm';

/**
 * Issue 20: a drill replaying a real day sends each incident the first alarm history sent to its call
 * (the units dispatched within 5 s of the call's first dispatch), not the city's plan for its type and
 * priority: SFFD sent an engine to about 38 % of its priority 2 medical calls, whatever the plan says.
 */
describe('a drill replays the first alarm history sent to each call', () => {
  const at = (s: number) => new Date(Date.UTC(2017, 0, 1, 12, 0, s));
  const unit = (unitId: string, unitType: string, dispatch: Date | null) => ({ unitId, unitType, dispatch, enRoute: null, onScene: null, available: null });
  const call = (units: ReturnType<typeof unit>[]) => ({ units }) as Pick<ScenarioCall, 'units'>;

  it('counts the units dispatched at the first dispatch (within 5 s) per capability', () => {
    const c = call([unit('E03', 'ENGINE', at(0)), unit('M55', 'MEDIC', at(0)), unit('T03', 'TRUCK', at(4)), unit('B01', 'CHIEF', at(5))]);
    expect(historicalFirstAlarm(c)).toEqual({ engine: 1, ambulance: 1, truck: 1, chief: 1 });
    expect(firstAlarmHadFireUnit(c)).toBe(true);
  });

  it('leaves out units added later (6 s on), units never dispatched and unit types it does not know', () => {
    const c = call([unit('AM30', 'PRIVATE', at(10)), unit('E41', 'ENGINE', at(16)), unit('X1', 'AIRPORT', at(10)), unit('M07', 'MEDIC', null), unit('E02', 'ENGINE', at(75))]);
    // The first dispatch is at 10 s: the private ambulance; the engine 6 s later was added, not sent first.
    expect(historicalFirstAlarm(c)).toEqual({ ambulance: 1 });
    expect(firstAlarmHadFireUnit(c)).toBe(false);
  });

  it('has no first alarm for a call the data holds no dispatched unit for', () => {
    expect(historicalFirstAlarm(call([]))).toBeNull();
    expect(historicalFirstAlarm(call([unit('M07', 'MEDIC', null)]))).toBeNull();
    expect(historicalFirstAlarm(call([unit('X1', 'AIRPORT', at(0))]))).toBeNull();
  });

  const plan: ResponsePlan = {
    callType: 'Medical Incident',
    slots: { ambulance: 1 },
    commandingTier: 'street',
    derivedFrom: 300,
    alarms: [
      { level: 1, slots: { ambulance: 1 }, commandingTier: 'street' },
      { level: 2, slots: { engine: 1 }, commandingTier: 'district' },
    ],
    targets: { firstEngineTravelSeconds: 240, fullFirstAlarmTravelSeconds: 480, alsTravelSeconds: 420, turnoutSeconds: 60 },
  };

  it('replaces only the first alarm of the plan: tier, higher alarms and its own ALS target stay', () => {
    const own = withFirstAlarm(plan, { engine: 1, als: 1, truck: 0 });
    expect(own.slots).toEqual({ engine: 1, als: 1 });
    expect(alarmSlots(own, 1).sort()).toEqual(['als', 'engine']);
    expect(alarmSlots(own, 2).sort()).toEqual(['als', 'engine', 'engine']);
    expect(own.commandingTier).toBe('street');
    // The plan's own ALS target (420 s) is kept; the turnout target is a fire company's now an engine goes.
    expect(targetsOf(own)).toEqual({ firstEngineTravelSeconds: 240, fullFirstAlarmTravelSeconds: 480, alsTravelSeconds: 420, turnoutSeconds: 80 });
    // The plan itself is untouched.
    expect(plan.slots).toEqual({ ambulance: 1 });
  });

  it('hostile twin: no first alarm of its own leaves the plan as it is, and one without an ambulance has no ALS target', () => {
    expect(withFirstAlarm(plan, null)).toBe(plan);
    expect(withFirstAlarm(plan, undefined)).toBe(plan);
    expect(targetsOf(withFirstAlarm(plan, { engine: 1 })).alsTravelSeconds).toBeNull();
    // The fallback plan (a type with no stored plan) takes a first alarm alike.
    expect(withFirstAlarm(planFor(new Map(), 'Odd Type', 2), { truck: 2 }).slots).toEqual({ truck: 2 });
  });
});
