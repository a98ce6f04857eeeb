import type { ScenarioCall } from '@cad/db';
import { CrewModel, MAX_EMS_TRAVEL_S } from './crews';

const t = (day: number, s: number) => new Date(Date.UTC(2017, 0, day, 10) + s * 1000);
/** A call of `day` (1 = 2017-01-01) whose units are [id, type, travel s]: dispatch 0, en route 20, on scene 20 + travel. */
const call = (id: string, day: number, priority: 1 | 2, units: [string, string, number][]): ScenarioCall => ({
  externalId: id,
  type: 'Medical Incident',
  priority,
  lat: 37.8,
  lon: -122.4,
  address: null,
  received: t(day, 0),
  localDate: `2017-01-0${day}`,
  line: 2,
  units: units.map(([unitId, unitType, travel]) => ({ unitId, unitType, dispatch: t(day, 0), enRoute: t(day, 20), onScene: t(day, 20 + travel), available: t(day, 2000) })),
});

describe('an ambulance in a drill travels as its type did on the other days, an engine by the travel model', () => {
  const week = [
    // 2017-01-02: non-emergency ambulances slow (600..640 s), emergency ones quicker (200..240 s).
    ...[600, 610, 620, 630, 640].map((s, i) => call(`n${i}`, 2, 2, [['M1', 'MEDIC', s], ['E1', 'ENGINE', 90]])),
    ...[200, 210, 220, 230, 240].map((s, i) => call(`e${i}`, 2, 1, [['M1', 'MEDIC', s]])),
    // A stamp pressed an hour late is not a drive: left out.
    call('late', 2, 2, [['M1', 'MEDIC', MAX_EMS_TRAVEL_S + 1000]]),
    // The replayed day: its own ambulances' 5 s travel must never be drawn.
    ...[5, 5, 5, 5, 5, 5].map((s, i) => call(`own${i}`, 1, 2, [['M2', 'MEDIC', s], ['AM9', 'PRIVATE', s]])),
  ];

  it('draws a non-emergency ambulance’s travel from the same type and mode on other days, reproducibly', () => {
    const m = new CrewModel(week, 3);
    const draws = Array.from({ length: 60 }, (_, i) => m.postedTravel(`own${i % 6}`, `M${i}`, 'MEDIC')!);
    expect(new Set(draws)).toEqual(new Set([600, 610, 620, 630, 640]));
    expect(m.postedTravel('own0', 'M7', 'MEDIC')).toBe(new CrewModel(week, 3).postedTravel('own0', 'M7', 'MEDIC'));
  });

  it('draws an emergency call’s ambulance from emergency responses only', () => {
    const m = new CrewModel([...week, ...[1, 2, 3, 4, 5].map((i) => call(`p${i}`, 1, 1, [['M3', 'MEDIC', 7]]))], 3);
    const draws = Array.from({ length: 40 }, (_, i) => m.postedTravel(`p${(i % 5) + 1}`, `M${i}`, 'MEDIC')!);
    expect(new Set(draws)).toEqual(new Set([200, 210, 220, 230, 240]));
  });

  it('leaves engines to the travel model, and a type with no other day’s data too', () => {
    const m = new CrewModel(week, 3);
    expect(m.postedTravel('own0', 'E1', 'ENGINE')).toBeNull();
    // Private ambulances ran on the replayed day only: nothing from another day to draw.
    expect(m.postedTravel('own0', 'AM9', 'PRIVATE')).toBeNull();
    // A call of another day may draw the replayed day's private ambulances: that day is not its own.
    expect(m.postedTravel('n0', 'AM9', 'PRIVATE')).toBe(5);
    expect(m.emsTravelSamples()).toEqual({ MEDIC: 16, PRIVATE: 6 });
  });
});
