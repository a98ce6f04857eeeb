import type { ResponsePlan } from '../response-plan';
import type { Capability } from '../units';
import { GAS_ALARM_TYPE, lifelineRunCards, WATER_LEAK_TYPE } from './run-cards';

const cards = (plans: ResponsePlan[], fleet: Capability[]) => new Map(lifelineRunCards(new Map(plans.map((p) => [p.callType, p])), new Set(fleet)).map((p) => [p.callType, p]));

describe('lifeline run cards name the utility crews the fleet has', () => {
  it('a fleet with water and gas crews and police: a water crew for a leak; an engine, a gas crew and police for a gas alarm', () => {
    const c = cards([], ['engine', 'ambulance', 'police', 'water_crew', 'gas_crew']);
    expect(c.get(WATER_LEAK_TYPE)).toEqual({ callType: WATER_LEAK_TYPE, slots: { water_crew: 1 }, commandingTier: 'street', derivedFrom: 0 });
    expect(c.get(GAS_ALARM_TYPE)!.slots).toEqual({ engine: 1, gas_crew: 1, police: 1 });
  });

  it('a fire-only fleet (no utility crew, no police): an engine goes to each, no slot waits on a crew that does not exist', () => {
    const c = cards([], ['engine', 'truck', 'ambulance']);
    expect(c.get(WATER_LEAK_TYPE)!.slots).toEqual({ engine: 1 });
    expect(c.get(GAS_ALARM_TYPE)!.slots).toEqual({ engine: 1 });
  });

  it("the city's own plan for the type is kept, with the crew added once; a plan that already names the crew is not doubled", () => {
    const own: ResponsePlan = { callType: GAS_ALARM_TYPE, slots: { engine: 2, chief: 1, gas_crew: 2 }, commandingTier: 'district', derivedFrom: 12 };
    const c = cards([own], ['engine', 'chief', 'gas_crew', 'police', 'water_crew']);
    expect(c.get(GAS_ALARM_TYPE)).toEqual({ ...own, slots: { engine: 2, chief: 1, gas_crew: 2, police: 1 } });
  });

  it('a city plan with alarm levels gets the crew in its first alarm and keeps the later ones', () => {
    const own: ResponsePlan = {
      callType: WATER_LEAK_TYPE,
      slots: { engine: 1 },
      commandingTier: 'street',
      derivedFrom: 0,
      alarms: [
        { level: 1, slots: { engine: 1 }, commandingTier: 'street' },
        { level: 2, slots: { engine: 2 }, commandingTier: 'district' },
      ],
    };
    const w = cards([own], ['engine', 'water_crew']).get(WATER_LEAK_TYPE)!;
    expect(w.slots).toEqual({ engine: 1, water_crew: 1 });
    expect(w.alarms).toEqual([
      { level: 1, slots: { engine: 1, water_crew: 1 }, commandingTier: 'street' },
      { level: 2, slots: { engine: 2 }, commandingTier: 'district' },
    ]);
  });
});
